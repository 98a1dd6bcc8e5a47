"""The one read plan every reader takes: options checked, range, periods, accounts, budget.

:func:`plan_read` does, in one order for every reader, exporter, Dask reader and
``read_rates``: check the options and the range, resolve the session and the accounts,
cut the periods, refuse a call planning more requests than ``max_requests``, and fix
the end of a range that reaches the present (:meth:`ReadPlan.settled`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import pandas as pd
import pyarrow as pa

from ..cache.reads import check_root
from ..chunks import Chunk, Outcome, Source
from ..client import Session, resolve
from ..client.checks import check_cache, check_int
from ..count_reads import count_chunks
from ..dates import (
    DateLike,
    check_freq,
    chunk_range,
    live_from,
    now_utc,
    settled_end,
    to_utc,
    utc_range,
    wait_until,
    wire,
)
from ..errors import APIError, MalformedAnswer
from ..listing import check_requests, load_chunks
from ..options import Accounts, OnError, ReadOptions, with_defaults
from ..progress import Bar, Show, reserve
from ..provenance import confirmed_name
from .common import check_on_error, chosen, targets

Bounds = Literal["open", "start", "both"]
Readers = list[tuple[str | None, Session]]


@dataclass(frozen=True, kw_only=True)
class Read:
    """A read's options (:class:`mmframe.options.ReadOptions`, where their types, defaults
    and meanings are declared), filled in by :meth:`of` with the declared defaults."""

    session: Session | None
    progress: Show
    accounts: Accounts
    on_error: OnError
    as_of: DateLike
    max_requests: int
    cache: bool | str | os.PathLike[str] | None

    @classmethod
    def of(cls, given: Mapping[str, Any]) -> Read:
        """The read options among ``given`` (a call's ``**options``), checked."""
        read = cls(**with_defaults(ReadOptions, given))
        check_on_error(read.on_error)
        check_int("max_requests", read.max_requests, low=1)
        to_utc(read.as_of, "as_of")
        check_cache(read.cache)
        return read


@dataclass(frozen=True)
class ReadPlan:
    """What a read covers: its accounts (with their sessions), range and periods."""

    session: Session
    readers: Readers
    names: list[str] | None  # the account column's categories (None: no account column)
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    periods: list[tuple[pd.Timestamp, pd.Timestamp]]
    read: Read
    freq: str | None = None  # None: the whole range is one span

    @property
    def seen(self) -> list[str] | None:
        """Every account the key sees, for the frame's record (:func:`seen_by`)."""
        return seen_by(self.session)

    @property
    def own(self) -> str | None:
        """The reading key's own account, where the API confirms it (a master's list)."""
        return confirmed_name(self.session)

    @property
    def now(self) -> pd.Timestamp:
        """The time taken as now (``as_of``, or the clock)."""
        return now_utc(self.read.as_of)

    def settled(self) -> ReadPlan:
        """The plan with a range reaching the present ended at the end of the current
        second (see :func:`mmframe.dates.settled_end`); :func:`load_range` reads it."""
        end = settled_end(self.start, self.end, self.read.as_of)
        return replace(self, end=end)

    def chunks(
        self,
        source: Callable[[str | None], Source],
        recipients: Sequence[str | None] = (None,),
        *,
        periods: Sequence[tuple[pd.Timestamp | None, pd.Timestamp | None]] | None = None,
    ) -> list[Chunk]:
        """One chunk per (account, period, recipient): the whole range without periods."""
        whole: list[tuple[pd.Timestamp | None, pd.Timestamp | None]] = [(self.start, self.end)]
        spans = periods if periods is not None else (self.periods if self.freq else whole)
        return [
            Chunk(reader, name, wire(a), wire(b), source(recipient))
            for name, reader in self.readers
            for a, b in spans
            for recipient in recipients
        ]

    def span(
        self, account: str | None, reader: Session, start: pd.Timestamp, end: pd.Timestamp
    ) -> ReadPlan:
        """The plan of one account's ``[start, end)`` alone (an export's partition): read
        by :func:`load_range` as a whole read's range is."""
        return replace(self, readers=[(account, reader)], start=start, end=end, freq=None)

    @classmethod
    def of_span(
        cls,
        reader: Session,
        account: str | None,
        start: str,
        end: str,
        *,
        max_requests: int,
        cache: bool | str | None = False,
    ) -> ReadPlan:
        """The plan of one account's ``[start, end)`` (wire bounds, fixed when it was
        planned), made where no plan travels: a Dask worker reading its partition."""
        read = Read.of({"max_requests": max_requests, "cache": cache})
        bounds = pd.Timestamp(start), pd.Timestamp(end)
        return cls(reader, [(account, reader)], None, *bounds, [], read)

    def session_of(self, account: str | None) -> Session:
        """The session that reads ``account`` (a chunk's account label)."""
        return next(s for name, s in self.readers if name == account)


def read_range(
    plan: ReadPlan,
    source: Callable[[str | None], Source],
    recipients: Sequence[str | None] = (None,),
    *,
    progress: Bar | None = None,
    held: Sequence[Outcome] = (),
    also: Sequence[Chunk] = (),
) -> tuple[ReadPlan, list[Outcome]]:
    """The plan's whole range read exactly (:func:`load_range`), ended where the current
    second begins when nothing is in that second yet; the plan as read, and its outcomes.

    A range reaching the present ends at the end of the current second (:meth:`ReadPlan.
    settled`), which :func:`load_range` can only read exactly once it is over: up to a
    second of waiting, which decides the time of most reads. When the second holds no row
    yet (one count per chunk says so), whatever comes into it was written after the read
    began: the read may end before it, and need not wait. A row already in it (this
    session's own write, say) keeps it in the range: a read sees what was written before it.
    The counts of the part before that second go out with the second's own, and open its
    read: one round trip before the first page, not two in turn. ``held`` and ``also``:
    as :func:`load_range` takes them (a cached read's periods).
    """
    cut = live_from(plan.end, plan.read.as_of) if plan.end is not None else None
    if cut is None or (plan.start is not None and cut <= plan.start):
        return plan, load_range(plan, source, recipients, progress=progress, held=held, also=also)
    live = plan.chunks(source, recipients, periods=[(cut, plan.end)])
    before = [*also, *plan.chunks(source, recipients, periods=[(plan.start, cut)])]
    if progress is not None:  # the closing counts after the pages (see _read_once)
        reserve(progress, len(held) + len(before))
    counts = count_chunks([*live, *before], progress=progress)
    if not any(outcome.error is not None or outcome.expected for outcome in counts[: len(live)]):
        plan = replace(plan, end=cut)
    counted = counts[len(live) :]
    outcomes = load_range(
        plan, source, recipients, progress=progress, counted=counted, held=held, also=also
    )
    return plan, outcomes


def load_range(
    plan: ReadPlan,
    source: Callable[[str | None], Source],
    recipients: Sequence[str | None] = (None,),
    *,
    progress: Bar | None = None,
    counted: Sequence[Outcome] = (),
    held: Sequence[Outcome] = (),
    also: Sequence[Chunk] = (),
) -> list[Outcome]:
    """Every chunk of the plan's whole range, exact while writes run.

    The settled part (before the current second) is read at once: a write can only remove
    rows from it, which its counts show. The current second, still being written to
    (a suppression and a reactivation in it leave its count as it was while shifting its
    pages), is read once it is over. A large read has passed it by then; a small one
    waits for it (at most a second). The settled part is counted again with the current
    second's closing count, and read again if it lost rows meanwhile: an address activated
    there and suppressed again in the current second would otherwise come twice. One
    outcome per (account, recipient), covering the whole range: the two parts joined.
    ``counted``: counts sent already (:func:`read_range`), taken where they are the settled
    part's (``also``'s first). ``held``: outcomes read before (a cache's periods), closed by
    the same counts and read again if they moved; ``also``: more chunks of the settled past
    to read with it. Returns the outcomes of ``held``, then ``also``'s, then the range's.
    """
    assert plan.end is not None, "settle the plan first"
    cut = live_from(plan.end, plan.read.as_of)
    budget = plan.read.max_requests
    if cut is None or (plan.start is not None and cut <= plan.start):
        if cut is not None:
            wait_until(plan.end)  # the whole range is the live second
        whole = [*also, *plan.chunks(source, recipients)]
        return load_chunks(
            whole,
            max_requests=budget,
            progress=progress,
            counted=_if_same(counted, whole),
            held=held,
        )
    first = [*also, *plan.chunks(source, recipients, periods=[(plan.start, cut)])]
    now = plan.chunks(source, recipients, periods=[(cut, plan.end)])
    if progress is not None:  # the current second's counts, sent once the rest is read
        reserve(progress, len(now))
    settled = load_chunks(
        first, max_requests=budget, progress=progress, counted=_if_same(counted, first), held=held
    )
    wait_until(plan.end)
    both = load_chunks(
        now,
        max_requests=budget,
        progress=progress,
        held=settled,
        reserved=True,
    )
    before = len(held) + len(also)
    early, settled, live = both[:before], both[before : len(settled)], both[len(settled) :]
    return [*early, *(joined(a, b) for a, b in zip(settled, live, strict=True))]


def _if_same(counted: Sequence[Outcome], chunks: Sequence[Chunk]) -> Sequence[Outcome]:
    """``counted`` when they are the counts of ``chunks`` (same accounts, lists and bounds),
    else none: the clock may have passed into another second since they were sent, which
    moves the bounds."""

    def key(chunk: Chunk) -> tuple[str | None, str, dict[str, Any]]:
        return chunk.account, chunk.source.method, chunk.params()

    same = len(counted) == len(chunks) and all(
        key(outcome.chunk) == key(chunk) for outcome, chunk in zip(counted, chunks, strict=True)
    )
    return counted if same else ()


def joined(first: Outcome, then: Outcome) -> Outcome:
    """Two consecutive chunks of one account as one: rows, counts, requests and the worse
    status (with its error)."""
    worse = first if first.status != "ok" else then
    rows = pa.concat_tables([first.rows, then.rows], promote_options="default")
    counts = (first.expected, then.expected)
    return replace(
        worse,
        chunk=replace(first.chunk, end=then.chunk.end),
        rows=rows,
        expected=None if None in counts else sum(c for c in counts if c is not None),
        attempts=first.attempts + then.attempts,
    )


def plan_read(
    read: Read,
    start: DateLike,
    end: DateLike,
    *,
    freq: str | None = None,
    settle: bool = False,
    bounds: Bounds = "open",
    per_chunk: int = 3,
    fanout: int = 1,
    what: str = "",
    first: Callable[[Readers], pd.Timestamp | None] | None = None,
) -> ReadPlan:
    """Check and plan a read of ``[start, end)`` (no request but the account directory).

    Parameters
    ----------
    read
        The read's options.
    freq
        Cut the range into periods of this pandas frequency (counts, iterators, exports).
    settle
        Fix the end at the present first (an iterator's last period ends there); a whole
        read settles later, right before it reads (:meth:`ReadPlan.settled`).
    bounds
        Which bounds the reader needs: ``"open"`` (none), ``"start"`` or ``"both"``.
    per_chunk, fanout
        Requests a chunk takes at least (3 for a list: its count, a page, its count
        again; 1 for a count), and chunks per account and period (recipients, groups,
        reports): with the periods and accounts, the requests checked against
        ``max_requests`` before any is sent.
    what
        How the requests multiply, in words, for the refusal's message.
    first
        Where an open start begins when periods are cut (the oldest row's time).
    """
    lo, hi = utc_range(start, end)
    if bounds != "open" and (lo is None or (bounds == "both" and hi is None)):
        need = "a start" if bounds == "start" else "both start and end"
        raise ValueError(f"{what.split(':')[0] or 'this read'} needs {need}")
    if freq is not None:
        check_freq(freq)
    session = resolve(read.session)
    check_root(read.cache, session)
    accounts = chosen(session, read.accounts)  # "all" with a sub-account key: its own
    readers = targets(session, accounts)
    periods: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    if freq is not None:
        lo = lo if lo is not None or first is None else first(readers)
        hi = settled_end(lo, hi, read.as_of) if settle else hi
        if lo is not None and hi is not None:
            periods = chunk_range(lo, hi, freq, max_requests=read.max_requests)
    spans = max(len(periods), 1)
    check_requests(
        per_chunk * spans * len(readers) * fanout,
        read.max_requests,
        what or f"{per_chunk} a chunk x periods x accounts",
    )
    names = [str(n) for n, _ in readers] if accounts is not None else None
    return ReadPlan(session, readers, names, lo, hi, periods, read, freq)


def seen_by(session: Session) -> list[str] | None:
    """Every account ``session``'s key sees: a master's account list, read once per session,
    or None for a sub-account key (``session.sub_key``), which reads its own only, and for
    a server whose list cannot be read (the read itself does not need it). Asked even for
    a read of the key's own account, when its frame is recorded: judging on it must know
    what it left out (W-17b)."""
    try:
        seen = session.sees()
    except (APIError, MalformedAnswer):  # a list the server does not give: not known
        return None
    return sorted(seen) if seen is not None else None
