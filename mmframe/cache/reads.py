"""Reads that take closed months from the cache, each checked by one count.

A read's range is cut into calendar months (UTC). A month that ended more than
:data:`SETTLE` ago is *closed*: the suppression list can only lose rows there (a new
suppression is stamped now), a report only gains late rows or loses rows to retention.
So the rows held for a closed month are still the server's exactly when its count is
still their number. Each held month goes into the read as an outcome already read
(``held`` of :func:`mmframe.listing.load_chunks`): the read's closing counts take it
with every other chunk, once every page of the rest is in, and a month whose count moved
is read again there, as a chunk that moved during a read is, as many times (finding that it
moved since it was stored is no read of it); its file is read meanwhile
(:mod:`mmframe.cache.held`). A month not held (or marked stale by a write, or found
unreadable) is read with the rest and stored. Months not closed, and
partial months at the range's edges, are always read. So a cached read is one picture,
taken at its closing counts, as a fresh read is: equal to it, or it raises.

An open start is resolved to the month of the oldest row first (one request each
account: the list's first page, which for a report, listed in its own order, may miss an
older late event); the part before it is held as empty and checked by its count, and read
when that finds rows (rows before the oldest one can only come as late report events).
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from .. import schema
from ..chunks import Chunk, Outcome, Source
from ..client import Session
from ..client.checks import CacheSetting
from ..client.session import OWN_ACCOUNT
from ..dates import _clock as clock
from ..dates import chunk_range, past, to_utc, wire
from ..errors import CacheWarning, warn
from ..listing import check_requests, load_chunks
from ..progress import Bar
from .held import Held, joined_per_group

if TYPE_CHECKING:  # the store (filelock, platformdirs) is imported on a cached read's first use
    from ..loaders.ranges import Read, Readers, ReadPlan
    from .store import Key, Store

#: How long after its end a month is closed: report events may arrive this late.
SETTLE = pd.Timedelta(days=3)
#: How a kind's rows are held where not as read: suppressions as the frame's own Arrow
#: columns (a cached read makes its frame of them without copying a string or parsing an
#: id again; :data:`mmframe.schema.SUPPRESSION_COLUMNS`). A report's as its pages' columns.
LAYOUTS: dict[str, Callable[[pa.Table], pa.Table]] = {"suppressions": schema.suppression_columns}

SourceOf = Callable[[str | None], Source]
First = Callable[["Readers"], "pd.Timestamp | None"]


def root_of(setting: CacheSetting) -> Path | None:
    """The folder a ``cache=`` setting names: None for off, the per-user one for True; a
    leading ``~`` is the home folder (``MMFRAME_CACHE`` and the like are set where no shell
    expands it)."""
    if setting is None or setting is False:
        return None
    if setting is True:
        from .store import default_root

        return default_root()
    return Path(os.fspath(setting)).expanduser()


def check_root(setting: CacheSetting, session: Session) -> None:
    """``ValueError`` when the folder a read's ``cache=`` (None: the session's) names is a
    file, or lies under one: said before any request, rather than failing the read when
    its first month is stored."""
    own = setting is None
    root = root_of(session.cache if setting is None else setting)
    if root is None:
        return
    blocking = next((p for p in (root, *root.parents) if p.exists() and not p.is_dir()), None)
    if blocking is None:
        return
    given = f"cache={root}" + (" (the session's, or MMFRAME_CACHE)" if own else "")
    under = "" if blocking == root else f" lies under {blocking}, which"
    raise ValueError(f"{given}{under} is a file, not a folder: give the cache's folder")


def store_for(read: Read, session: Session) -> Store | None:
    """The store a read uses (the call's ``cache=``, else the session's), or None.

    The session remembers the folder: its writes mark what they touch stale there.
    """
    root = root_of(session.cache if read.cache is None else read.cache)
    if root is None:
        return None
    session.cache_roots.add(str(root))
    from .store import Store

    return Store(root)


def endpoint_of(url: str) -> str:
    """The API's base URL as the cache keys it: no user, password, query or fragment."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def filters_of(source: Source) -> str:
    """The canonical text of what a chunk's list is asked beyond its bounds ("" for none)."""
    if not source.filters and source.method == "suppressions":
        return ""
    return json.dumps([source.method, sorted(source.filters)], separators=(",", ":"))


def month_floor(stamp: pd.Timestamp) -> pd.Timestamp:
    """The start of ``stamp``'s calendar month (UTC midnight)."""
    return stamp.normalize().replace(day=1)


def month_ceil(stamp: pd.Timestamp) -> pd.Timestamp:
    """``stamp`` when it starts a month, else the next month's start."""
    floor = month_floor(stamp)
    return floor if floor == stamp else floor + pd.offsets.MonthBegin(1)


@dataclass
class Tally:
    """Periods of a cached read: served from the cache, refetched (closed, read from the
    server as the cache could not vouch for them; stored once read complete: one left
    incomplete under ``on_error="warn"``, or whose folder is not the cache's, is not),
    read fresh (not closed: always read)."""

    served: int = 0
    refetched: int = 0
    fresh: int = 0

    def attrs(self) -> dict[str, int]:
        """``df.attrs["cache"]``."""
        return {"served": self.served, "refetched": self.refetched, "fresh": self.fresh}


@dataclass
class Periods:
    """How one read's chunks meet the cache: keys, which months are closed, the tally."""

    store: Store
    endpoint: str
    kind: str
    limit: pd.Timestamp  # a month ending by then is closed
    names: dict[str | None, str]  # a chunk's account label -> the account's username
    #: a chunk's account label -> what the count cannot vouch for (:func:`source_of`)
    sources: dict[str | None, str] = field(default_factory=dict)
    tally: Tally = field(default_factory=Tally)
    #: How the kind's rows are held (:data:`LAYOUTS`; as read by default).
    layout: Callable[[pa.Table], pa.Table] = field(default=lambda rows: rows)

    def key(self, chunk: Chunk) -> Key | None:
        """The chunk's key when it is a whole closed month, else None (also for unique
        opens and clicks: a new open of an old message grows its row's ``count``, and
        no count of rows can tell)."""
        if chunk.start is None or chunk.end is None or chunk.source.method.endswith("/unique"):
            return None
        a, b = pd.Timestamp(chunk.start), pd.Timestamp(chunk.end)
        whole = a == month_floor(a) and b == a + pd.offsets.MonthBegin(1)
        if not whole or b > self.limit:
            return None
        from .store import Key

        filters = filters_of(chunk.source)
        account, source = self.names[chunk.account], self.sources.get(chunk.account, "")
        return Key(self.endpoint, account, self.kind, filters, a, b, source)

    def held(self, chunks: Sequence[Chunk]) -> Held:
        """The chunks held (as outcomes read already, their count their rows, their files
        read meanwhile) and the chunks to read: see :mod:`mmframe.cache.held`."""
        return Held(self.store, chunks, [self.key(chunk) for chunk in chunks])

    def settle(self, held: Sequence[Outcome], outcomes: Sequence[Outcome]) -> list[str]:
        """Store each closed month read complete (a held one read again, or one not held),
        and tally them: ``outcomes`` are the read's, ``held``'s first. Returns what each
        outcome was: "served", "refetched" or "fresh"."""
        labels = []
        for i, outcome in enumerate(outcomes):
            key = self.key(outcome.chunk)
            if i < len(held) and outcome is held[i]:
                labels.append("served" if key is not None else "")
            elif key is None:
                labels.append("fresh")
            else:
                labels.append("refetched")
                if outcome.status == "ok":
                    outcome.rows = self.layout(outcome.rows)  # once: the frame takes it too
                    self.store.put(key, outcome.rows)
        for label in labels:
            if label:
                setattr(self.tally, label, getattr(self.tally, label) + 1)
        return labels


def periods_for(plan: ReadPlan, kind: str) -> Periods | None:
    """The read's cache, or None (off, or an account known by no name: a key of its own
    cannot be told from another's, and nothing derived from a key is ever stored)."""
    store = store_for(plan.read, plan.session)
    if store is None:
        return None
    names: dict[str | None, str] = {}
    for name, reader in plan.readers:
        label = name or reader.username or reader.identity()
        if label == OWN_ACCOUNT:
            warn(CacheWarning(
                "not cached: a sub-account key's account is known by no username (the API "
                "tells a key no name): pass it, mm.connect(..., username=...) (see "
                "help(mm.connect) and docs/guide/cache.md, 'Turn it on')"
            ))  # fmt: skip
            return None
        names[name] = str(label).lower()
    moment = past(plan.read.as_of)
    now = moment if moment is not None else clock()
    periods = Periods(store, endpoint_of(plan.session.url), kind, now - SETTLE, names)
    periods.sources = sources_of(plan.readers, report=kind != "suppressions")
    periods.layout = LAYOUTS.get(kind, periods.layout)
    return periods


#: What a key's fingerprint is taken over, before the key: the hash is mmframe's cache's own.
FINGERPRINT_LABEL = "mmframe cache: the key that read these rows\x1f"


def fingerprint(apikey: str) -> str:
    """A one-way fingerprint of an API key: the first 16 hex of SHA-256 over a fixed label
    and the key. Another server at the same URL, or an account deleted and recreated under
    its username, answers to another key: its months are then a miss, never the first's."""
    return hashlib.sha256((FINGERPRINT_LABEL + apikey).encode("utf-8")).hexdigest()[:16]


def sources_of(readers: Readers, *, report: bool) -> dict[str | None, str]:
    """Per account label, what its rows' counts cannot vouch for: the key's fingerprint
    and, for a report, the account's X-header names in their slots (they decide the rows'
    X-header fields; one request per account, all at once)."""
    if not readers:
        return {}
    named: list[object] = [None] * len(readers)
    if report:
        named = list(readers[0][1].map(lambda r: r[1].get("accounts/xheaders"), readers))
    sources = {}
    for (name, reader), answered in zip(readers, named, strict=True):
        slots = "" if answered is None else json.dumps(answered, sort_keys=True)
        sources[name] = "\x1f".join((fingerprint(reader.credentials()[1]), slots))
    return sources


def load_cached(
    periods: Periods, chunks: Sequence[Chunk], *, max_requests: int, progress: Bar | None = None
) -> tuple[list[Outcome], list[Tally]]:
    """:func:`~mmframe.listing.load_chunks` of ``chunks`` (an iterator's or a Dask
    partition's period), the closed months held taken from the cache; in ``chunks``' order,
    each with its own tally (one period: served, refetched or fresh)."""
    with periods.held(chunks) as found:
        held, read = found.outcomes, found.read
        outcomes = load_chunks(read, max_requests=max_requests, progress=progress, held=held)
        outcomes = found.rows_into(outcomes, max_requests=max_requests, progress=progress)
    labels = periods.settle(held, outcomes)
    at = {id(c): i for i, c in enumerate([*(o.chunk for o in held), *read])}
    order = [at[id(chunk)] for chunk in chunks]
    tallies = [Tally(**{labels[i]: 1}) if labels[i] else Tally() for i in order]
    return [outcomes[i] for i in order], tallies


def read_cached(
    plan: ReadPlan,
    source: SourceOf,
    recipients: Sequence[str | None] = (None,),
    *,
    kind: str,
    progress: Bar | None = None,
    first: First | None = None,
    live: bool = True,
) -> tuple[ReadPlan, list[Outcome], Tally | None]:
    """:func:`~mmframe.loaders.ranges.read_range` (``live``, a whole read) or
    :func:`~mmframe.loaders.ranges.load_range` (an export's partition), the closed
    months taken from the cache where it holds them: the plan as read, one outcome per
    (account, recipient) covering the whole range, and the tally (None: no cache)."""
    periods = periods_for(plan, kind)
    if periods is None:
        return (*_uncached(plan, source, recipients, progress, live), None)
    start = plan.start
    if start is None:
        found = first(plan.readers) if first is not None and plan.readers else None
        oldest = to_utc(found, "oldest")  # in UTC: a server may give it at another offset
        lo = month_floor(oldest) if oldest is not None else None
    else:
        lo = month_ceil(start)
    assert plan.end is not None, "settle the plan first"
    hi = min(month_floor(plan.end), month_floor(periods.limit))
    if lo is None or hi <= lo:
        read, outcomes = _uncached(plan, source, recipients, progress, live)
        # Every month read counts, from the oldest row's for an open start.
        periods.tally.fresh += len(outcomes) * _months(lo if start is None else start, read.end)
        return read, outcomes, periods.tally
    return _pieced(plan, source, recipients, periods, progress, (lo, hi), live)


def _uncached(
    plan: ReadPlan, source: SourceOf, recipients: Sequence[str | None], progress: Bar | None,
    live: bool,
) -> tuple[ReadPlan, list[Outcome]]:  # fmt: skip
    from ..loaders.ranges import load_range, read_range  # the loaders import this module

    if live:
        return read_range(plan, source, recipients, progress=progress)
    return plan, load_range(plan, source, recipients, progress=progress)


def _months(start: pd.Timestamp | None, end: pd.Timestamp | None) -> int:
    """Calendar months ``[start, end)`` touches (1 for an open or empty range)."""
    if start is None or end is None or end <= start:
        return 1
    return max(len(chunk_range(start, end, "MS")), 1)


def _pieced(
    plan: ReadPlan,
    source: SourceOf,
    recipients: Sequence[str | None],
    periods: Periods,
    progress: Bar | None,
    span: tuple[pd.Timestamp, pd.Timestamp],
    live: bool,
) -> tuple[ReadPlan, list[Outcome], Tally]:
    """The read in pieces per (account, recipient): the edge before the first closed
    month, the closed months, the rest (read as a whole read's range is); joined."""
    lo, hi = span
    months = chunk_range(lo, hi, "MS")
    groups = [(name, reader, r) for name, reader in plan.readers for r in recipients]
    chunks = [
        Chunk(reader, name, wire(a), wire(b), source(r))
        for name, reader, r in groups
        for a, b in months
    ]
    check_requests(
        len(chunks) + 3 * len(groups),
        plan.read.max_requests,
        "a cached read: a count per closed month x accounts x recipients, and the rest's 3",
    )
    lead = _lead(plan, source, groups, lo)
    with periods.held(chunks) as found:  # the held files are read while the rest is
        held = [*(o for o in lead if plan.start is None), *found.outcomes]
        also = [*(o.chunk for o in lead if plan.start is not None), *found.read]
        end, outcomes = _rest(plan, source, recipients, progress, hi, live, held, also)
        outcomes = found.rows_into(outcomes, max_requests=plan.read.max_requests, progress=progress)
    if hi < end:
        periods.tally.fresh += len(groups) * _months(hi, end)
    early = len(held) + len(also)
    periods.settle(held, outcomes[:early])
    whole = joined_per_group(groups, outcomes[:early], outcomes[early:], periods.layout)
    return replace(plan, end=end), whole, periods.tally


def _rest(
    plan: ReadPlan, source: SourceOf, recipients: Sequence[str | None], progress: Bar | None,
    start: pd.Timestamp, live: bool, held: Sequence[Outcome], also: Sequence[Chunk],
) -> tuple[pd.Timestamp, list[Outcome]]:  # fmt: skip
    """What the held periods leave to read: ``also`` (the closed months not held, the edge
    before them) and the range from ``start`` on, read as a whole read's range is
    (``live``) or as an export's partition, ``held`` closed with them. Returns the end read
    and the outcomes: ``held``'s, ``also``'s, then the range's."""
    from ..loaders.ranges import load_range, read_range  # the loaders import this module

    assert plan.end is not None, "settle the plan first"
    if start >= plan.end:
        budget = plan.read.max_requests
        return plan.end, load_chunks(also, max_requests=budget, progress=progress, held=held)
    tail = replace(plan, start=start)
    if live:
        tail, outcomes = read_range(
            tail, source, recipients, progress=progress, held=held, also=also
        )
    else:
        outcomes = load_range(tail, source, recipients, progress=progress, held=held, also=also)
    assert tail.end is not None, "settle the plan first"
    return tail.end, outcomes


def _lead(
    plan: ReadPlan, source: SourceOf, groups: list[tuple[str | None, Session, str | None]],
    lo: pd.Timestamp,
) -> list[Outcome]:  # fmt: skip
    """The part before the first closed month, per group: held as empty (its count must
    be 0) when the start is open, else a chunk to read (an empty list when none)."""
    if plan.start is not None and plan.start >= lo:
        return []
    return [
        Outcome(Chunk(reader, name, wire(plan.start), wire(lo), source(r)), expected=0,
                counted_after=0, rows=source(r).empty())
        for name, reader, r in groups
    ]  # fmt: skip


def stamp_cache(data: pd.DataFrame, tally: Tally | None) -> pd.DataFrame:
    """``data`` with ``attrs["cache"]`` (the periods served, refetched and read fresh) when
    the read used the cache."""
    if tally is not None:
        data.attrs["cache"] = tally.attrs()
    return data


def load_period(
    periods: Periods | None,
    chunks: Sequence[Chunk],
    *,
    max_requests: int,
    progress: Bar | None = None,
) -> tuple[list[Outcome], list[Tally | None]]:
    """One period's chunks read (an iterator's): through the cache when there is one
    (:func:`load_cached`), else as :func:`~mmframe.listing.load_chunks` reads them."""
    if periods is None:
        outcomes = load_chunks(chunks, max_requests=max_requests, progress=progress)
        return outcomes, [None] * len(outcomes)
    outcomes, tallies = load_cached(periods, chunks, max_requests=max_requests, progress=progress)
    return outcomes, list(tallies)
