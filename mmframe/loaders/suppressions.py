"""Suppression lists as frames: all rows of a range, chunk iterators, and counts per period."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Unpack

import pandas as pd

from .. import schema
from ..cache.reads import load_period, periods_for, read_cached, stamp_cache
from ..chunks import SUPPRESSIONS, Outcome
from ..client import Session
from ..count_reads import count_chunks
from ..dates import DateLike, wait_until, wire
from ..errors import PartialLoadWarning, warn
from ..listing import summarise
from ..options import ReadOptions, takes
from ..progress import bar
from ..provenance import read_with
from .common import chunk_status, count_rows, counts_frame, finish, raise_refused
from .ranges import Read, plan_read


def _frame(outcomes: Sequence[Outcome], names: list[str] | None) -> pd.DataFrame:
    data = schema.suppressions(schema.suppression_rows([o.rows for o in outcomes]))
    if names is None:
        return data
    labels = [o.chunk.account or "" for o in outcomes for _ in range(o.rows.num_rows)]
    return schema.with_account(data, labels, names)


@takes(ReadOptions)
def read_suppressions(
    start: DateLike = None, end: DateLike = None, **options: Unpack[ReadOptions]
) -> pd.DataFrame:
    """Every suppression in ``[start, end)``, exactly as the list holds it during the read.

    A range reaching past now ends at the read's start (where the current second begins
    when nothing is in it yet, else once it is over; or at ``as_of``): rows written later
    are outside it. Each
    account's range is counted, read page by page, and counted again, every part of the
    read at once at its end (the part before the current second, read first, too); rows
    added or removed in a part meanwhile make it read again, and a range that keeps
    changing raises. So the frame holds the range's rows, each once, as the list held them
    at the end of the read.

    Parameters
    ----------
    start, end
        Bounds (date strings, ``date``/``datetime``, ``pd.Timestamp``; naive means UTC;
        numbers are refused); None is open on that side.
    **options
        The read options (:class:`mmframe.options.ReadOptions`, where each is declared
        with its type, default and meaning).

    Returns
    -------
    pandas.DataFrame
        ``email``, ``domain``, ``suppressed_at`` (UTC), ``reason``, ``suppression_id``
        (plus a leading ``account`` when ``accounts`` is given).

    See Also
    --------
    iter_suppressions, count_suppressions, read_suppression_counts, export_suppressions

    Examples
    --------
    >>> day = mm.read_suppressions("2026-06-09", "2026-06-10", accounts=["news@example.com"])
    >>> len(day), day["reason"].value_counts().idxmax()
    (417, 'bounce')
    """
    read = Read.of(options)
    plan = plan_read(read, start, end).settled()
    with bar("suppressions", progress=read.progress) as shown:
        plan, outcomes, tally = read_cached(
            plan, lambda _r: SUPPRESSIONS, kind="suppressions", progress=shown, first=first_time
        )
    data = schema.stamp(
        _frame(outcomes, plan.names),
        "suppressions",
        accounts=plan.names,
        seen=plan.seen,
        sub_key=plan.session.sub_key,
        own=plan.own,
        start=wire(plan.start),
        end=wire(plan.end),
    )
    count_rows(read_with(data, plan.session))  # what was read, by which key
    return finish(stamp_cache(data, tally), outcomes, read.on_error)


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


@takes(ReadOptions)
def iter_suppressions(
    start: DateLike = None,
    end: DateLike = None,
    *,
    freq: str = "MS",
    **options: Unpack[ReadOptions],
) -> Iterator[pd.DataFrame]:
    """Yield one frame per (account, period) chunk, for pulls larger than memory.

    Same columns, options and guarantees as :func:`read_suppressions`; periods are
    ``freq`` chunks of the range. An open ``start`` begins at the oldest suppression;
    the end is fixed at the start of the iteration (``as_of``), as for
    :func:`read_suppressions`.

    Parameters
    ----------
    start, end
        Bounds as for :func:`~mmframe.read_suppressions`; None is open on that side.
    freq
        The periods' length, a pandas frequency (``"MS"``: calendar months).
    **options
        The read options (:class:`mmframe.options.ReadOptions`, where each is declared
        with its type, default and meaning).

    Yields
    ------
    pandas.DataFrame
        One chunk's suppressions, as :func:`read_suppressions` gives them.

    See Also
    --------
    read_suppressions, export_suppressions
    """
    read = Read.of(options)
    plan = plan_read(read, start, end, freq=freq, settle=True, first=first_time)
    periods = periods_for(plan, "suppressions")
    # One part of the bar a period: each period's read learns its pages as it goes.
    with bar("suppressions", progress=read.progress, parts=len(plan.periods)) as shown:
        for period in plan.periods:
            if read.as_of is None:
                wait_until(period[1])  # the last period may reach the present second
            chunks = plan.chunks(lambda _r: SUPPRESSIONS, periods=[period])
            with bar("suppressions", progress=shown) as part:
                loaded = load_period(periods, chunks, max_requests=read.max_requests, progress=part)
            for outcome, tally in zip(*loaded, strict=True):
                data = schema.stamp(
                    _frame([outcome], plan.names),
                    "suppressions",
                    accounts=plan.names,
                    seen=plan.seen,
                    sub_key=plan.session.sub_key,
                    own=plan.own,
                    start=outcome.chunk.start,
                    end=outcome.chunk.end,
                )
                count_rows(read_with(data, plan.session))
                yield finish(stamp_cache(data, tally), [outcome], read.on_error)


@takes(ReadOptions)
def read_suppression_counts(
    start: DateLike, end: DateLike, *, freq: str = "D", **options: Unpack[ReadOptions]
) -> pd.DataFrame:
    """Suppression counts per period: one ``/suppressions/count`` call per chunk, at once.

    Options as :func:`read_suppressions`; ``as_of`` decides ``is_complete``. A count
    always asks the server, ``cache=`` or not: a count is what checks a cached period.

    Parameters
    ----------
    start, end
        The range (both required), as for :func:`read_suppressions`.
    freq
        The periods' length, a pandas frequency (``"D"``: days).
    **options
        The read options (:class:`mmframe.options.ReadOptions`, where each is declared
        with its type, default and meaning).

    Returns
    -------
    pandas.DataFrame
        Indexed by chunk ``start`` (UTC) with ``end``, ``count`` (``Int64``) and
        ``is_complete`` (False for a chunk that ends after ``as_of``); a leading
        ``account`` column when ``accounts`` is given. Chunks cover ``[start, end)``
        exactly once.

    See Also
    --------
    count_suppressions, read_suppressions
    """
    read = Read.of(options)
    plan = plan_read(
        read, start, end, freq=freq, bounds="both", per_chunk=1,
        what="read_suppression_counts: periods x accounts",
    )  # fmt: skip
    with bar("suppression counts", progress=read.progress) as shown:
        chunks = plan.chunks(lambda _r: SUPPRESSIONS)
        outcomes = count_chunks(chunks, progress=shown, give_up=read.on_error == "raise")
    data = counts_frame(outcomes, {"count": "count"}, plan)
    schema.stamp(
        data,
        "suppression_counts",
        accounts=plan.names,
        start=wire(plan.start),
        end=wire(plan.end),
        freq=freq,
    )
    return finish(data, outcomes, read.on_error)


@takes(ReadOptions)
def count_suppressions(
    start: DateLike = None, end: DateLike = None, **options: Unpack[ReadOptions]
) -> pd.Series:
    """How many suppressions fall in ``[start, end)`` (either bound may be open), per account.

    A count always asks the server, ``cache=`` or not: a count is what checks a cached period.

    Parameters
    ----------
    start, end
        Bounds as for :func:`~mmframe.read_suppressions`; None is open on that side.
    **options
        The read options (:class:`mmframe.options.ReadOptions`, where each is declared
        with its type, default and meaning).

    Returns
    -------
    pandas.Series
        ``count`` (``Int64``) indexed by ``account``: one row, the session's own account
        (its username), unless ``accounts`` names more. ``int(series.sum())`` is the total.

    See Also
    --------
    read_suppression_counts, read_suppressions

    Examples
    --------
    >>> int(mm.count_suppressions("2026-06-09", "2026-06-10", accounts="all").sum())
    585
    """
    read = Read.of(options)
    plan = plan_read(read, start, end, per_chunk=1, what="count_suppressions: accounts")
    warned = read.on_error == "warn"
    with bar("suppression counts", progress=read.progress) as shown:
        chunks = plan.chunks(lambda _r: SUPPRESSIONS)
        outcomes = count_chunks(chunks, progress=shown, give_up=not warned)
    raise_refused(outcomes)  # a key refused on every account: said as such, warn or not
    failed = [o.failure for o in outcomes if o.failure is not None]
    if failed and not warned:
        raise failed[0]  # one request each: its own error, as the server gave it
    labels = [o.chunk.account or plan.session.identity() for o in outcomes]
    counts = pd.Series([o.expected for o in outcomes], index=labels, name="count", dtype="Int64")
    if failed:  # on_error="warn": the accounts not counted are <NA>, and said
        warn(PartialLoadWarning(summarise(outcomes), chunk_status(outcomes)))
    return counts.rename_axis("account")
