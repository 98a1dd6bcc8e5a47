"""What every loader shares: which accounts to read, and how incomplete reads are reported."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from .. import schema
from ..chunks import Outcome
from ..client import Session
from ..errors import InvalidAPIKey, PartialLoadError, PartialLoadWarning, warn
from ..listing import summarise
from ..options import Accounts
from .unlisted import explain

if TYPE_CHECKING:
    from .ranges import ReadPlan


def check_on_error(on_error: str) -> None:
    """``ValueError`` unless ``on_error`` is "raise" or "warn"."""
    if on_error not in ("raise", "warn"):
        raise ValueError(f"on_error must be 'raise' or 'warn', not {on_error!r}")


def readable(session: Session, *, fresh: bool = False) -> list[str] | None:
    """Every account ``session``'s key reads: a master key's account list (the master
    included; read again with ``fresh``), or None for a sub-account key, which cannot list
    accounts and reads its own only. What ``"all"`` reads, here as on the command line
    (``--accounts all``)."""
    return session.sees(fresh=fresh)


def named_rightly(session: Session) -> None:
    """``ValueError`` for a master key's session whose ``username=`` its account list names
    otherwise: it would read (and write) the master's own list as that account's (W-19a,
    W-20c). A sub-account key's name is the caller's word, taken as given. At most one
    request per session (which accounts the key sees)."""
    if session.username and not session.listed and session.sees() is not None:
        session.directory.confirm_master(str(session.username))


def chosen(session: Session, accounts: Accounts) -> Accounts:
    """``accounts`` as read: ``"all"`` with a sub-account key is None, the key's own
    account (it sees no other), so its frame and record are those ``accounts=None`` gives
    and no other account is claimed read. "all" reads the master's list again: an account
    another client made since is read, and a key rotated since is taken up (W-18b)."""
    if isinstance(accounts, str) and accounts == "all" and readable(session, fresh=True) is None:
        return None
    return accounts


def targets(session: Session, accounts: Accounts) -> list[tuple[str | None, Session]]:
    """(username, session) per account to read.

    None reads the session's own account. ``"all"`` reads every account in the master's list
    (the master included; a sub-account key's own, as None); a username or list of
    usernames reads those, each with its own key. An unknown username raises ``KeyError``
    before any data is requested.
    """
    named_rightly(session)
    every = readable(session) if isinstance(accounts, str) and accounts == "all" else []
    if accounts is None or every is None:
        return [(session.username, session)]
    if every:
        names = every
    else:
        names = [accounts] if isinstance(accounts, str) else list(accounts)
        if not names or not all(isinstance(n, str) and n for n in names):
            raise ValueError(f"accounts must be 'all', a username or usernames, not {accounts!r}")
    chosen = {n.lower(): n for n in names}  # a name given twice is read once
    sessions = [session.for_account(n) for n in chosen.values()]
    return [(s.username or n, s) for n, s in zip(chosen.values(), sessions, strict=True)]


def chunk_status(outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """The status of each chunk read, one row each (``PartialLoadError.chunks``): account,
    start, end, status, rows, expected, attempts, error."""
    records = [
        {
            "account": o.chunk.account,
            "start": o.chunk.start,
            "end": o.chunk.end,
            "status": o.status,
            "rows": len(o.rows),
            "expected": o.expected,
            "attempts": o.attempts,
            "error": o.error,
        }
        for o in outcomes
    ]
    columns = [schema.Column(c.name, c.name, c.dtype) for c in schema.CHUNK_STATUS]
    return schema.frame(records, columns)


def finish(data: pd.DataFrame, outcomes: Sequence[Outcome], on_error: str) -> pd.DataFrame:
    """Return ``data`` if every chunk is complete; else raise or warn with each chunk's status."""
    if all(o.status == "ok" for o in outcomes):
        return data
    raise_refused(outcomes)
    # A server that lists only its latest rows is said plainly; any other failure by chunk.
    message = explain(data, outcomes) or summarise(outcomes)
    if on_error == "raise":
        raise PartialLoadError(message, frame=data, chunks=chunk_status(outcomes))
    mark_incomplete(data, outcomes)  # the frame remembers it, past the warning
    warn(PartialLoadWarning(message, chunk_status(outcomes)))
    return data


def raise_refused(outcomes: Sequence[Outcome]) -> None:
    """Raise the :class:`~mmframe.errors.InvalidAPIKey` of a read the server refused the
    key of on every chunk: not a partial read, but a key never taken (W-17d). Its words
    say whose key, and what to do."""
    refused = [o.failure for o in outcomes if o.status != "unsent"]  # unsent: no answer
    first = refused[0] if refused else None
    if isinstance(first, InvalidAPIKey) and all(isinstance(f, InvalidAPIKey) for f in refused):
        raise first.with_traceback(None)


#: Where in ``attrs["mmframe"]`` a read counts the rows it returned.
ROWS = "rows"


def count_rows(data: pd.DataFrame) -> pd.DataFrame:
    """Record in ``data.attrs["mmframe"]["rows"]`` how many rows the read returned: per
    account with an ``account`` column (``{"news@x.io": 412, ...}``), else ``{"": n}``. A
    frame filtered after its read keeps its attrs; the count tells it from the read
    (:mod:`mmframe.analysis.evidence_gaps` names the rows it lacks). Returns ``data``."""
    if "account" in data.columns:
        counts = data["account"].value_counts(sort=False)
        rows = {str(name): int(n) for name, n in counts.items() if n}
    else:
        rows = {"": len(data)}
    meta = data.attrs.get(schema.ATTRS_KEY)
    data.attrs[schema.ATTRS_KEY] = {**(meta if isinstance(meta, dict) else {}), ROWS: rows}
    return data


#: Where in ``attrs["mmframe"]`` a frame read incomplete says so.
INCOMPLETE = "incomplete"
#: The runs of chunks an incomplete frame names at most (the count says how many in all).
_RUNS = 12


def mark_incomplete(data: pd.DataFrame, outcomes: Sequence[Outcome]) -> None:
    """Record in ``data.attrs["mmframe"]["incomplete"]`` that the read came back
    incomplete (``on_error="warn"``), compactly and JSON-safe: how many chunks of how many,
    and each run of neighbouring chunks not whole by account, ``[start, end)`` and status,
    so whatever judges on the frame (:func:`mmframe.remediation_candidates`) knows it lacks
    rows, as the warning said once."""
    runs: list[dict[str, object]] = []
    for o in outcomes:
        if o.status == "ok":
            continue
        last = runs[-1] if runs else None
        if last and (last["account"], last["end"], last["status"]) == (
            o.chunk.account,
            o.chunk.start,
            o.status,
        ):
            last["end"] = o.chunk.end
            last["chunks"] = int(str(last["chunks"])) + 1
            continue
        runs.append({"account": o.chunk.account, "start": o.chunk.start, "end": o.chunk.end,
                     "status": o.status, "chunks": 1})  # fmt: skip
    meta = data.attrs.get(schema.ATTRS_KEY)
    record = {"chunks": sum(int(str(r["chunks"])) for r in runs), "of": len(outcomes),
              "runs": runs[:_RUNS]}  # fmt: skip
    data.attrs[schema.ATTRS_KEY] = {**(meta if isinstance(meta, dict) else {}), INCOMPLETE: record}


@functools.lru_cache(maxsize=256)
def _stamps(wire: tuple[str, ...]) -> pd.DatetimeIndex:
    """The periods' bounds as times, parsed once: a report's many count reads share them
    (an index is immutable, so one can be shared)."""
    return pd.DatetimeIndex(list(wire), dtype=schema.TIME)


def counts_frame(
    outcomes: Sequence[Outcome], fields: dict[str, str], plan: ReadPlan, *, per: int = 1
) -> pd.DataFrame:
    """Counts per period (summing each run of ``per`` chunks: one per recipient), indexed
    by period start, with ``end``, one ``Int64`` column per count field, ``is_complete``
    and a leading ``account`` when the plan names accounts."""
    firsts = outcomes[::per]
    ends = _stamps(tuple(str(o.chunk.end) for o in firsts))
    columns: dict[str, object] = {"end": ends}
    for column, field in fields.items():
        values = [
            None
            if any(o.expected is None for o in outcomes[i : i + per])
            else sum(int(o.fields.get(field, 0)) for o in outcomes[i : i + per])
            for i in range(0, len(outcomes), per)
        ]
        columns[column] = pd.array(values, dtype="Int64")
    columns["is_complete"] = pd.array(ends <= plan.now, dtype="boolean")
    index = _stamps(tuple(str(o.chunk.start) for o in firsts)).rename("start")
    data = pd.DataFrame(columns, index=index)
    if plan.names is not None:
        labels = [o.chunk.account or "" for o in firsts]
        data.insert(
            0, "account", pd.Series(labels, index=index, dtype=pd.CategoricalDtype(plan.names))
        )
    return data
