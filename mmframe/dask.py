"""Suppressions or report events as a Dask DataFrame: one partition per (account, period),
built lazily.

Needs the ``dask`` extra (``pip install "mmframe[dask]"``); ``import mmframe`` never imports
this module. Workers reach the API themselves, by URL and key carried in the task graph (a
session, with its pools and threads, cannot be pickled), so treat the graph as a secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import dask.dataframe as dd
import pandas as pd

from . import pages, schema
from .client import Session, resolve
from .dates import MAX_REQUESTS, DateLike, check_requests, chunk_range, settled_end, utc_range, wire
from .errors import PartialLoadError
from .loaders import events
from .loaders.common import Accounts, targets
from .paging import SUPPRESSIONS, Chunk, load_chunks, summarise

NO_FILTERS = events.Filters()


@dataclass(frozen=True)
class Piece:
    """What one Dask partition reads: an account's key and a period."""

    url: str
    apikey: str
    account: str | None
    start: str
    end: str
    accounts: tuple[str, ...] | None  # categories of the account column, when there is one
    report: str = "suppressions"  # or a report: "bounces", "opens/unique", ...
    filters: events.Filters = NO_FILTERS
    headers: tuple[str, ...] = ()  # X-header names given a column each

    def __repr__(self) -> str:  # keep the key out of Dask's dashboards and errors
        return f"Piece({self.report}, {self.account}, {self.start} .. {self.end})"


@lru_cache(maxsize=64)
def _session(url: str, apikey: str) -> Session:
    """One session per worker process and key (pools are reused across partitions)."""
    return Session(url, apikey, max_workers=8)


def load_piece(piece: Piece) -> pd.DataFrame:
    """Read one partition: its chunk's pages concurrently, checked against its count."""
    if piece.report == "suppressions":
        source = SUPPRESSIONS
    else:
        source = events.source(piece.report, piece.filters, None)
    session = _session(piece.url, piece.apikey)
    chunk = Chunk(session, piece.account, piece.start, piece.end, source)
    (outcome,) = events.narrowed(load_chunks([chunk]), piece.filters)
    if piece.report == "suppressions":
        frame = schema.suppressions(outcome.rows)
    else:
        rows = schema.events(piece.report, outcome.rows, piece.headers)
        frame = events.in_time_order(piece.report, rows)
    if piece.accounts is not None:
        frame = schema.with_account(frame, [str(piece.account)] * len(frame), piece.accounts)
    if outcome.status != "ok":
        raise PartialLoadError(summarise([outcome]), frame=frame, report=pd.DataFrame())
    return frame


def read_suppressions(
    start: DateLike,
    end: DateLike,
    *,
    accounts: Accounts = None,
    freq: str = "MS",
    session: Session | None = None,
    as_of: DateLike = None,
    max_requests: int = MAX_REQUESTS,
) -> dd.DataFrame:
    """A lazy Dask frame of ``[start, end)``, one partition per (account, ``freq`` period).

    Same columns, dtypes and checks as :func:`mmframe.read_suppressions`; works on a
    ``dask.distributed`` cluster of separate processes. A range reaching past now ends
    when the frame is built (or at ``as_of``), so computing it later gives the same rows.
    """
    lo, hi = utc_range(start, end)
    if lo is None or hi is None:
        raise ValueError("mmframe.dask.read_suppressions needs both start and end")
    hi = settled_end(lo, hi, as_of)
    periods = chunk_range(lo, hi, freq, max_requests=max_requests)
    session = resolve(session)
    readers = targets(session, accounts)
    check_requests(3 * len(periods) * len(readers), max_requests, "3 a read x periods x accounts")
    names = tuple(str(n) for n, _ in readers) if accounts is not None else None
    pieces = [
        Piece(*reader.credentials(), str(name) if name else None, str(wire(a)), str(wire(b)), names)
        for name, reader in readers
        for a, b in periods
    ]
    meta = schema.empty(schema.SUPPRESSIONS)
    if names is not None:
        meta = schema.with_account(meta, [], names)
    frame: dd.DataFrame = dd.from_map(  # type: ignore[no-untyped-call]
        load_piece, pieces, meta=meta, enforce_metadata=False
    )
    return frame


def read_events(
    kind: events.Kind,
    start: DateLike,
    end: DateLike,
    *,
    unique: bool = False,
    accounts: Accounts = None,
    sender: str | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    bounce_type: str | None = None,
    messages: bool = True,
    freq: str = "MS",
    session: Session | None = None,
    as_of: DateLike = None,
    max_requests: int = MAX_REQUESTS,
) -> dd.DataFrame:
    """A lazy Dask frame of report ``kind`` over ``[start, end)``, one partition per
    (account, ``freq`` period): the columns and checks of :func:`mmframe.read_events`."""
    report, filters = events.prepare(
        kind,
        unique=unique,
        sender=sender,
        domain=domain,
        xheaders=xheaders,
        bounce_type=bounce_type,
        messages=messages,
    )
    lo, hi = utc_range(start, end)
    if lo is None or hi is None:
        raise ValueError("mmframe.dask.read_events needs both start and end")
    hi = settled_end(lo, hi, as_of)
    periods = chunk_range(lo, hi, freq, max_requests=max_requests)
    session = resolve(session)
    readers = targets(session, accounts)
    check_requests(3 * len(periods) * len(readers), max_requests, "3 a read x periods x accounts")
    headers = tuple(events.headers_of(readers, filters))
    names = tuple(str(n) for n, _ in readers) if accounts is not None else None
    pieces = [
        Piece(
            *reader.credentials(),
            str(name) if name else None,
            str(wire(a)),
            str(wire(b)),
            names,
            report,
            filters,
            headers,
        )
        for name, reader in readers
        for a, b in periods
    ]
    meta = schema.events(report, pages.empty_events(), headers)
    if names is not None:
        meta = schema.with_account(meta, [], names)
    frame: dd.DataFrame = dd.from_map(  # type: ignore[no-untyped-call]
        load_piece, pieces, meta=meta, enforce_metadata=False
    )
    return frame
