"""The pages of a count-first read, fetched in runs: a task fetches a few consecutive pages
of one chunk in turn, parses them in one call and checks them, in the worker, while other
pages are on the way (:func:`split_groups` says which runs, :func:`fetch_run` reads one)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pyarrow as pa

from . import page_parsing
from .chunks import PAGE, Chunk, Source
from .errors import MalformedAnswer, MMError

#: One page's rows, the requests it took, and its error (None when it was read).
Page = tuple[pa.Table, int, str | None]


#: Pages one task fetches in turn at most, parsed at once (:func:`split_groups`).
GROUP = 8


def split_groups(pages: dict[int, list[int]], workers: int) -> list[tuple[int, list[int]]]:
    """Each chunk's page numbers (chunk -> numbers) cut into the runs one task fetches in
    turn and parses at once: ``(chunk, numbers)``, every number once, in order.

    A page each while the pages are few for the workers (every page then goes out at once:
    latency decides). A large read's runs hold up to :data:`GROUP` pages, where a parse per
    page costs more than the wait, sized alike so that the workers finish together (a last
    round of a few long runs would leave the others idle).
    """
    total = sum(len(numbers) for numbers in pages.values())
    workers = max(workers, 1)
    if total // workers // 4 < 2:
        return [(i, [n]) for i, numbers in pages.items() for n in numbers]
    runs_wanted = workers * -(-total // (workers * GROUP))  # whole rounds of the workers
    runs: list[tuple[int, list[int]]] = []
    for i, numbers in pages.items():
        share = round(len(numbers) * runs_wanted / total)
        count = max(share, -(-len(numbers) // GROUP), 1)
        cuts = [len(numbers) * k // count for k in range(count + 1)]
        runs += [(i, numbers[a:b]) for a, b in itertools.pairwise(cuts) if b > a]
    return runs


def fetch_run(item: tuple[Chunk, list[int]]) -> tuple[list[Page], bool]:
    """A run of pages (:func:`fetch_run`), and whether its rows plainly fit the API's rows
    (:attr:`Source.check`), checked here in the worker while other pages are on the way
    rather than for the whole chunk once the last page is in."""
    read = _group(item)
    check = item[0].source.check
    fits = check is None or check(concat(item[0].source, [rows for rows, _, _ in read]))
    return read, fits


def _group(item: tuple[Chunk, list[int]]) -> list[Page]:
    """Consecutive pages of one chunk, fetched in turn and parsed in one call where the
    source can (:attr:`Source.at_once`); each page read alone, the plain way, where it
    cannot, or where the parse at once did not take them all."""
    chunk, numbers = item
    at_once = chunk.source.at_once
    if at_once is None or len(numbers) == 1:
        return [fetch_page((chunk, n)) for n in numbers]
    raws: list[bytes] = []
    attempts: list[int] = []
    for number in numbers:
        params = {**chunk.params(), "startindex": number * PAGE}
        try:
            raw, sent = chunk.session.fetch("GET", chunk.source.method, params, _kept)
        except MalformedAnswer:
            raise
        except MMError:
            break  # read alone below: the one road that reports a page's error
        raws.append(raw)
        attempts.append(sent)
    tables = at_once(raws) if len(raws) == len(numbers) else None
    if tables is not None:
        return [(table, sent, None) for table, sent in zip(tables, attempts, strict=True)]
    # One page spoils the parse at once: each parsed alone, and read again (the road that
    # names what is wrong) only where that fails too.
    read: list[Page] = []
    for position, number in enumerate(numbers):
        alone = at_once(raws[position : position + 1]) if position < len(raws) else None
        read.append((alone[0], attempts[position], None) if alone else fetch_page((chunk, number)))
    return read


def _kept(raw: bytes, _decode: page_parsing.Decode) -> bytes:
    """A page's bytes as they came (parsed with the pages of its group)."""
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
