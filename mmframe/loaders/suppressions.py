"""Suppression lists as frames: all rows of a range, chunk iterators, and counts per period."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pandas as pd
import pyarrow as pa

from .. import pages, schema
from ..client import Session, resolve
from ..dates import (
    MAX_REQUESTS,
    DateLike,
    check_freq,
    check_requests,
    chunk_range,
    now_utc,
    settled_end,
    utc_range,
    wire,
)
from ..errors import MMError
from ..paging import Chunk, Outcome, load_chunks
from ..progress import Show, bar
from .common import Accounts, OnError, check_on_error, finish, targets


def _frame(outcomes: Sequence[Outcome], names: list[str] | None) -> pd.DataFrame:
    rows = pa.concat_tables([pages.empty(), *(o.rows for o in outcomes)])
    data = schema.suppressions(rows)
    if names is None:
        return data
    labels = [o.chunk.account or "" for o in outcomes for _ in range(o.rows.num_rows)]
    return schema.with_account(data, labels, names)


def read_suppressions(
    start: DateLike = None,
    end: DateLike = None,
    *,
    accounts: Accounts = None,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
) -> pd.DataFrame:
    """Every suppression in ``[start, end)``, exactly as the list holds it during the read.

    A range reaching past now ends at the read's start (the end of the current second,
    or of ``as_of``): rows written later are outside it. Each account's range is counted,
    read page by page, and counted again; rows added or removed in the range meanwhile
    make it read again, and a range that keeps changing raises. So the frame holds the
    range's rows, each once, and as many as the count at the end of the read.

    Parameters
    ----------
    start, end
        Bounds (date strings, ``date``/``datetime``, ``pd.Timestamp``; naive means UTC;
        numbers are refused); None is open on that side.
    accounts
        None for the session's account; ``"all"`` or usernames (master key) to read each
        account with its own key into one frame with an ``account`` column.
    session, progress, on_error
        The session (default: the last ``connect()``); progress bar on/off/auto; on an
        incomplete chunk, ``"raise"`` :class:`~mmframe.errors.PartialLoadError` or ``"warn"``.
    as_of
        The time taken as now (default: the clock).

    Returns
    -------
    pandas.DataFrame
        ``email``, ``domain``, ``suppressed_at`` (UTC), ``reason``, ``suppression_id``
        (plus a leading ``account`` when ``accounts`` is given).

    Examples
    --------
    >>> frame = mm.read_suppressions("2026-01-01", "2026-02-01")  # doctest: +SKIP
    """
    lo, hi = utc_range(start, end)
    hi = settled_end(lo, hi, as_of)
    check_on_error(on_error)
    session = resolve(session)
    readers = targets(session, accounts)
    chunks = [Chunk(s, name, wire(lo), wire(hi)) for name, s in readers]
    with bar("suppressions", progress=progress) as shown:
        outcomes = load_chunks(chunks, progress=shown)
    names = [str(n) for n, _ in readers] if accounts is not None else None
    data = schema.stamp(
        _frame(outcomes, names), "suppressions", accounts=names, start=wire(lo), end=wire(hi)
    )
    return finish(data, outcomes, on_error)


def first_time(readers: list[tuple[str | None, Session]]) -> pd.Timestamp | None:
    """The oldest suppression's time across the accounts (one request each), or None."""
    times = []
    for _name, s in readers:
        rows = s.get("suppressions", startindex=0).get("suppressions") or []
        times += [pd.Timestamp(rows[0]["suppresstime"])] if rows else []
    return min(times) if times else None


def last_time(readers: list[tuple[str | None, Session]]) -> pd.Timestamp | None:
    """The newest suppression's time across the accounts (two requests each), or None.

    The list is ordered by time (SPEC A6), so the newest is the last row of all.
    """
    times = []
    for _name, s in readers:
        count = int(s.get("suppressions/count")["count"])
        if count:
            rows = s.get("suppressions", startindex=count - 1).get("suppressions") or []
            times += [pd.Timestamp(rows[-1]["suppresstime"])] if rows else []
    return max(times) if times else None


def iter_suppressions(
    start: DateLike = None,
    end: DateLike = None,
    *,
    accounts: Accounts = None,
    freq: str = "MS",
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
    max_requests: int = MAX_REQUESTS,
) -> Iterator[pd.DataFrame]:
    """Yield one frame per (account, period) chunk, for pulls larger than memory.

    Same columns and guarantees as :func:`read_suppressions`; periods are ``freq`` chunks
    of the range. An open ``start`` begins at the oldest suppression; the end is fixed at
    the start of the iteration (``as_of``), as for :func:`read_suppressions`.
    ``max_requests`` refuses a range that would make more periods (a typo in a year).
    """
    lo, hi = utc_range(start, end)
    check_on_error(on_error)
    check_freq(freq)
    session = resolve(session)
    readers = targets(session, accounts)
    lo = lo if lo is not None else first_time(readers)
    hi = settled_end(lo, hi, as_of)
    periods = chunk_range(lo, hi, freq, max_requests=max_requests) if lo is not None else []
    check_requests(3 * len(periods) * len(readers), max_requests, "3 a read x periods x accounts")
    names = [str(n) for n, _ in readers] if accounts is not None else None
    with bar("suppressions", total=0, progress=progress) as shown:
        for period_start, period_end in periods:
            chunks = [Chunk(s, n, wire(period_start), wire(period_end)) for n, s in readers]
            outcomes = load_chunks(chunks, progress=shown)
            for outcome in outcomes:
                data = schema.stamp(
                    _frame([outcome], names),
                    "suppressions",
                    accounts=names,
                    start=outcome.chunk.start,
                    end=outcome.chunk.end,
                )
                yield finish(data, [outcome], on_error)


def read_suppression_counts(
    start: DateLike,
    end: DateLike,
    *,
    freq: str = "D",
    accounts: Accounts = None,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
    max_requests: int = MAX_REQUESTS,
) -> pd.DataFrame:
    """Suppression counts per period: one ``/suppressions/count`` call per chunk, concurrently.

    Parameters
    ----------
    as_of
        The time taken as now for ``is_complete`` (default: the clock).
    max_requests
        Refuse (``ValueError``, before any request) a range of more periods than this.

    Returns
    -------
    pandas.DataFrame
        Indexed by chunk ``start`` (UTC) with ``end``, ``count`` (``Int64``) and
        ``is_complete`` (False for a chunk that ends after ``as_of``); a leading
        ``account`` column when ``accounts`` is given. Chunks cover ``[start, end)``
        exactly once.
    """
    lo, hi = utc_range(start, end)
    if lo is None or hi is None:
        raise ValueError("read_suppression_counts needs both start and end")
    check_on_error(on_error)
    now = now_utc(as_of)
    periods = chunk_range(lo, hi, freq, max_requests=max_requests)
    session = resolve(session)
    readers = targets(session, accounts)
    check_requests(len(periods) * len(readers), max_requests, "periods x accounts")
    chunks = [Chunk(s, n, wire(a), wire(b)) for n, s in readers for a, b in periods]
    with bar("suppression counts", total=len(chunks), progress=progress) as shown:
        outcomes = {}
        for chunk, outcome in session.map_unordered(_count_one, chunks):
            outcomes[id(chunk)] = outcome
            shown.update(1)
    ordered = [outcomes[id(c)] for c in chunks]
    names = [str(n) for n, _ in readers] if accounts is not None else None
    data = _counts_frame(ordered, names, now)
    schema.stamp(
        data, "suppression_counts", accounts=names, start=wire(lo), end=wire(hi), freq=freq
    )
    return finish(data, ordered, on_error)


def _count_one(chunk: Chunk) -> Outcome:
    outcome = Outcome(chunk)
    try:
        reply = chunk.session.call("GET", "suppressions/count", chunk.params())
        outcome.expected, outcome.attempts = int(reply.data["count"]), reply.attempts
    except MMError as exc:
        outcome.status, outcome.error = "failed", str(exc)
        outcome.attempts = exc.attempts
    return outcome


def _counts_frame(
    outcomes: list[Outcome], names: list[str] | None, now: pd.Timestamp
) -> pd.DataFrame:
    ends = pd.DatetimeIndex([str(o.chunk.end) for o in outcomes], dtype=schema.TIME)
    data = pd.DataFrame(
        {
            "end": ends,
            "count": pd.array([o.expected for o in outcomes], dtype="Int64"),
            "is_complete": pd.array(ends <= now, dtype="boolean"),
        },
        index=pd.DatetimeIndex(
            [str(o.chunk.start) for o in outcomes], dtype=schema.TIME, name="start"
        ),
    )
    if names is not None:
        labels = [o.chunk.account or "" for o in outcomes]
        data.insert(
            0, "account", pd.Series(labels, index=data.index).astype(pd.CategoricalDtype(names))
        )
    return data


def count_suppressions(
    start: DateLike = None,
    end: DateLike = None,
    *,
    accounts: Accounts = None,
    session: Session | None = None,
) -> int | pd.Series:
    """How many suppressions fall in ``[start, end)`` (either bound may be open).

    Returns
    -------
    int or pandas.Series
        The count; with ``accounts=``, a ``count`` Series indexed by account.

    Examples
    --------
    >>> mm.count_suppressions("2026-01-01", "2026-02-01")  # doctest: +SKIP
    4817
    """
    lo, hi = utc_range(start, end)
    session = resolve(session)
    readers = targets(session, accounts)
    counts = {
        str(name): int(
            reader.get("suppressions/count", startdate=wire(lo), enddate=wire(hi))["count"]
        )
        for name, reader in readers
    }
    if accounts is None:
        return next(iter(counts.values()))
    return pd.Series(counts, name="count", dtype="Int64").rename_axis("account")
