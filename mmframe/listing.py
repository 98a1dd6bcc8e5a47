"""Fetching whole lists page by page, concurrently, without ever truncating silently. No pandas.

Lists without a count endpoint (accounts, senders: 25 a page) are read page after page
until a short one: each page tells whether another follows, so no request is wasted
(reading the lists of several accounts at once is the loaders' job). Lists with a count
(suppressions, and every report: see :class:`Source`) are read count-first: one count per
chunk, then every page of every chunk at once on the shared pool, then the chunk is
counted again.

Offset pages shift when rows of the range are added or removed while they are read, so a
read is accepted only when both counts agree and the distinct rows read equal them. A chunk
that moved is read again (up to :data:`READS` times in all); one that keeps moving, or
stays short, is reported, never returned as complete.

The chunks of one read are one picture: a chunk read early can change while later ones
are read (an address activated there and suppressed again later in the range would come
twice, with counts that still agree). So the counts that close a read take every chunk
of it at once, once all pages are in, those read earlier included; a chunk whose count
moved since its pages were read is read again, until one closing count agrees with every
chunk. Ranges that only lose rows once their second is over (the loaders read the current
second last) then hold, at that closing count, exactly the rows read.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

import pyarrow as pa

from . import page_parsing
from .errors import MalformedAnswer, MMError
from .progress import Bar, Silent, grow

T = TypeVar("T")
R = TypeVar("R")


class Answer(Protocol):
    """A decoded answer: its ``data`` and how many times the request was sent."""

    @property
    def data(self) -> Any: ...

    @property
    def attempts(self) -> int: ...


#: Reads an answer's bytes: ``parse(body, decode)`` (``decode`` maps a parsed envelope to its
#: data, or raises the API's error).
Parse = Callable[[bytes, Callable[[Any], Any]], T]


class Requester(Protocol):
    """What paging needs of a session (:class:`mmframe.client.Session` is one): requests,
    and the shared pool to run them on. Paging never imports the client."""

    def call(self, verb: str, method: str, params: dict[str, Any]) -> Answer: ...

    def fetch(self, verb: str, method: str, params: dict[str, Any], parse: Parse[T]) -> Any: ...

    def map(
        self, fn: Callable[[T], R], items: Iterable[T], *, each: Callable[[], object] | None = ...
    ) -> list[R]: ...

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R]]: ...


#: Rows a page of a list with a count holds (``/suppressions``, the reports: SPEC A4).
PAGE = 500
#: Rows a page of a list without a count holds (``/accounts``, ``/senders``: SPEC A4).
SMALL_PAGE = 25
#: Reads of one chunk at most before it is reported as changing.
READS = 3


@dataclass
class Listing:
    """A whole list: its rows, the requests it took, and the page's other fields."""

    rows: list[dict[str, Any]]
    attempts: int
    extra: dict[str, Any]


def fetch_all_pages(
    session: Requester,
    method: str,
    key: str,
    params: dict[str, Any] | None = None,
    *,
    size: int = SMALL_PAGE,
    progress: Bar | None = None,
) -> Listing:
    """Every row of an offset-paged list, one page after another.

    The first short (or empty) page ends the list, so the requests sent are exactly the
    pages the list needs: a guessed wave of pages would waste requests on a rate-limited
    API for the short lists these are.
    """
    # Not ``progress or ...``: a tqdm bar whose total is still 0 is falsy.
    bar = progress if progress is not None else Silent()
    listing = Listing([], 0, {})
    number = 0
    before: list[dict[str, Any]] = []
    while True:
        grow(bar, 1)
        reply = session.call("GET", method, {**(params or {}), "startindex": number * size})
        bar.update(1)
        data = dict(reply.data)
        page_rows = list(data.pop(key, None) or [])
        if page_rows and page_rows == before:  # else a server ignoring it is read forever
            raise MalformedAnswer(
                f"the answer to startindex={number * size} repeats the page before it: the "
                "server ignores startindex",
                field=key,
                method=f"GET {method}",
                attempts=listing.attempts + reply.attempts,
            )
        listing.rows += page_rows
        listing.attempts += reply.attempts
        listing.extra = listing.extra or data
        if len(page_rows) < size:
            return listing
        before = page_rows
        number += 1


@dataclass(frozen=True)
class Source:
    """What a chunk reads: a list method, its count method, and how a page becomes columns.

    ``dedupe`` drops rows read twice (rows with an id); None where rows carry no identity,
    and then the counts alone tell a list that moved.
    """

    method: str
    count_method: str
    parse: Callable[[bytes, page_parsing.Decode], pa.Table]
    empty: Callable[[], pa.Table]
    dedupe: Callable[[pa.Table], pa.Table] | None = None
    bounds: tuple[str, str] = ("startdate", "enddate")
    filters: tuple[tuple[str, str], ...] = ()  # extra parameters of list and count
    #: Where pages are parsed unchecked: the check of a chunk's rows as a whole, and the
    #: parse that checks each page, for reading a chunk that failed it again.
    check: Callable[[pa.Table], bool] | None = None
    checked: Callable[[bytes, page_parsing.Decode], pa.Table] | None = None
    #: Parses several pages' bytes in one call (a table each), or None to read them one
    #: by one: where a large read fetches a few pages in turn per task (:func:`_group`).
    at_once: Callable[[Sequence[bytes]], list[pa.Table] | None] | None = None

    def page_by_page(self) -> Source:
        """This source with each page checked as it is parsed (no chunk check)."""
        assert self.checked is not None
        return replace(self, parse=self.checked, check=None, checked=None, at_once=None)


SUPPRESSIONS = Source(
    "suppressions",
    "suppressions/count",
    page_parsing.suppressions_unchecked,
    page_parsing.empty,
    page_parsing.unique_ids,
    check=page_parsing.fits,
    checked=page_parsing.suppressions,
    at_once=page_parsing.suppressions_at_once,
)


@dataclass
class Chunk:
    """One slice of a read: an account's session, a half-open range, and what to read."""

    session: Requester
    account: str | None
    start: str | None  # wire-format bounds; None is open
    end: str | None
    source: Source = SUPPRESSIONS

    def params(self) -> dict[str, Any]:
        low, high = self.source.bounds
        return {low: self.start, high: self.end, **dict(self.source.filters)}


@dataclass
class Outcome:
    """What reading one chunk gave: its rows, the count it should match, how it went."""

    chunk: Chunk
    rows: pa.Table = field(default_factory=page_parsing.empty)  # the source's page columns
    expected: int | None = None
    attempts: int = 0
    status: str = "ok"  # ok | failed | short | changing | unchecked (read again, checked)
    error: str | None = None
    counted_after: int | None = None  # the count once every page was in
    fields: dict[str, Any] = field(default_factory=dict)  # the count answer's other fields
    failure: MMError | None = None  # the error of a count that failed


def check_requests(planned: int, max_requests: int, what: str) -> None:
    """``ValueError`` when a call would send more than ``max_requests`` requests.

    ``planned`` counts the requests the call cannot do without (a list read: its count,
    one page and its count again, per chunk); ``what`` says how they multiply.
    """
    if isinstance(max_requests, bool) or not isinstance(max_requests, int) or max_requests < 1:
        raise ValueError(f"max_requests must be a positive integer, not {max_requests!r}")
    if planned > max_requests:
        raise ValueError(
            f"this call plans at least {planned:,} requests ({what}), over max_requests="
            f"{max_requests:,}: narrow the range or the filters, use a coarser freq, or pass "
            "max_requests= to allow more"
        )


@dataclass
class Budget:
    """What one read of chunks may send: ``max_requests``, checked once the counts say how
    many pages there are, then spent by pages a list that grew needs beyond them."""

    max_requests: int
    left: int = 0

    def plan(self, outcomes: Sequence[Outcome]) -> None:
        """Refuse the read if its counts make it plan more than the budget allows.

        A count is the server's word: ``10**10`` would plan 20 million pages.
        """
        pages = sum(_pages(o.expected) for o in outcomes if o.error is None)
        planned = pages + 2 * len(outcomes)  # the counts before and after every page
        largest = max(outcomes, key=lambda o: o.expected or 0)
        check_requests(
            planned,
            self.max_requests,
            f"{pages:,} pages of {PAGE} and two counts a chunk, once counted: the largest "
            f"count is {largest.expected or 0:,} rows ({_name(largest.chunk)})",
        )
        self.left = self.max_requests - planned

    def spend(self, chunk: Chunk) -> None:
        """Take one request for a page past the count; refuse when none is left."""
        if self.left <= 0:
            check_requests(
                self.max_requests + 1,
                self.max_requests,
                f"{_name(chunk)} kept answering full pages past its count",
            )
        self.left -= 1


def load_chunks(
    chunks: Sequence[Chunk],
    *,
    max_requests: int,
    progress: Bar | None = None,
    reads: int = READS,
    held: Sequence[Outcome] = (),
) -> list[Outcome]:
    """Read every chunk's rows exactly, as one picture: chunks that moved are read again.

    Each read of the chunks sends at most ``max_requests`` requests: checked once the
    counts say how many pages there are (``ValueError`` before any page is asked for).
    ``held`` are the outcomes of an earlier part of the same read (the loaders read the
    range before the current second first, and that second once it is over): they are
    counted again with every closing count, and read again if they moved meanwhile.
    Returns the outcomes of ``held``, then those of ``chunks``.
    """
    # Not ``progress or ...``: a tqdm bar whose total is still 0 is falsy.
    bar = progress if progress is not None else Silent()
    outcomes = [*held, *_read_once(chunks, bar, Budget(max_requests), held)]
    for _ in range(reads - 1):
        moved = [i for i, o in enumerate(outcomes) if o.status in _AGAIN]
        if not moved:
            break
        still = [o for i, o in enumerate(outcomes) if i not in moved and o.status == "ok"]
        again = _read_once([outcomes[i].chunk for i in moved], bar, Budget(max_requests), still)
        for position, fresh in zip(moved, again, strict=True):
            fresh.attempts += outcomes[position].attempts
            outcomes[position] = fresh
    return outcomes


#: The statuses of a chunk read again: it moved, or its pages must be checked one by one.
_AGAIN = ("short", "changing", "unchecked")


def _read_once(
    chunks: Sequence[Chunk], bar: Bar, budget: Budget, read: Sequence[Outcome] = ()
) -> list[Outcome]:
    """One read of each chunk: count, every page at once, count again, then the checks.

    The counts after the pages also take the chunks ``read`` before, so that they all
    close at once (see :func:`_close`).
    """
    if not chunks:
        _close(read, bar)
        return []
    pool = chunks[0].session  # every chunk's session shares one transport and pool
    outcomes = count_chunks(chunks, progress=bar)
    budget.plan(outcomes)
    wanted = [
        (i, n) for i, o in enumerate(outcomes) if o.error is None for n in range(_pages(o.expected))
    ]
    grow(bar, len(wanted))
    pages_of: list[dict[int, pa.Table]] = [{} for _ in outcomes]
    fit = [True for _ in outcomes]
    pages: dict[int, list[int]] = {}
    for i, number in wanted:
        pages.setdefault(i, []).append(number)
    groups = [
        (i, outcomes[i].chunk, part) for i, part in split_groups(pages, getattr(pool, "workers", 1))
    ]
    answers: dict[int, tuple[list[tuple[pa.Table, int, str | None]], bool]] = {}
    items = [(k, (chunk, numbers)) for k, (_, chunk, numbers) in enumerate(groups)]
    for (k, (_chunk, numbers)), got in pool.map_unordered(lambda item: _checked(item[1]), items):
        answers[k] = got
        bar.update(len(numbers))
    for k, (i, _chunk, numbers) in enumerate(groups):
        run, fits = answers[k]
        fit[i] = fit[i] and fits
        for number, (rows, attempts, error) in zip(numbers, run, strict=True):
            outcomes[i].attempts += attempts
            outcomes[i].error = outcomes[i].error or error
            pages_of[i][number] = rows
    for outcome, fetched, fits in zip(outcomes, pages_of, fit, strict=True):
        _assemble(outcome, fetched, budget, fits)
    after = _close([*read, *outcomes], bar)
    for outcome, again in zip(outcomes, after[len(read) :], strict=True):
        if outcome.status == "ok":
            outcome.counted_after = again.expected
            _check(outcome, again.error)
    return outcomes


def _close(outcomes: Sequence[Outcome], bar: Bar) -> list[Outcome]:
    """Count every chunk of ``outcomes`` at once (their closing counts, returned in order).

    A chunk already accepted whose count moved since its pages were read changed while the
    rest of the read went on: it is marked ``changing``, to be read again.
    """
    after = count_chunks([o.chunk for o in outcomes], progress=bar)
    for outcome, again in zip(outcomes, after, strict=True):
        outcome.attempts += again.attempts
        if outcome.status != "ok" or outcome.counted_after is None:
            continue  # not accepted yet: its own checks follow
        if again.error is not None:
            outcome.status, outcome.error = "failed", again.error
        elif again.expected != outcome.counted_after:
            outcome.status = "changing"
            outcome.error = (
                f"the count moved from {outcome.counted_after} to {again.expected} after "
                "its pages were read, while the rest of the read went on"
            )
    return after


def count_chunks(chunks: Sequence[Chunk], *, progress: Bar | None = None) -> list[Outcome]:
    """Each chunk's count (one request each, all at once on the shared pool), in order.

    The one count every reader uses: a list read's counts before and after its pages,
    and the counts per period of :func:`mmframe.read_suppression_counts`,
    :func:`mmframe.read_event_counts` and :func:`mmframe.read_rates`. Each outcome holds
    ``expected`` (the count), ``fields`` (the answer's other fields, such as a bounce
    count's ``hardbouncecount``), ``attempts``, and ``status``/``error`` when it failed.
    """
    bar = progress if progress is not None else Silent()
    if not chunks:
        return []
    grow(bar, len(chunks))
    return chunks[0].session.map(_count, chunks, each=lambda: bar.update(1))


def _check(outcome: Outcome, error: str | None) -> None:
    """Accept a chunk only if its counts before and after agree with the rows read."""
    after, before, got = outcome.counted_after, outcome.expected, outcome.rows.num_rows
    if error is not None:
        outcome.status, outcome.error = "failed", error
    elif after != before:
        outcome.status = "changing"
        outcome.error = f"the count moved from {before} to {after} while the pages were read"
    elif got != after:
        outcome.status = "short"
        outcome.error = f"{got} rows read but the count says {after}"
    outcome.expected = after if after is not None else before


def _pages(expected: int | None) -> int:
    return (expected or 0) // PAGE + 1  # one more than full pages: a short page ends it


def _count(chunk: Chunk) -> Outcome:
    outcome = Outcome(chunk, chunk.source.empty())
    try:
        reply = chunk.session.call("GET", chunk.source.count_method, chunk.params())
    except MalformedAnswer:
        raise  # no chunk that failed: the server's answers cannot be trusted at all
    except MMError as exc:
        outcome.status, outcome.error, outcome.attempts = "failed", str(exc), exc.attempts
        outcome.failure = exc
        return outcome
    outcome.expected, outcome.attempts = int(reply.data["count"]), reply.attempts
    outcome.fields = dict(reply.data)
    return outcome


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


def _checked(item: tuple[Chunk, list[int]]) -> tuple[list[tuple[pa.Table, int, str | None]], bool]:
    """A run of pages (:func:`_group`), and whether its rows plainly fit the API's rows
    (:attr:`Source.check`), checked here in the worker while other pages are on the way
    rather than for the whole chunk once the last page is in."""
    read = _group(item)
    check = item[0].source.check
    fits = check is None or check(_concat(item[0].source, [rows for rows, _, _ in read]))
    return read, fits


def _group(item: tuple[Chunk, list[int]]) -> list[tuple[pa.Table, int, str | None]]:
    """Consecutive pages of one chunk, fetched in turn and parsed in one call where the
    source can (:attr:`Source.at_once`); each page read alone, the plain way, where it
    cannot, or where the parse at once did not take them all."""
    chunk, numbers = item
    at_once = chunk.source.at_once
    if at_once is None or len(numbers) == 1:
        return [_page((chunk, n)) for n in numbers]
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
    read: list[tuple[pa.Table, int, str | None]] = []
    for position, number in enumerate(numbers):
        alone = at_once(raws[position : position + 1]) if position < len(raws) else None
        read.append((alone[0], attempts[position], None) if alone else _page((chunk, number)))
    return read


def _kept(raw: bytes, _decode: page_parsing.Decode) -> bytes:
    """A page's bytes as they came (parsed with the pages of its group)."""
    return raw


def _page(item: tuple[Chunk, int]) -> tuple[pa.Table, int, str | None]:
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


def _concat(source: Source, tables: Sequence[pa.Table]) -> pa.Table:
    """Pages as one table; columns some pages lack (X-headers) are null there."""
    return pa.concat_tables([source.empty(), *tables], promote_options="default")


def _assemble(
    outcome: Outcome, fetched: dict[int, pa.Table], budget: Budget, fits: bool = False
) -> None:
    """The chunk's pages (by number) as its rows, read on while the last page is full (as
    far as the budget allows: a server may answer full pages forever). ``fits`` says the
    fetched pages were checked already (:func:`_checked`)."""
    numbers = range(_pages(outcome.expected))
    source = outcome.chunk.source
    if outcome.error is not None:
        outcome.status = "failed"
        outcome.rows = _concat(source, [fetched[n] for n in numbers if n in fetched])
        return
    tables = [fetched[n] for n in numbers]
    checked = len(tables) if fits else 0
    # The list grew after the count: keep reading until a short page.
    while tables[-1].num_rows == PAGE:
        budget.spend(outcome.chunk)
        more, attempts, error = _page((outcome.chunk, len(tables)))
        outcome.attempts += attempts
        if error:
            outcome.status, outcome.error = "failed", error
            break
        tables.append(more)
    rows = _concat(source, tables)
    unchecked = tables[checked:]
    if source.check is not None and unchecked and not source.check(_concat(source, unchecked)):
        # Something in the pages does not plainly fit the API's rows: read the chunk again
        # page by page, each checked as it is parsed (the plain road says what is wrong).
        outcome.chunk = replace(outcome.chunk, source=source.page_by_page())
        outcome.status, outcome.error = "unchecked", "a page did not plainly fit the API's rows"
        return
    if source.dedupe is None:
        outcome.rows = rows
        return
    # Rows inserted mid-read shift later pages, so a row can come twice: that chunk moved.
    unique = source.dedupe(rows)
    if unique.num_rows != rows.num_rows:
        outcome.status, outcome.error = "changing", "rows came twice: the pages shifted"
    outcome.rows = unique


def _name(chunk: Chunk) -> str:
    """``news@example.com [2026-01-01..., 2026-02-01...)``, or ``from the first row`` and
    ``until now`` for an open side: a chunk's account and range, in words."""
    start = f"[{chunk.start}" if chunk.start else "(from the first row"
    end = f"{chunk.end})" if chunk.end else "until now)"
    return f"{chunk.account or 'account'} {start}, {end}"


def summarise(outcomes: Sequence[Outcome]) -> str:
    """A message naming the chunks that failed or came back short."""
    bad = [o for o in outcomes if o.status != "ok"]
    names = "; ".join(f"{_name(o.chunk)}: {o.status}: {o.error}" for o in bad[:5])
    more = f" (+{len(bad) - 5} more)" if len(bad) > 5 else ""
    return f"{len(bad)} of {len(outcomes)} chunks incomplete: {names}{more}"
