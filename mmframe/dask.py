"""Suppressions or report events as a Dask DataFrame: one partition per (account, period),
built lazily.

Needs the ``dask`` extra (``pip install "mmframe[dask]"``); ``import mmframe`` never imports
this module. Workers reach the API themselves, by URL and key carried in the task graph (a
session, with its pools and threads, cannot be pickled), so treat the graph as a secret.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Unpack

import dask.dataframe as dd
import pandas as pd

from . import page_parsing, schema
from .cache.reads import read_cached, root_of
from .chunks import SUPPRESSIONS
from .client import Session
from .dates import DateLike, wire
from .errors import PartialLoadError
from .listing import summarise
from .loaders import events
from .loaders.common import raise_refused
from .loaders.queries import Query, headers_of
from .loaders.ranges import Read, ReadPlan, plan_read
from .options import LazyReadOptions, LazyReportOptions, takes

__all__ = ["read_events", "read_suppressions"]

#: A Dask partition holds whole periods: a range reaching past now ends when it is built.
_WHAT = "mmframe.dask: 3 a read x periods x accounts x recipients"
#: The read options of the eager readers a lazy one cannot honour, and what to do instead.
_REFUSED = {
    "on_error": "a partition is read when the frame is computed, and one that cannot be "
    "read whole raises PartialLoadError there (compute per partition to keep the others)",
    "progress": "partitions are read when the frame is computed: show Dask's progress "
    "then (dask.diagnostics.ProgressBar, or the distributed dashboard)",
}


@dataclass(frozen=True)
class Piece:
    """What one Dask partition reads: an account's key and a period."""

    url: str
    apikey: str
    account: str | None
    start: str
    end: str
    accounts: tuple[str, ...] | None  # categories of the account column, when there is one
    max_requests: int  # what reading the partition may send, once its counts are in
    query: Query | None = None  # None: suppressions
    headers: tuple[str, ...] = ()  # X-header names given a column each
    cache: str | None = None  # the cache folder (resolved where the frame was built)
    username: str | None = None  # the account's username, the cache's name for it

    def __repr__(self) -> str:  # keep the key out of Dask's dashboards and errors
        what = "suppressions" if self.query is None else self.query.report
        return f"Piece({what}, {self.account}, {self.start} .. {self.end})"


@lru_cache(maxsize=64)
def _session(url: str, apikey: str) -> Session:
    """One session per worker process and key (pools are reused across partitions)."""
    return Session(url, apikey, max_workers=8)


def load_piece(piece: Piece) -> pd.DataFrame:
    """Read one partition: its chunks' pages concurrently, checked against their counts."""
    session = _session(piece.url, piece.apikey)
    query = piece.query
    plan = ReadPlan.of_span(
        session, piece.account, piece.start, piece.end, max_requests=piece.max_requests,
        cache=piece.cache or False,
    )  # fmt: skip
    if piece.cache and piece.username:
        plan = replace(plan, readers=[(piece.username, session)])
    source = (lambda _r: SUPPRESSIONS) if query is None else query.source
    recipients = (None,) if query is None else query.recipients
    kind = "suppressions" if query is None else query.kind
    _plan, outcomes, _tally = read_cached(plan, source, recipients, kind=kind, live=False)
    if piece.cache and piece.username:
        for outcome in outcomes:
            outcome.chunk.account = piece.account
    if query is None:
        frame = schema.suppressions(schema.suppression_rows([o.rows for o in outcomes]))
    else:
        for outcome in outcomes:
            outcome.rows = query.filters.narrow(session, outcome.rows)
        frame = events.frame(query.report, outcomes, None, list(piece.headers))
    if piece.accounts is not None:
        frame = schema.with_account(frame, [str(piece.account)] * len(frame), piece.accounts)
    bad = [o for o in outcomes if o.status != "ok"]
    if bad:
        raise_refused(outcomes)
        raise PartialLoadError(summarise(bad), frame=frame, chunks=pd.DataFrame())
    return frame


def _pieces(plan: ReadPlan, query: Query | None, headers: tuple[str, ...]) -> list[Piece]:
    names = tuple(plan.names) if plan.names is not None else None
    root = root_of(plan.session.cache if plan.read.cache is None else plan.read.cache)
    cache = str(root) if root is not None else None
    return [
        Piece(
            *reader.credentials(), str(name) if name else None, str(wire(a)), str(wire(b)),
            names, plan.read.max_requests, query, headers, cache,
            (name or reader.username or reader.identity()) if cache else None,
        )
        for name, reader in plan.readers
        for a, b in plan.periods
    ]  # fmt: skip


def _lazy(pieces: list[Piece], meta: pd.DataFrame, names: list[str] | None) -> dd.DataFrame:
    if names is not None:
        meta = schema.with_account(meta, [], names)
    frame: dd.DataFrame = dd.from_map(load_piece, pieces, meta=meta, enforce_metadata=False)
    return frame


@takes(LazyReadOptions, refused=_REFUSED)
def read_suppressions(
    start: DateLike, end: DateLike, *, freq: str = "MS", **options: Unpack[LazyReadOptions]
) -> dd.DataFrame:
    """A lazy Dask frame of ``[start, end)``, one partition per (account, ``freq`` period).

    Same columns, dtypes, options and checks as :func:`mmframe.read_suppressions`, but
    for ``on_error`` and ``progress`` (refused with ``TypeError``: a partition is read,
    and fails, when the frame is computed); works on a ``dask.distributed`` cluster of
    separate processes. A range reaching past now ends when the frame is built (or at
    ``as_of``), so computing it later gives the same rows.
    """
    read = Read.of(options)
    plan = plan_read(
        read, start, end, freq=freq, settle=True, bounds="both",
        what="mmframe.dask.read_suppressions: 3 a read x periods x accounts",
    )  # fmt: skip
    return _lazy(_pieces(plan, None, ()), schema.empty(schema.SUPPRESSIONS), plan.names)


@takes(LazyReportOptions, refused=_REFUSED)
def read_events(
    kind: events.Kind,
    start: DateLike,
    end: DateLike,
    *,
    freq: str = "MS",
    **options: Unpack[LazyReportOptions],
) -> dd.DataFrame:
    """A lazy Dask frame of report ``kind`` over ``[start, end)``, one partition per
    (account, ``freq`` period): the columns, options and checks of
    :func:`mmframe.read_events`, but for ``on_error`` and ``progress`` (as
    :func:`read_suppressions`)."""
    query, read = Query.of(kind, options), Read.of(options)
    plan = plan_read(
        read, start, end, freq=freq, settle=True, bounds="both",
        fanout=len(query.recipients), what=f"mmframe.dask.read_events: {_WHAT}",
    )  # fmt: skip
    headers = tuple(headers_of(plan.readers, query.filters))
    meta = schema.events(query.report, page_parsing.empty_events(), headers)
    return _lazy(_pieces(plan, query, headers), meta, plan.names)
