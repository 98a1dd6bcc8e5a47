"""A cached read's held periods, their files read in the background while its requests go on.

The manifest alone says which closed periods are held and how many rows each holds (what
its count is checked against), so a read sends its requests at once and reads the files
meanwhile, a few at a time (Parquet decodes off the GIL). Read before the first request,
the files were most of a cached read's time. A file that turns out unservable (damaged in
place: only reading it tells) is warned about and dropped, and its period is read from the
server once the rest is in, every other chunk counted again with it
(:func:`~mmframe.listing.load_chunks`): the read stays one picture, taken at its last
closing counts. Once read, each group's pieces (held and read) are joined into one outcome
(:func:`joined_per_group`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from ..chunks import Chunk, Outcome
from ..dates import to_utc
from ..listing import bounds, load_chunks
from ..progress import Bar

if TYPE_CHECKING:
    from ..client import Session
    from .manifest import Entry
    from .store import Key, Store

#: Held files read at once.
READERS = 4

Loading = Future[tuple[pa.Table | None, str | None]]


class Held:
    """The held periods among a read's chunks, their files being read: a context manager
    (leaving it stops what is left of the reading).

    Parameters
    ----------
    store
        The cache.
    chunks, keys
        The read's chunks, and each one's key (None: never held, as a month not closed).

    Attributes
    ----------
    outcomes : list of Outcome
        One per held period, in ``chunks``' order, as a chunk read already: its count is the
        rows its manifest entry records; its rows come in :meth:`rows_into`.
    read : list of Chunk
        The chunks to read from the server, in ``chunks``' order.
    """

    def __init__(self, store: Store, chunks: Sequence[Chunk], keys: Sequence[Key | None]) -> None:
        self.store = store
        self.outcomes: list[Outcome] = []
        self.read: list[Chunk] = []
        self._loading: list[tuple[Outcome, Key, Entry, Loading]] = []
        found = _found(store, chunks, keys)
        self._pool = (
            ThreadPoolExecutor(min(READERS, len(found)), "mmframe-cache") if found else None
        )
        blank: dict[int, pa.Table] = {}  # each source's empty page: the file's rows' stand-in
        for chunk in chunks:
            if self._pool is None or id(chunk) not in found:
                self.read.append(chunk)
                continue
            key, entry = found[id(chunk)]
            if id(chunk.source) not in blank:
                blank[id(chunk.source)] = chunk.source.empty()
            held = Outcome(
                chunk,
                blank[id(chunk.source)],
                expected=entry.rows,
                counted_after=entry.rows,
                stored=True,
            )
            self.outcomes.append(held)
            self._loading.append((held, key, entry, self._pool.submit(store.load, key, entry)))

    def __enter__(self) -> Held:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def rows_into(
        self, outcomes: Sequence[Outcome], *, max_requests: int, progress: Bar | None = None
    ) -> list[Outcome]:
        """``outcomes`` (the read's, these held ones among them unless they moved and were
        read again) with each held period's rows from its file.

        A file that cannot be served is warned about and dropped, and its period read from
        the server, the other outcomes closed again with it (see the module's docstring).
        """
        at = {id(outcome): i for i, outcome in enumerate(outcomes)}
        unserved = []
        for held, key, entry, loading in self._loading:
            table, problem = loading.result()
            if problem is not None:
                self.store.discard(key, entry, problem)
            if id(held) not in at:
                continue  # its count moved: read from the server already
            if table is None:
                unserved.append(at[id(held)])
            else:
                held.rows = table
        if not unserved:
            return list(outcomes)
        kept = [i for i in range(len(outcomes)) if i not in unserved]
        again = load_chunks(
            [outcomes[i].chunk for i in unserved],
            max_requests=max_requests,
            progress=progress,
            held=[outcomes[i] for i in kept],
        )
        result = list(outcomes)
        for i, outcome in zip([*kept, *unserved], again, strict=True):
            result[i] = outcome
        return result


def _found(
    store: Store, chunks: Sequence[Chunk], keys: Sequence[Key | None]
) -> dict[int, tuple[Key, Entry]]:
    """Per held chunk (by ``id``), its key and manifest entry (the manifest read once)."""
    wanted = [(chunk, key) for chunk, key in zip(chunks, keys, strict=True) if key is not None]
    entries = store.entries([key for _chunk, key in wanted]) if wanted else []
    return {
        id(chunk): (key, entry)
        for (chunk, key), entry in zip(wanted, entries, strict=True)
        if entry is not None
    }


def joined_per_group(
    groups: Sequence[tuple[str | None, Session, str | None]],
    pieces: Sequence[Outcome],
    tails: Sequence[Outcome],
    layout: Callable[[pa.Table], pa.Table],
) -> list[Outcome]:
    """One outcome per group (account, recipient): its pieces in time order, joined, their
    rows as the cache holds them (``layout``: held pieces are already)."""
    from ..loaders.ranges import joined  # the loaders import this module

    found: list[list[Outcome]] = [[] for _ in groups]
    keys = {(name, r): g for g, (name, _reader, r) in enumerate(groups)}
    for outcome in [*pieces, *tails]:
        outcome.rows = layout(outcome.rows)
    for outcome in pieces:
        found[keys[_group_key(outcome.chunk)]].append(outcome)
    for g, tail in enumerate(tails):
        found[g].append(tail)

    def when(outcome: Outcome) -> pd.Timestamp:
        return to_utc(outcome.chunk.start, "start") or pd.Timestamp.min.tz_localize("UTC")

    return [_named(functools.reduce(joined, sorted(parts, key=when)), parts) for parts in found]


def _named(whole: Outcome, parts: Sequence[Outcome]) -> Outcome:
    """``whole`` (a group's parts joined) with its error naming each part that failed, and
    its range: a month's count beside the whole range's bounds would say neither."""
    bad = [p for p in parts if p.status != "ok" and p.error is not None]
    if len(parts) > 1 and bad:
        whole.error = "; ".join(f"in {bounds(p.chunk)}: {p.error}" for p in bad)
    return whole


def _group_key(chunk: Chunk) -> tuple[str | None, str | None]:
    recipient = dict(chunk.source.filters).get("emailaddress")
    return chunk.account, recipient
