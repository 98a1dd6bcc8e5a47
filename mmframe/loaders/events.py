"""Report events as frames (SPEC 2.5): sent, delivered, bounces, complaints, issues, opens,
clicks, with the same guarantees as suppressions (count-first, every page concurrently,
counted again, re-read when the range moved, :class:`~mmframe.errors.PartialLoadError`)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar, Unpack

import pandas as pd
import pyarrow as pa

from .. import page_parsing, schema
from ..cache.reads import load_period, periods_for, read_cached, stamp_cache
from ..chunks import Outcome, Source
from ..count_reads import count_chunks
from ..dates import DateLike, wait_until, wire
from ..listing import check_requests
from ..options import (
    BounceOptions,
    EngagementOptions,
    EventOptions,
    ReportOptions,
    takes,
)
from ..progress import bar
from ..provenance import read_with
from .common import count_rows, counts_frame, finish
from .queries import (
    COUNT_FIELDS,
    KINDS,
    Filters,
    Kind,
    Query,
    first_event,
    headers_of,
    headers_soon,
)
from .ranges import Read, ReadPlan, plan_read

__all__ = ["KINDS", "Kind"]


def frame(
    report: str, outcomes: Sequence[Outcome], names: list[str] | None, headers: list[str]
) -> pd.DataFrame:
    """The typed frame of ``outcomes`` (``account`` first with ``names``), in time order."""
    tables = [o.rows for o in outcomes]
    rows = pa.concat_tables([page_parsing.empty_events(), *tables], promote_options="default")
    data = schema.events(report, rows, headers)
    if names is not None:
        labels = [o.chunk.account or "" for o in outcomes for _ in range(o.rows.num_rows)]
        data = schema.with_account(data, labels, names)
    return in_time_order(report, data)


def in_time_order(report: str, data: pd.DataFrame) -> pd.DataFrame:
    """Rows in time order (the API pages in its own stable order), a fresh index."""
    order = data[schema.EVENT_TIME[report]].argsort(kind="stable")
    return data.iloc[order].reset_index(drop=True)


def narrowed(outcomes: list[Outcome], filters: Filters, plan: ReadPlan) -> list[Outcome]:
    """Each complete chunk's rows cut by the filters the API cannot apply exactly."""
    for outcome in outcomes:
        if outcome.status == "ok":
            session = plan.session_of(outcome.chunk.account)
            outcome.rows = filters.narrow(session, outcome.rows)
    return outcomes


def _stamp(data: pd.DataFrame, query: Query, plan: ReadPlan, **bounds: str | None) -> None:
    schema.stamp(
        data,
        f"events:{query.report}",
        accounts=plan.names,
        seen=plan.seen,
        sub_key=plan.session.sub_key,
        own=plan.own,
        **bounds,
        **query.provenance(),
    )
    count_rows(read_with(data, plan.session))  # what was read, by which key


@takes(ReportOptions)
def read_events(
    kind: Kind, start: DateLike = None, end: DateLike = None, **options: Unpack[ReportOptions]
) -> pd.DataFrame:
    """Every event of report ``kind`` in ``[start, end)``, checked against its count.

    Parameters
    ----------
    kind
        ``"sent"``, ``"delivered"``, ``"bounces"``, ``"complaints"``, ``"issues"``,
        ``"opens"`` or ``"clicks"``.
    start, end
        Bounds as for :func:`~mmframe.read_suppressions`; a range reaching past now ends
        at the read's start (or ``as_of``).
    **options
        The read options and the filters (:class:`mmframe.options.ReportOptions`, where
        each is declared with its type, default and meaning). ``xheaders`` names must be
        ones every account reports on, else ``ValueError`` before any request;
        ``bounce_type`` and ``messages`` apply to bounces, ``unique`` to opens and clicks
        (with a ``count`` column).

    Returns
    -------
    pandas.DataFrame
        The report's columns (``schema.EVENTS[kind]``: UTC times, categories for types),
        then one text column per X-header (``x_campaign``, ``x_messageid``, ...): the
        account's configured names always, whichever JSON shape the rows carried them in.
        Rows are in time order. A leading ``account`` column when ``accounts`` is given.

    See Also
    --------
    iter_events, read_event_counts, export_events, read_sent, read_delivered,
    read_bounces, read_complaints, read_issues, read_opens, read_clicks

    Examples
    --------
    >>> storm = mm.read_bounces("2026-06-09", "2026-06-10", domain="yahoo.com",
    ...                         accounts=["news@example.com"])
    >>> len(storm), list(storm.columns[-2:])
    (342, ['x_campaign', 'x_messageid'])
    """
    query, read = Query.of(kind, options), Read.of(options)
    plan = plan_read(read, start, end, fanout=len(query.recipients), what=_WHAT)
    headers = headers_soon(plan.readers, query.filters)
    plan = plan.settled()
    with bar(kind, progress=read.progress) as shown:
        plan, loaded, tally = read_cached(
            plan,
            query.source,
            query.recipients,
            kind=query.kind,
            progress=shown,
            first=functools.partial(first_event, query),  # an open start: the oldest row's month
        )
    outcomes = narrowed(loaded, query.filters, plan)
    data = frame(query.report, outcomes, plan.names, headers())
    _stamp(data, query, plan, start=wire(plan.start), end=wire(plan.end))
    return finish(stamp_cache(data, tally), outcomes, read.on_error)


_WHAT = "3 a read x periods x accounts x recipients"


@takes(ReportOptions)
def iter_events(
    kind: Kind,
    start: DateLike,
    end: DateLike = None,
    *,
    freq: str = "MS",
    **options: Unpack[ReportOptions],
) -> Iterator[pd.DataFrame]:
    """Yield one frame per (account, ``freq`` period), for pulls larger than memory.

    Same columns, options and guarantees as :func:`read_events`; ``start`` is required
    (reports have no "first event" to begin from).

    Parameters
    ----------
    kind
        The report, as for :func:`read_events`.
    start, end
        The range; ``end`` None is open (up to the iteration's start, or ``as_of``).
    freq
        The periods' length, a pandas frequency (``"MS"``: calendar months).
    **options
        As for :func:`read_events` (:class:`mmframe.options.ReportOptions`).

    Yields
    ------
    pandas.DataFrame
        One chunk's events, as :func:`read_events` gives them.

    See Also
    --------
    read_events, export_events
    """
    query, read = Query.of(kind, options), Read.of(options)
    plan = plan_read(
        read, start, end, freq=freq, settle=True, bounds="start",
        fanout=len(query.recipients), what=f"iter_events: {_WHAT}",
    )  # fmt: skip
    headers = headers_of(plan.readers, query.filters)
    periods = periods_for(plan, query.kind)
    # One part of the bar a period: each period's read learns its pages as it goes.
    with bar(kind, progress=read.progress, parts=len(plan.periods)) as shown:
        for period in plan.periods:
            if read.as_of is None:
                wait_until(period[1])  # the last period may reach the present second
            chunks = plan.chunks(query.source, query.recipients, periods=[period])
            with bar(kind, progress=shown) as part:
                loaded, tallies = load_period(
                    periods, chunks, max_requests=read.max_requests, progress=part
                )
            for outcome, tally in zip(narrowed(loaded, query.filters, plan), tallies, strict=True):
                data = frame(query.report, [outcome], plan.names, headers)
                _stamp(data, query, plan, start=outcome.chunk.start, end=outcome.chunk.end)
                yield finish(stamp_cache(data, tally), [outcome], read.on_error)


@takes(ReportOptions)
def read_event_counts(
    kind: Kind,
    start: DateLike,
    end: DateLike,
    *,
    freq: str = "D",
    **options: Unpack[ReportOptions],
) -> pd.DataFrame:
    """Event counts per period: one count request per (account, period, recipient), at once.

    Options as :func:`read_events` (``messages`` does not apply to a count); with
    ``recipients``, each period's count is the sum over them. A count always asks the
    server, ``cache=`` or not: a count is what checks a cached period.

    Parameters
    ----------
    kind
        The report, as for :func:`read_events`.
    start, end
        The range (both required).
    freq
        The periods' length, a pandas frequency (``"D"``: days).
    **options
        As for :func:`read_events` (:class:`mmframe.options.ReportOptions`).

    Returns
    -------
    pandas.DataFrame
        Indexed by period ``start`` (UTC) with ``end``, ``count`` (``Int64``), for bounces
        also ``hard`` and ``soft`` (the API's split of all the period's bounces, whatever
        ``bounce_type`` narrows ``count`` to), and ``is_complete`` (False for a period ending after
        ``as_of``); a leading ``account`` column when ``accounts`` is given.

    See Also
    --------
    read_events, read_rates, read_suppression_counts
    """
    query, read = Query.of(kind, options, listing=False), Read.of(options)
    plan = plan_read(
        read, start, end, freq=freq, bounds="both", per_chunk=1,
        fanout=len(query.recipients), what="read_event_counts: periods x accounts x recipients",
    )  # fmt: skip
    if query.filters.xheaders:
        headers_of(plan.readers, query.filters)
    ((data, outcomes),) = count_queries(plan, [query], label=f"{kind.removesuffix('s')} counts")
    schema.stamp(
        data, f"event_counts:{query.report}", accounts=plan.names, start=wire(plan.start),
        end=wire(plan.end), freq=freq, **query.provenance(),
    )  # fmt: skip
    return finish(data, outcomes, read.on_error)


def count_queries(
    plan: ReadPlan, queries: Sequence[Query], *, label: str = "counts"
) -> list[tuple[pd.DataFrame, list[Outcome]]]:
    """Counts per period of several report queries at once: one request per (query,
    account, period, recipient), all concurrently, checked against ``max_requests``.

    Returns, per query, its counts frame (as :func:`read_event_counts` gives, before its
    attrs) and the outcomes behind it.
    """
    check_requests(
        len(plan.periods) * len(plan.readers) * sum(len(q.recipients) for q in queries),
        plan.read.max_requests,
        "periods x accounts x reports x groups x recipients",
    )
    groups = [plan.chunks(functools.partial(_count_source, q), q.recipients) for q in queries]
    with bar(label, progress=plan.read.progress) as shown:
        sent = [c for group in groups for c in group]
        # A read that raises on a failure stops sending at the first (see count_chunks).
        outcomes = count_chunks(sent, progress=shown, give_up=plan.read.on_error == "raise")
    found, at = [], 0
    for query, group in zip(queries, groups, strict=True):
        part, at = outcomes[at : at + len(group)], at + len(group)
        fields = {"count": "count", **COUNT_FIELDS.get(query.kind, {})}
        found.append((counts_frame(part, fields, plan, per=len(query.recipients)), part))
    return found


def _count_source(query: Query, recipient: str | None) -> Source:
    return query.source(recipient, listing=False)


# --- one name per report: thin, with the options of their kind --------------------------


F = TypeVar("F", bound=Callable[..., pd.DataFrame])


def _wraps_events(summary: str, declaration: str, see_also: str) -> Callable[[F], F]:
    """Give a one-kind reader (a :func:`read_events` of one report) its docstring: the
    summary and see-also its own, the rest the same for all of them."""

    def document(function: F) -> F:
        function.__doc__ = f"""{summary}

    Parameters
    ----------
    start, end
        Bounds as for :func:`~mmframe.read_suppressions`; None is open on that side.
    **options
        The read options and the filters (:class:`mmframe.options.{declaration}`, where
        each is declared with its type, default and meaning).

    Returns
    -------
    pandas.DataFrame
        As :func:`read_events` gives it.

    See Also
    --------
    {see_also}
    """
        return function

    return document


@takes(EventOptions)
@_wraps_events(
    """Every message sent in ``[start, end)``: :func:`read_events` of ``"sent"``.""",
    "EventOptions",
    "read_events, read_delivered",
)
def read_sent(
    start: DateLike = None, end: DateLike = None, **options: Unpack[EventOptions]
) -> pd.DataFrame:
    return read_events("sent", start, end, **options)


@takes(EventOptions)
@_wraps_events(
    """Every message delivered in ``[start, end)`` (sent minus bounced): :func:`read_events`
    of ``"delivered"``.""",
    "EventOptions",
    "read_events, read_sent, read_bounces",
)
def read_delivered(
    start: DateLike = None, end: DateLike = None, **options: Unpack[EventOptions]
) -> pd.DataFrame:
    return read_events("delivered", start, end, **options)


@takes(BounceOptions)
@_wraps_events(
    """Every bounce in ``[start, end)``, with its SMTP text in ``message``: :func:`read_events`
    of ``"bounces"`` (``bounce_type``, ``messages`` too).""",
    "BounceOptions",
    "read_events, read_complaints, mmframe.triage",
)
def read_bounces(
    start: DateLike = None, end: DateLike = None, **options: Unpack[BounceOptions]
) -> pd.DataFrame:
    return read_events("bounces", start, end, **options)


@takes(EventOptions)
@_wraps_events(
    """Every complaint (a recipient reporting spam) in ``[start, end)``: :func:`read_events`
    of ``"complaints"``.""",
    "EventOptions",
    "read_events, read_bounces, read_rates",
)
def read_complaints(
    start: DateLike = None, end: DateLike = None, **options: Unpack[EventOptions]
) -> pd.DataFrame:
    return read_events("complaints", start, end, **options)


@takes(EventOptions)
@_wraps_events(
    """Every send MM refused in ``[start, end)`` (``issue_type``): :func:`read_events` of
    ``"issues"``.""",
    "EventOptions",
    "read_events, read_sent",
)
def read_issues(
    start: DateLike = None, end: DateLike = None, **options: Unpack[EventOptions]
) -> pd.DataFrame:
    return read_events("issues", start, end, **options)


@takes(EngagementOptions)
@_wraps_events(
    """Every open in ``[start, end)`` (``unique=True``: one row per recipient and message):
    :func:`read_events` of ``"opens"``.""",
    "EngagementOptions",
    "read_events, read_clicks",
)
def read_opens(
    start: DateLike = None, end: DateLike = None, **options: Unpack[EngagementOptions]
) -> pd.DataFrame:
    return read_events("opens", start, end, **options)


@takes(EngagementOptions)
@_wraps_events(
    """Every click in ``[start, end)`` (``unique=True``: one row per recipient and message):
    :func:`read_events` of ``"clicks"``.""",
    "EngagementOptions",
    "read_events, read_opens",
)
def read_clicks(
    start: DateLike = None, end: DateLike = None, **options: Unpack[EngagementOptions]
) -> pd.DataFrame:
    return read_events("clicks", start, end, **options)
