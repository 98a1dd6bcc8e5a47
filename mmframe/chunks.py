"""What a count-first read is made of: the list it reads (:class:`Source`), its slices
(:class:`Chunk`) and what reading each gave (:class:`Outcome`), and what it needs of a
session (:class:`Requester`). No pandas, no requests: paging never imports the client."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

import pyarrow as pa

from . import page_parsing
from .errors import MMError

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

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]: ...

    def check_open(self) -> None: ...


#: Rows a page of a list with a count holds (``/suppressions``, the reports: SPEC A4).
PAGE = 500
#: Rows a page of a list without a count holds (``/accounts``, ``/senders``: SPEC A4).
SMALL_PAGE = 25


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
    #: Parses several pages' bytes in one call (a table each), or None to parse each page
    #: as it comes: a read's pages are parsed a few at a time (:class:`mmframe.page_runs.
    #: Batches`).
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
    #: ok | failed | unsent (another had failed) | short | changing | unchecked (read again)
    status: str = "ok"
    error: str | None = None
    counted_after: int | None = None  # the count once every page was in
    fields: dict[str, Any] = field(default_factory=dict)  # the count answer's other fields
    failure: MMError | None = None  # the error of a count that failed
    #: Held as stored by a cache, its count the one it was stored with: no count of this
    #: read has checked it yet (:func:`mmframe.listing.load_chunks` does, with the first).
    stored: bool = False
