"""The pages of a count-first read: each page fetched by its own task (the workers stay
busy to the last page, whatever each page costs the server), and parsed with the pages that
came before it, a few at a time (:class:`Batches`), in the worker that fetched the last of
them, while other pages are on the way; each batch checked there too (:func:`fetch`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

import pyarrow as pa

from . import page_parsing
from .chunks import PAGE, Chunk, Source
from .errors import MalformedAnswer, MMError

#: One page's rows, the requests it took, and its error (None when it was read).
Page = tuple[pa.Table, int, str | None]
#: A page fetched and not parsed yet: its number, its bytes, the requests it took.
Raw = tuple[int, bytes, int]

#: Pages parsed in one call at most: one parse of eight pages costs about half of eight
#: parses of one, and a dozen Arrow calls per page, each taking and releasing the GIL,
#: cost a 1M-row read more than its parse (16 threads queueing for the GIL).
GROUP = 8


class Batches:
    """The fetched pages of each chunk, handed out to be parsed a batch at a time: once
    :data:`GROUP` of them wait, or the chunk's last page is in (nothing waits at the end).

    Thread-safe: every worker adds the page it fetched and parses the batch it is handed.
    """

    def __init__(self, pages: Mapping[int, int], all_in: Callable[[], None] | None = None) -> None:
        """``pages``: how many pages each chunk (by index) is read in; ``all_in()`` is called
        once the last page of all is in (before its batch is parsed)."""
        self._lock = threading.Lock()
        self._left = dict(pages)
        self._total = sum(pages.values())
        self._all_in = all_in
        self._waiting: dict[int, list[Raw]] = {i: [] for i in pages}

    def add(self, chunk: int, page: Raw | None) -> list[Raw]:
        """Take one page of ``chunk`` (None: a page read alone instead, as it failed or as
        its source parses pages one by one); the batch to parse now, or nothing."""
        with self._lock:
            waiting = self._waiting[chunk]
            if page is not None:
                waiting.append(page)
            self._left[chunk] -= 1
            self._total -= 1
            last = self._total == 0
            batch: list[Raw] = []
            if len(waiting) >= GROUP or self._left[chunk] == 0:
                batch, self._waiting[chunk] = waiting, []
        if last and self._all_in is not None:
            self._all_in()
        return batch


def fetch(
    chunk: Chunk, index: int, number: int, batches: Batches
) -> tuple[list[tuple[int, Page]], bool]:
    """Page ``number`` of ``chunk`` (the read's chunk ``index``), and the pages parsed with
    it if it completed a batch, by number; with whether they plainly fit the API's rows
    (:attr:`Source.check`), checked here while other pages are on the way rather than for
    the whole chunk once the last page is in."""
    source = chunk.source
    if source.at_once is None:
        parsed = [(number, fetch_page((chunk, number)))]
        batches.add(index, None)  # nothing to batch: told only that the page is in
    else:
        params = {**chunk.params(), "startindex": number * PAGE}
        try:
            raw, sent = chunk.session.fetch("GET", source.method, params, _kept)
        except MalformedAnswer:
            raise
        except MMError:  # read alone: the one road that reports a page's error
            parsed = [(number, fetch_page((chunk, number)))]
            parsed += _parsed(chunk, batches.add(index, None))
        else:
            parsed = _parsed(chunk, batches.add(index, (number, raw, sent)))
    check = source.check
    fits = check is None or not parsed or check(concat(source, [p[0] for _, p in parsed]))
    return parsed, fits


def _parsed(chunk: Chunk, batch: Sequence[Raw]) -> list[tuple[int, Page]]:
    """A batch of one chunk's pages parsed in one call where the source can
    (:attr:`Source.at_once`); where one page spoils that, each parsed alone, and read again
    (the road that names what is wrong) where that fails too."""
    if not batch:
        return []
    at_once = chunk.source.at_once
    assert at_once is not None
    tables = at_once([raw for _, raw, _ in batch])
    if tables is not None:
        return [(n, (t, sent, None)) for (n, _, sent), t in zip(batch, tables, strict=True)]
    parsed: list[tuple[int, Page]] = []
    for number, raw, sent in batch:
        alone = at_once([raw])
        parsed.append((number, (alone[0], sent, None) if alone else fetch_page((chunk, number))))
    return parsed


def _kept(raw: bytes, _decode: page_parsing.Decode) -> bytes:
    """A page's bytes as they came (parsed with the pages of its batch)."""
    return raw


def fetch_page(item: tuple[Chunk, int]) -> Page:
    """One page as columns, parsed in the worker (Arrow parses without the GIL)."""
    chunk, number = item
    params = {**chunk.params(), "startindex": number * PAGE}
    try:
        table, attempts = chunk.session.fetch(
            "GET", chunk.source.method, params, chunk.source.parse
        )
    except MalformedAnswer:
        raise  # as for a count
    except MMError as exc:
        return chunk.source.empty(), exc.attempts, str(exc)
    return table, attempts, None


def concat(source: Source, tables: Sequence[pa.Table]) -> pa.Table:
    """Pages as one table; columns some pages lack (X-headers) are null there."""
    return pa.concat_tables([source.empty(), *tables], promote_options="default")
