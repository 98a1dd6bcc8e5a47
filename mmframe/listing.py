"""Fetching whole lists page by page, concurrently, without ever truncating silently. No pandas.

Lists without a count endpoint (accounts, senders: 25 a page) are read page after page
until a short one: each page tells whether another follows, so no request is wasted
(reading the lists of several accounts at once is the loaders' job). Lists with a count
(suppressions, and every report: see :class:`Source`) are read count-first: one count per
chunk, then every page of every chunk at once on the shared pool, then the chunk is
counted again.

Offset pages shift when rows of the range are added or removed while they are read, so a
read is accepted only when both counts agree and the distinct rows read equal them. A chunk
that moved is read again (up to :data:`READS` times in all, each chunk); one that keeps
moving, or stays short, is reported, never returned as complete.

The chunks of one read are one picture: a chunk read early can change while later ones
are read (an address activated there and suppressed again later in the range would come
twice, with counts that still agree). So the counts that close a read take every chunk
of it at once, once all pages are in, those read earlier included; a chunk whose count
moved since its pages were read is read again, until one closing count agrees with every
chunk. Ranges that only lose rows once their second is over (the loaders read the current
second last) then hold, at that closing count, exactly the rows read.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, wait
from dataclasses import dataclass, replace
from typing import Any

import pyarrow as pa

from .chunks import PAGE, SMALL_PAGE, Chunk, Outcome, Requester
from .count_reads import count_chunks, count_one
from .errors import MalformedAnswer, RequestBudgetError
from .page_runs import Batches, concat, fetch, fetch_page
from .progress import Bar, Silent, falter, grow, reserve

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
    grow(bar, 1)
    while True:
        reply = session.call("GET", method, {**(params or {}), "startindex": number * size})
        data = dict(reply.data)
        page_rows = list(data.pop(key, None) or [])
        if len(page_rows) >= size:
            grow(bar, 1)  # a full page: the next follows (known before this one counts)
        bar.update(1)
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


def check_requests(planned: int, max_requests: int, what: str) -> None:
    """``ValueError`` when a call would send more than ``max_requests`` requests.

    ``planned`` counts the requests the call cannot do without (a list read: its count,
    one page and its count again, per chunk); ``what`` says how they multiply.
    """
    if isinstance(max_requests, bool) or not isinstance(max_requests, int) or max_requests < 1:
        raise ValueError(f"max_requests must be a positive integer, not {max_requests!r}")
    if planned > max_requests:
        raise RequestBudgetError(
            f"this call plans at least {planned:,} requests ({what}), over max_requests="
            f"{max_requests:,}: narrow the range or the filters, use a coarser freq, or pass "
            "max_requests= to allow more",
            planned=planned,
            max_requests=max_requests,
            what=what,
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
    counted: Sequence[Outcome] = (),
    reserved: bool = False,
) -> list[Outcome]:
    """Read every chunk's rows exactly, as one picture: chunks that moved are read again.

    Each read of the chunks sends at most ``max_requests`` requests: checked once the
    counts say how many pages there are (``ValueError`` before any page is asked for).
    ``held`` are the outcomes of an earlier part of the same read (the loaders read the
    range before the current second first, and that second once it is over): they are
    counted again with every closing count, and read again if they moved meanwhile. Each
    chunk is read ``reads`` times at most (one held as a cache stored it, ``Outcome.stored``,
    has not been read yet).
    ``counted`` are the chunks' counts when they were sent already (one outcome per chunk,
    in order): the first read opens with them rather than a round trip of its own.
    ``reserved``: the progress bar held the first counts back (see :func:`_read_once`).
    Returns the outcomes of ``held``, then those of ``chunks``.
    """
    # Not ``progress or ...``: a tqdm bar whose total is still 0 is falsy.
    bar = progress if progress is not None else Silent()
    # Reads of each chunk so far: a period held as stored by a cache has had none (that it
    # moved since it was stored is found by this read's first closing count, no read of it).
    done = [0 if o.stored else 1 for o in held] + [1] * len(chunks)
    first = _read_once(chunks, bar, Budget(max_requests), held, counted, reserved)
    outcomes = [*held, *first]
    while True:
        moved = [i for i, o in enumerate(outcomes) if o.status in _AGAIN]
        # Each chunk is read ``reads`` times at most: a read of many chunks (a cached one's
        # months) gives up no sooner than a read of one, though another chunk moves each time.
        if not moved or any(done[i] >= reads for i in moved):
            break
        still = [o for i, o in enumerate(outcomes) if i not in moved and o.status == "ok"]
        again = _read_once([outcomes[i].chunk for i in moved], bar, Budget(max_requests), still)
        for position, fresh in zip(moved, again, strict=True):
            fresh.attempts += outcomes[position].attempts
            outcomes[position] = fresh
            done[position] += 1
    return outcomes


#: The statuses of a chunk read again: it moved, or its pages must be checked one by one.
_AGAIN = ("short", "changing", "unchecked")


def _read_once(
    chunks: Sequence[Chunk],
    bar: Bar,
    budget: Budget,
    read: Sequence[Outcome] = (),
    counted: Sequence[Outcome] = (),
    reserved: bool = False,
) -> list[Outcome]:
    """One read of each chunk: count (unless ``counted``), every page at once, count
    again, then the checks (``reserved``: the bar held the first counts back).

    The counts after the pages also take the chunks ``read`` before, so that they all
    close at once (see :func:`_close`).
    """
    if not chunks:
        _close(read, bar)
        return []
    pool = chunks[0].session  # every chunk's session shares one transport and pool
    if not counted:
        # The closing counts follow the pages: held back now, so the pages the first counts
        # announce fill what is left of the bar before them, not all of it (a caller that
        # sent the counts held them back before it did).
        reserve(bar, len(read) + len(chunks))
    outcomes = list(counted) or count_chunks(chunks, progress=bar, reserved=reserved)
    budget.plan(outcomes)
    wanted = [
        (i, n) for i, o in enumerate(outcomes) if o.error is None for n in range(_pages(o.expected))
    ]
    grow(bar, len(wanted))
    pages_of: list[dict[int, pa.Table]] = [{} for _ in outcomes]
    fit = [True for _ in outcomes]
    chunks_of = [o.chunk for o in outcomes]
    closing = Closing([*(o.chunk for o in read), *chunks_of])
    batches = Batches(
        {i: _pages(o.expected) for i, o in enumerate(outcomes) if o.error is None}, closing.send
    )
    for (i, _number), (parsed, fits) in pool.map_unordered(
        lambda item: fetch(chunks_of[item[0]], *item, batches), wanted
    ):
        fit[i] = fit[i] and fits
        for number, (rows, attempts, error) in parsed:
            outcomes[i].attempts += attempts
            outcomes[i].error = outcomes[i].error or error
            pages_of[i][number] = rows
        bar.update(1)
    read_on = [
        _assemble(o, f, budget, fits) for o, f, fits in zip(outcomes, pages_of, fit, strict=True)
    ]
    if any(o.error is not None for o in outcomes):
        falter(bar)  # a page given up on: the read cannot be whole
    after = _close([*read, *outcomes], bar, None if any(read_on) else closing)
    for outcome, again in zip(outcomes, after[len(read) :], strict=True):
        if outcome.status == "ok":
            outcome.counted_after = again.expected
            _check(outcome, again.error)
    return outcomes


def _close(outcomes: Sequence[Outcome], bar: Bar, sent: Closing | None = None) -> list[Outcome]:
    """Count every chunk of ``outcomes`` at once (their closing counts, returned in order),
    or take the counts ``sent`` once their last page was in, when it sent them.

    A chunk already accepted whose count moved since its pages were read changed while the
    rest of the read went on: it is marked ``changing``, to be read again.
    """
    early = sent.counts(bar) if sent is not None else None
    after = early or count_chunks([o.chunk for o in outcomes], progress=bar, reserved=True)
    for outcome, again in zip(outcomes, after, strict=True):
        outcome.attempts += again.attempts
        outcome.stored = False  # this read's count has checked it now
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


class Closing:
    """A read's closing counts, sent by the worker that fetched its last page, at once.

    The counts close the read only once every page is in; sent then, rather than once the
    last pages are parsed and the rows assembled, they overlap that work (a round trip and
    more off every read). Not sent (or not taken: pages read on after them) they are sent
    by :func:`_close` as before.
    """

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self._chunks = list(chunks)
        self._sent: list[Future[Outcome]] = []

    def send(self) -> None:
        """Send every count now (each on the shared pool)."""
        self._sent = [c.session.submit(count_one, c) for c in self._chunks]

    def counts(self, bar: Bar) -> list[Outcome] | None:
        """The counts sent, in order, once all are in (None when none were sent)."""
        if not self._sent:
            return None
        grow(bar, len(self._sent), reserved=True)
        session, pending = self._chunks[0].session, set(self._sent)
        while pending:  # waking now and then to notice close(), as Session.map does
            pending = wait(pending, timeout=0.25).not_done
            session.check_open()
        bar.update(len(self._sent))
        return [future.result() for future in self._sent]


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


def _assemble(
    outcome: Outcome, fetched: dict[int, pa.Table], budget: Budget, fits: bool = False
) -> bool:
    """The chunk's pages (by number) as its rows, read on while the last page is full (as
    far as the budget allows: a server may answer full pages forever). ``fits`` says the
    fetched pages were checked already (:func:`~mmframe.page_runs.fetch`). Whether it
    read on (pages sent after the read's last page was in)."""
    numbers = range(_pages(outcome.expected))
    source = outcome.chunk.source
    if outcome.error is not None:
        outcome.status = "failed"
        outcome.rows = concat(source, [fetched[n] for n in numbers if n in fetched])
        return False
    tables = [fetched[n] for n in numbers]
    checked = len(tables) if fits else 0
    read_on: bool = tables[-1].num_rows == PAGE
    # The list grew after the count: keep reading until a short page.
    while tables[-1].num_rows == PAGE:
        budget.spend(outcome.chunk)
        more, attempts, error = fetch_page((outcome.chunk, len(tables)))
        outcome.attempts += attempts
        if error:
            outcome.status, outcome.error = "failed", error
            break
        tables.append(more)
    rows = concat(source, tables)
    unchecked = tables[checked:]
    if source.check is not None and unchecked and not source.check(concat(source, unchecked)):
        # Something in the pages does not plainly fit the API's rows: read the chunk again
        # page by page, each checked as it is parsed (the plain road says what is wrong).
        outcome.chunk = replace(outcome.chunk, source=source.page_by_page())
        outcome.status, outcome.error = "unchecked", "a page did not plainly fit the API's rows"
        return read_on
    if source.dedupe is None:
        outcome.rows = rows
        return read_on
    # Rows inserted mid-read shift later pages, so a row can come twice: that chunk moved.
    unique = source.dedupe(rows)
    if unique.num_rows != rows.num_rows:
        outcome.status, outcome.error = "changing", "rows came twice: the pages shifted"
    outcome.rows = unique
    return read_on


def _name(chunk: Chunk) -> str:
    """``news@example.com [2026-01-01..., 2026-02-01...)``, or ``from the first row`` and
    ``until now`` for an open side: a chunk's account and range, in words."""
    return f"{chunk.account or 'account'} {bounds(chunk)}"


def bounds(chunk: Chunk) -> str:
    """``[2026-01-01..., 2026-02-01...)``, or ``from the first row`` and ``until now`` for
    an open side: a chunk's range, in words."""
    start = f"[{chunk.start}" if chunk.start else "(from the first row"
    end = f"{chunk.end})" if chunk.end else "until now)"
    return f"{start}, {end}"


def summarise(outcomes: Sequence[Outcome]) -> str:
    """A message naming the chunks that failed or came back short (and how many were not
    sent once one had failed)."""
    bad = [o for o in outcomes if o.status not in ("ok", "unsent")]
    unsent = sum(o.status == "unsent" for o in outcomes)
    names = "; ".join(f"{_name(o.chunk)}: {o.status}: {o.error}" for o in bad[:5])
    more = f" (+{len(bad) - 5} more)" if len(bad) > 5 else ""
    dropped = f"; {unsent} more not sent once one had failed for good" if unsent else ""
    return f"{len(bad) + unsent} of {len(outcomes)} chunks incomplete: {names}{more}{dropped}"
