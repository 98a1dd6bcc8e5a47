"""The state of the rows a write targets: its readers, and whether a row reached its state.

Read by the plan (dry runs, and rows a journal holds as done) and by ``verify=``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ..client import Session
from ..errors import InvalidArguments
from ..loaders import read_recipients
from ..progress import working
from .model import FIRST, Group, Payload, State, Write


def reached(
    groups: list[Group], write: Write, read: list[dict[str, State | None]] | None = None
) -> dict[Hashable, bool]:
    """Whether each row's target already holds what its payload sets (one read a batch;
    ``read``: each group's states, read already)."""
    done: dict[Hashable, bool] = {}
    for i, group in enumerate(groups):
        if not group.keys:
            continue
        states = read[i] if read is not None else write.reader(group.session, group.keys)
        for row, key, payload in zip(group.rows, group.keys, group.payloads, strict=True):
            done[row] = write.reached(states.get(key.lower()), payload)
    return done


def recipient_states(session: Session, keys: list[str]) -> dict[str, State | None]:
    """``status`` and ``suppression_status`` per address (one request per batch)."""
    frame = read_recipients(keys, session=session, progress=working())
    return {
        str(email).lower(): {"status": str(status), "suppression": str(suppression)}
        for email, status, suppression in zip(
            frame["email"], frame["status"], frame["suppression_status"], strict=True
        )
    }


def sender_states(session: Session, keys: list[str]) -> dict[str, State | None]:
    """A sender's details, or None when it is not an approved sender."""

    def details(key: str) -> State | None:
        try:
            return dict(session.get("senders/details", emailaddress=key))
        except InvalidArguments:
            return None

    return {key.lower(): state for key, state in session.map_unordered(details, keys)}


def account_states(session: Session, keys: list[str]) -> dict[str, State | None]:
    """Each username's account as the API lists it (raw fields), or None when absent.

    Reading the list also refreshes the session's account directory.
    """
    rows = session.list_accounts().rows
    listed = {str(row["username"]).lower(): dict(row) for row in rows}
    return {key.lower(): listed.get(key.lower()) for key in keys}


# Predicates: has a row reached what the write sets? (state, payload) → bool
def unsuppressed(state: State | None, payload: object = None) -> bool:
    """Off the suppression list (or leaving it)."""
    return state is not None and state["suppression"] in ("unsuppressed", "pending removal")


def suppressed(state: State | None, payload: object = None) -> bool:
    """On the suppression list (or joining it)."""
    return state is not None and state["suppression"] in ("suppressed", "pending addition")


def listed_by_hand(state: State | None, payload: Payload | None = None) -> bool:
    """On the suppression list (or joining it); a row to be listed again (its payload
    holds :data:`~mmframe.writes.model.FIRST`) not while the state read says ``bounce``."""
    if state is None or not suppressed(state):
        return False
    return not (payload and payload.get(FIRST) and state.get("reason") == "bounce")


def active(state: State | None, payload: object = None) -> bool:
    """The recipient may be sent to."""
    return state is not None and state["status"] == "active"


def remediated(state: State | None, payload: object = None) -> bool:
    """Both off the list and active."""
    return unsuppressed(state) and active(state)


def absent(state: State | None, payload: object = None) -> bool:
    """Gone (a deleted sender or account)."""
    return state is None


def holds(state: State | None, payload: dict[str, Any]) -> bool:
    """Present, with every field of ``payload`` equal (as text) to the state's."""
    return state is not None and all(str(state.get(k)) == str(v) for k, v in payload.items())
