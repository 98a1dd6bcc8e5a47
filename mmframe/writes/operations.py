"""The address and sender writes, each a plain function (``df.mm`` delegates to these).

Every write takes the same keyword options, declared once in
:class:`mmframe.options.WriteOptions`:
``kind``, ``dry_run``, ``confirm``, ``confirm_threshold``, ``batch_size``, ``journal``,
``verify``, ``on_error``, ``on_invalid``, ``session``, ``progress``, ``on_batch``; and
:func:`activate` ``verdicts`` too (:class:`mmframe.options.ActivateOptions`).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from functools import partial
from typing import Any, Unpack

import pandas as pd

from .. import judged
from ..client import resolve
from ..errors import EvidenceWarning, warn
from ..options import ActivateOptions, WriteOptions, takes
from . import states
from .accounts import delete_accounts
from .apply import execute
from .asked import (
    let_through_asked,
    listed_between,
    read_and_check,
    relist_bounces,
    states_and_reasons,
)
from .model import First, Group, Guard, Operation, Options, Payload, Reached, State, Write
from .since_judged import refuse_since
from .validate import refuse_events, require_kind
from .verdicts import keeps, listed_bounces, never_judged_said, without_verdicts

_SELECTOR = re.compile(r"^[A-Za-z0-9_-]{1,63}$")


def _addresses(keys: list[str], payload: Payload) -> dict[str, Any]:
    return {"emailaddress": ",".join(keys), **payload}


UNSUPPRESS = Operation("unsuppress", "suppressions/activate", _addresses)
REACTIVATE = Operation("reactivate", "recipients/activate", _addresses)
REMEDIATE = Operation("remediate", "suppressions/activate", _addresses, then=REACTIVATE)
#: Listed by hand; a row listed for a bounce is taken off first (:data:`.asked.RELIST`).
SUPPRESS = Operation(
    "suppress",
    "suppressions",
    _addresses,
    first=First(
        UNSUPPRESS,
        failed="listed for a bounce; the request taking it off, to list it again as a manual "
        "add, failed (it may have landed, its answer lost), and the add was sent anyway: it "
        "is listed, as a manual add, or still listed for its bounce where the take-off did "
        "not land, which a fix of a bounce storm may put back; run suppress again",
        between="listed for a bounce, so taken off the list to be listed again as a manual "
        "add, and the request listing it again failed: it may be OFF the list now; run "
        "suppress again (it lists what is off the list)",
        unshown="listed again as a manual add, but the list still showed its bounce row "
        "{waited:g} s after the write: until it shows the manual add, a fix of a bounce storm "
        "may put it back; run suppress again, or read the list to check",
        gone="listed again as a manual add, but the list showed it OFF the list {waited:g} s "
        "after the write (another client took it off since): it may be mailed; run "
        "suppress again",
    ),
)
#: Kinds whose rows are recipients' addresses.
ADDRESS_KINDS = ("suppressions", "recipients")


@takes(ActivateOptions)
def activate(
    frame: pd.DataFrame,
    *,
    full: bool = False,
    **options: Unpack[ActivateOptions],
) -> pd.DataFrame:
    """Let the frame's addresses be mailed again.

    On a suppressions frame, removes them from the suppression list
    (``/suppressions/activate``); on a recipients frame, sets them active
    (``/recipients/activate``); ``full=True`` does both. Refused (``ValueError``, before
    any write) unless ``verdicts`` names ``"keep"``: a judged frame's rows of another
    verdict or condemned, and rows a person asked for (complaint, unsubscribe, manual) by
    the frame's ``reason`` or the server's list now; an events frame always.

    Parameters
    ----------
    frame
        Rows to act on; an ``account`` column routes each row to its account's key;
        without one, a frame read for one account (its attrs say) goes to that account.
    full
        Both remove from the list and reactivate.
    **options
        The write options (:class:`mmframe.options.ActivateOptions`); ``kind`` is one of
        the two above.

    Returns
    -------
    pandas.DataFrame
        The input rows plus ``status`` (ok, failed, unchanged, planned, skipped),
        ``error``, ``attempts`` and ``batch`` (an input column so named: ``input_<name>``).

    Raises
    ------
    InvalidRowsError, ConfirmationRequired, BatchWriteError
        Invalid rows; more than ``confirm_threshold`` rows without ``confirm=``; failed rows.

    Examples
    --------
    Judge the demo's storm day first (the guide's recipe), then activate what it clears:

    >>> day = mm.read_suppressions("2026-06-09", "2026-06-10", accounts=["news@example.com"])
    >>> every = {"accounts": "all"}
    >>> fix = mm.remediation_candidates(day, bounces=mm.read_bounces(None, None, **every),
    ...     complaints=mm.read_complaints(None, None, **every),
    ...     opt_outs=mm.read_suppressions(None, None, **every))
    >>> clear = fix[fix["verdict"] == "reactivate"]
    >>> clear.mm.activate(full=True, dry_run=True)["status"].value_counts().to_dict()
    {'planned': 300}

    See Also
    --------
    remediation_candidates, suppress, summary, read_suppressions
    """
    refuse_events(frame)  # whatever kind= says: an events frame holds no one to put back
    given = without_verdicts(frame, options)  # checked, before anything else
    what = require_kind(frame, options.get("kind"), ADDRESS_KINDS, "activate")
    check = _checks(frame, let_through_asked(frame, keep=keeps(options)), options)
    return execute(frame, _activation(what, full=full, guard=check), Options.of(given))


def _checks(
    frame: pd.DataFrame, shown: frozenset[Hashable] | None, options: ActivateOptions
) -> Guard | None:
    """The reads an activation off the list makes before any write: the list's reasons
    now (:mod:`~mmframe.writes.asked`; rows of a frame no judging shows on that it holds
    for a bounce warned never judged), then, for a judged frame, the complaints and
    opt-outs since its evidence was read (:mod:`~mmframe.writes.since_judged`). None
    where ``shown`` is (the deliberate way back on a frame never judged): nothing is read,
    and the frame's own bounce rows are warned never judged."""
    if shown is None:
        if bounces := listed_bounces(frame):
            warn(EvidenceWarning(never_judged_said(bounces)))
        return None
    session = resolve(options.get("session"))
    unjudged, ends = not judged.shows_judging(frame), judged.ends(frame)
    held = judged.recorded(frame) if ends else None  # the rows it cleared: no record of them
    cleared = frozenset(frame.index[held.isna().to_numpy()]) if held is not None else frozenset()
    near = listed_between(frame)

    def check(groups: list[Group]) -> list[dict[str, State | None]]:
        read = read_and_check(groups, chosen=shown, unjudged=unjudged, near=near)
        refuse_since(groups, ends, session, chosen=shown, cleared=cleared)
        return read

    return check


def _activation(kind: str | None, *, full: bool, guard: Guard | None) -> Write:
    """Off the suppression list (a suppressions frame), active (recipients), or both.

    Taking an address off the list runs ``guard`` first (:func:`_checks`; None: "keep"
    named on a frame never judged, nothing read); setting a recipient active leaves its
    suppression, and whoever asked stays unmailed: nothing is read for it."""
    if full:
        return Write(REMEDIATE, "email", states.recipient_states, states.remediated, guard=guard)
    if kind == "suppressions":
        return Write(UNSUPPRESS, "email", states.recipient_states, states.unsuppressed, guard=guard)
    return Write(REACTIVATE, "email", states.recipient_states, states.active)


@takes(WriteOptions)
def suppress(
    frame: pd.DataFrame,
    *,
    relist: bool = True,
    **options: Unpack[WriteOptions],
) -> pd.DataFrame:
    """Add the frame's addresses to the suppression list (reason ``manual``).

    Takes a suppressions or recipients frame, or any frame with an ``email`` column whose
    kind cannot be told (not a senders or accounts frame); options as :func:`activate`.
    An address the list holds already keeps its reason and time (the API's rule), so one
    listed for a bounce, which a later fix of a bounce storm may put back, is taken off and
    listed again as a manual add (``relist``; a ``UserWarning`` names such rows, read from
    the list before any write, dry runs included). A row whose second step fails is
    ``failed``, its error saying it may be off the list: running ``suppress`` again lists
    it. A complaint, an unsubscribe or a manual add keeps its row.

    Parameters
    ----------
    frame
        Rows with an ``email`` column; an ``account`` column routes each row.
    relist
        List a bounce row again as a manual add (False: it keeps its bounce reason and
        time, and the warning says so).
    {write_options}

    {write_result}

    See Also
    --------
    activate, summary
    """
    if not isinstance(relist, bool):
        raise TypeError(f"relist must be True or False, not {relist!r}")
    require_kind(frame, options.get("kind"), ADDRESS_KINDS, "suppress", unknown_ok=True)
    guard = partial(relist_bounces, relist=relist)
    write = Write(SUPPRESS, "email", states_and_reasons, states.listed_by_hand, guard=guard)
    return execute(frame, write, Options.of(options))


def _sender_write(
    name: str, method: str, payload: Payload, reached: Reached, *, destructive: bool = False
) -> Write:
    operation = Operation(
        name, method, lambda keys, sent: {"emailaddress": keys[0], **sent}, multi=False
    )
    return Write(
        operation,
        "email",
        states.sender_states,
        reached,
        payloads=lambda rows: [dict(payload)] * len(rows),
        destructive=destructive,
    )


def _check_seeding(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"seeding must be the integer 0 or 1, not {value!r}")
    if value not in (0, 1):
        raise ValueError(f"seeding must be 0 or 1, not {value!r}")
    return value


def _seeding_is(state: State | None, payload: Payload) -> bool:
    return state is not None and int(state.get("seeding", -1)) == payload["seeding"]


@takes(WriteOptions)
def set_seeding(
    frame: pd.DataFrame,
    value: int,
    **options: Unpack[WriteOptions],
) -> pd.DataFrame:
    """Opt the frame's senders in (1) or out (0) of seeding; one request per sender.

    Takes a senders frame only (``kind="senders"`` for a frame mmframe did not load);
    options as :func:`activate`.

    Parameters
    ----------
    frame
        A senders frame (from :func:`mmframe.read_senders`).
    value
        1 (opt in) or 0 (opt out).
    {write_options}

    {write_result}

    See Also
    --------
    set_dkim, create_senders, read_senders
    """
    seeding = _check_seeding(value)
    require_kind(frame, options.get("kind"), ("senders",), "set_seeding")
    write = _sender_write("set_seeding", "senders", {"seeding": seeding}, _seeding_is)
    return execute(frame, write, Options.of(options))


@takes(WriteOptions)
def set_dkim(
    frame: pd.DataFrame,
    selector: str,
    **options: Unpack[WriteOptions],
) -> pd.DataFrame:
    """Set the DKIM selector of the frame's senders (letters, digits, ``-``, ``_``).

    Takes a senders frame only; options as :func:`activate`.

    Parameters
    ----------
    frame
        A senders frame (from :func:`mmframe.read_senders`).
    selector
        The DKIM selector.
    {write_options}

    {write_result}

    See Also
    --------
    set_seeding, read_senders
    """
    if not isinstance(selector, str) or not _SELECTOR.match(selector):
        raise ValueError(f"selector must be letters, digits, '-' or '_', not {selector!r}")
    require_kind(frame, options.get("kind"), ("senders",), "set_dkim")
    write = _sender_write(
        "set_dkim",
        "senders/dkim",
        {"dkim": selector},
        lambda state, sent: state is not None and state.get("dkimval") == sent["dkim"],
    )
    return execute(frame, write, Options.of(options))


@takes(WriteOptions)
def create_senders(
    emails: pd.DataFrame | Iterable[str],
    *,
    seeding: int = 0,
    **options: Unpack[WriteOptions],
) -> pd.DataFrame:
    """Approve senders (create, or update their seeding): addresses, or a frame's ``email``.

    A frame must be a senders frame or one whose kind cannot be told; options as
    :func:`activate`.

    Parameters
    ----------
    emails
        Addresses, or a frame with an ``email`` column.
    seeding
        1 (opt in) or 0 (opt out) of seeding.
    {write_options}

    {write_result}

    See Also
    --------
    read_senders, set_seeding, delete
    """
    value = _check_seeding(seeding)
    if isinstance(emails, pd.DataFrame):
        frame = emails
        require_kind(frame, options.get("kind"), ("senders",), "create_senders", unknown_ok=True)
    elif isinstance(emails, str):
        raise TypeError("create_senders takes a list of addresses or a frame, not one string")
    else:
        frame = pd.DataFrame({"email": list(emails)})
    write = _sender_write("create_senders", "senders", {"seeding": value}, _seeding_is)
    return execute(frame, write, Options.of(options))


@takes(WriteOptions)
def delete(
    frame: pd.DataFrame,
    **options: Unpack[WriteOptions],
) -> pd.DataFrame:
    """Delete the frame's senders, or its sub-accounts (master key); always needs confirm=.

    Options as :func:`activate`. Deleting accounts also drops them from the session's
    account directory.

    Parameters
    ----------
    frame
        A senders or accounts frame (from :func:`mmframe.read_senders` or
        :func:`mmframe.read_accounts`).
    {write_options}

    {write_result}

    See Also
    --------
    create_senders, upsert_accounts
    """
    what = require_kind(frame, options.get("kind"), ("senders", "accounts"), "delete")
    if what == "accounts":
        return delete_accounts(frame, Options.of(options))
    write = _sender_write("delete_senders", "senders/delete", {}, states.absent, destructive=True)
    return execute(frame, write, Options.of(options))
