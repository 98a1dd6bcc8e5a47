"""Report events as frames (SPEC 2.5): sent, delivered, bounces, complaints, issues, opens,
clicks, with the same guarantees as suppressions (count-first, every page concurrently,
counted again, re-read when the range moved, :class:`~mmframe.errors.PartialLoadError`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import pages, schema
from ..addresses import distinct, require_valid
from ..client import Session, resolve
from ..dates import (
    MAX_REQUESTS,
    DateLike,
    check_freq,
    check_requests,
    chunk_range,
    now_utc,
    settled_end,
    utc_range,
    wire,
)
from ..errors import MMError
from ..paging import Chunk, Outcome, Source, load_chunks
from ..progress import Show, bar
from .common import Accounts, OnError, check_on_error, finish, targets
from .recipients import suppressed_among

Kind = Literal["sent", "delivered", "bounces", "complaints", "issues", "opens", "clicks"]
KINDS: tuple[str, ...] = ("sent", "delivered", "bounces", "complaints", "issues", "opens", "clicks")
BOUNCE_TYPES = ("hard", "soft", "previouslyhardbounced", "suppressed", "previouslycomplained")
XHEADER = re.compile(r"[Xx]-[A-Za-z0-9][A-Za-z0-9-]*")
#: Extra count fields of a report's count endpoint, as columns of read_event_counts.
COUNT_FIELDS = {
    "bounces": {"hard": "hardbouncecount", "soft": "softbouncecount"},
}


@dataclass(frozen=True)
class Filters:
    """A report read's filters, checked, as the API's parameters."""

    sender: str | None = None
    domain: str | None = None
    xheaders: tuple[tuple[str, str], ...] = ()
    bounce_type: str | None = None
    messages: bool = True

    def params(self, recipient: str | None, *, listing: bool) -> tuple[tuple[str, str], ...]:
        """The API's parameters; a list read leaves ``suppressed`` to :meth:`narrow`."""
        client_side = listing and self.bounce_type == "suppressed"
        found = [
            ("sender", self.sender),
            ("emailaddress", recipient),
            ("domain", self.domain),
            ("bouncetype", None if client_side else self.bounce_type),
            ("noheaders", None if self.messages else "1"),
            *self.xheaders,
        ]
        return tuple((name, value) for name, value in found if value is not None)

    def narrow(self, session: Session, rows: pa.Table) -> pa.Table:
        """``rows`` of the bounce list cut to this filter's addresses, where the API cannot.

        ``bounce_type="suppressed"`` depends on the suppression list now, not on history:
        the API's filter shifts the pages of a read whenever an address is suppressed or
        reactivated meanwhile, and a suppression and a reactivation leave the count as it
        was, so no check can tell. The bounces themselves never change, so they are read
        whole and each address is asked about once (``GET /recipients/status``).
        """
        if self.bounce_type != "suppressed" or rows.num_rows == 0:
            return rows
        emails = rows.column("emailaddress").combine_chunks()
        on_list = suppressed_among(session, emails.to_pylist())
        keep = pc.is_in(pc.utf8_lower(emails), value_set=pa.array(sorted(on_list), pa.string()))
        return rows.filter(keep)

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe, for ``attrs`` provenance."""
        return {
            "sender": self.sender,
            "domain": self.domain,
            "xheaders": dict(self.xheaders) or None,
            "bounce_type": self.bounce_type,
            "messages": self.messages,
        }


def report_name(kind: str, unique: bool) -> str:
    """The API's report for ``kind`` (``opens/unique`` for unique opens), checked."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not isinstance(unique, bool):
        raise TypeError(f"unique must be True or False, not {unique!r}")
    if unique and kind not in ("opens", "clicks"):
        raise ValueError(f"unique=True applies to opens and clicks, not {kind}")
    return f"{kind}/unique" if unique else kind


#: The longest filter value: the API keeps X-header values to 500 characters (SPEC 1.9),
#: and addresses and domains are shorter still.
MAX_FILTER_CHARS = 500


def _check_length(name: str, value: str | None) -> None:
    if value is not None and len(value) > MAX_FILTER_CHARS:
        raise ValueError(
            f"{name} is {len(value):,} characters long; no {name.split('[')[0]} the API "
            f"reports on is longer than {MAX_FILTER_CHARS}"
        )


def check_filters(
    kind: str,
    *,
    sender: str | None,
    domain: str | None,
    xheaders: Mapping[str, str] | None,
    bounce_type: str | None,
    messages: bool = True,
) -> Filters:
    """The filters, or ``ValueError``/``TypeError`` naming the bad one (before any request)."""
    for name, value in (("sender", sender), ("domain", domain)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValueError(f"{name} must be non-empty text, not {value!r}")
        _check_length(name, value)
    headers: list[tuple[str, str]] = []
    if xheaders is not None:
        if not isinstance(xheaders, Mapping):
            raise TypeError("xheaders must be a mapping like {'X-Campaign': 'spring'}")
        for name, value in xheaders.items():
            if not isinstance(name, str) or not XHEADER.fullmatch(name):
                raise ValueError(f"xheaders: {name!r} is not an X-header name like X-Campaign")
            if not isinstance(value, str):
                raise TypeError(f"xheaders: the value of {name} must be text, not {value!r}")
            _check_length(f"xheaders[{name!r}]", value)
            headers.append((name, value))
    if bounce_type is not None:
        if kind != "bounces":
            raise ValueError(f"bounce_type applies to bounces, not {kind}")
        if bounce_type not in BOUNCE_TYPES:
            raise ValueError(f"bounce_type must be one of {', '.join(BOUNCE_TYPES)}")
    if not isinstance(messages, bool):
        raise TypeError(f"messages must be True or False, not {messages!r}")
    return Filters(
        sender.strip() if sender else None,
        domain.strip().lower() if domain else None,
        tuple(headers),
        bounce_type,
        messages,
    )


def prepare(
    kind: str,
    *,
    unique: bool = False,
    sender: str | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    bounce_type: str | None = None,
    messages: bool = True,
) -> tuple[str, Filters]:
    """The API's report and the checked filters of a report read (before any request)."""
    report = report_name(kind, unique)
    filters = check_filters(
        kind,
        sender=sender,
        domain=domain,
        xheaders=xheaders,
        bounce_type=bounce_type,
        messages=messages,
    )
    return report, filters


def check_recipients(recipients: str | Sequence[str] | None) -> list[str | None]:
    """The recipients to filter on, one read each (None: no recipient filter)."""
    if recipients is None:
        return [None]
    given = [recipients] if isinstance(recipients, str) else list(recipients)
    if not given:
        raise ValueError("recipients is empty; pass None to read every recipient")
    require_valid(given, "recipients")
    return list(distinct(given))


def source(report: str, filters: Filters, recipient: str | None, *, listing: bool = True) -> Source:
    """What a chunk of ``report`` reads: its list, its count, its page parser.

    ``listing=False`` for a count alone: the API's count of a filter is exact in one
    request, even one the list read applies itself (:meth:`Filters.narrow`).
    """
    base, _, unique = report.partition("/")
    count = f"reports/{base}/count" + (f"/{unique}" if unique else "")
    key = base  # the unique forms keep the plain list key (SPEC 2.5)
    return Source(
        f"reports/{report}",
        count,
        functools.partial(pages.events, key=key),
        pages.empty_events,
        bounds=("starttime", "endtime"),
        filters=filters.params(recipient, listing=listing),
    )


def headers_of(
    readers: list[tuple[str | None, Session]], filters: Filters | None = None, *, by: str = ""
) -> list[str]:
    """The X-header names the accounts report on (a column each, even when empty), checked.

    The API ignores a filter on a name the account does not report on and answers with
    every row, so each name of ``filters`` (and ``by``, an X-header to group on) must be
    one that every account reports on (compared without case, as header names are).

    Raises
    ------
    ValueError
        Before any report is read: naming the account and its names when a filter's name
        is not one of them, or naming two different headers that would share a column.
    """
    wanted = [name for name, _value in (filters.xheaders if filters else ())]
    wanted += [by] if by else []
    names: list[str] = []
    owners: list[str] = []
    for name, reader in readers:
        own = [v for v in reader.get("accounts/xheaders").values() if v]
        account = name or reader.username or "this session's account"
        known = {n.lower() for n in own}
        missing = [w for w in wanted if w.lower() not in known]
        if missing:
            has = f"reports on {', '.join(own)}" if own else "reports on no X-headers"
            raise ValueError(
                f"{account} {has}, not {', '.join(missing)}: the API would ignore the "
                "name and answer with every row (read the accounts that report on it, or "
                "set it with mm.set_xheaders)"
            )
        names += own
        owners += [account] if own else []
    schema.xheader_columns(names, where=f" (X-headers of {', '.join(owners)})")
    return list(dict.fromkeys(names))


def _frame(
    report: str, outcomes: Sequence[Outcome], names: list[str] | None, headers: list[str]
) -> pd.DataFrame:
    tables = [o.rows for o in outcomes]
    rows = pa.concat_tables([pages.empty_events(), *tables], promote_options="default")
    data = schema.events(report, rows, headers)
    if names is None:
        return data
    labels = [o.chunk.account or "" for o in outcomes for _ in range(o.rows.num_rows)]
    return schema.with_account(data, labels, names)


def read_events(
    kind: Kind,
    start: DateLike = None,
    end: DateLike = None,
    *,
    unique: bool = False,
    accounts: Accounts = None,
    sender: str | None = None,
    recipients: str | Sequence[str] | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    bounce_type: str | None = None,
    messages: bool = True,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
    max_requests: int = MAX_REQUESTS,
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
    unique
        Opens and clicks: one row per recipient and message, with ``count``.
    accounts
        None for the session's account; ``"all"`` or usernames (master key).
    sender, recipients, domain, xheaders, bounce_type
        Filters: the sender address; one recipient or several (one read each); the
        recipient domain; X-header values (``{"X-Campaign": "spring"}``; names the
        account does not report on are ignored by the API); bounces only: ``"hard"``,
        ``"soft"``, ``"previouslyhardbounced"``, ``"suppressed"`` or
        ``"previouslycomplained"``.
    messages
        Bounces only: False leaves out the bounce texts (``noheaders=1``).
    session, progress, on_error, as_of
        As for :func:`~mmframe.read_suppressions`.
    max_requests
        Refuse (``ValueError``, before any request) a read planning more requests: each
        recipient is a read of its own, of three requests at least per account.

    Returns
    -------
    pandas.DataFrame
        The report's columns (``schema.EVENTS[kind]``: UTC times, categories for types),
        then one text column per X-header (``x_campaign``, ``x_message_id``, ...): the
        account's configured names always, whichever JSON shape the rows carried them in.
        Rows are in time order. A leading ``account`` column when ``accounts`` is given.

    Examples
    --------
    >>> storm = mm.read_bounces("2026-06-09", "2026-06-10", domain="yahoo.com")  # doctest: +SKIP
    """
    report, filters = prepare(
        kind,
        unique=unique,
        sender=sender,
        domain=domain,
        xheaders=xheaders,
        bounce_type=bounce_type,
        messages=messages,
    )
    wanted = check_recipients(recipients)
    lo, hi = utc_range(start, end)
    check_on_error(on_error)
    session = resolve(session)
    readers = targets(session, accounts)
    check_requests(3 * len(readers) * len(wanted), max_requests, "3 a read x accounts x recipients")
    headers = headers_of(readers, filters)
    hi = settled_end(lo, hi, as_of)
    chunks = [
        Chunk(s, name, wire(lo), wire(hi), source(report, filters, r))
        for name, s in readers
        for r in wanted
    ]
    with bar(kind, progress=progress) as shown:
        outcomes = narrowed(load_chunks(chunks, progress=shown), filters)
    names = [str(n) for n, _ in readers] if accounts is not None else None
    data = in_time_order(report, _frame(report, outcomes, names, headers))
    schema.stamp(
        data,
        f"events:{report}",
        accounts=names,
        start=wire(lo),
        end=wire(hi),
        recipients=[r for r in wanted if r is not None] or None,
        **filters.as_dict(),
    )
    return finish(data, outcomes, on_error)


def narrowed(outcomes: list[Outcome], filters: Filters) -> list[Outcome]:
    """Each complete chunk's rows cut by the filters the API cannot apply exactly."""
    for outcome in outcomes:
        if outcome.status == "ok":
            outcome.rows = filters.narrow(outcome.chunk.session, outcome.rows)
    return outcomes


def in_time_order(report: str, data: pd.DataFrame) -> pd.DataFrame:
    """Rows in time order (the API pages in its own stable order), a fresh index."""
    order = data[schema.EVENT_TIME[report]].argsort(kind="stable")
    return data.iloc[order].reset_index(drop=True)


def iter_events(
    kind: Kind,
    start: DateLike,
    end: DateLike = None,
    *,
    freq: str = "MS",
    unique: bool = False,
    accounts: Accounts = None,
    sender: str | None = None,
    recipients: str | Sequence[str] | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    bounce_type: str | None = None,
    messages: bool = True,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
    max_requests: int = MAX_REQUESTS,
) -> Iterator[pd.DataFrame]:
    """Yield one frame per (account, ``freq`` period), for pulls larger than memory.

    Same columns and guarantees as :func:`read_events`; ``start`` is required (reports
    have no "first event" to begin from). ``max_requests`` refuses a range of more periods.
    """
    report, filters = prepare(
        kind,
        unique=unique,
        sender=sender,
        domain=domain,
        xheaders=xheaders,
        bounce_type=bounce_type,
        messages=messages,
    )
    wanted = check_recipients(recipients)
    lo, hi = utc_range(start, end)
    if lo is None:
        raise ValueError("iter_events needs a start")
    check_on_error(on_error)
    check_freq(freq)
    hi = settled_end(lo, hi, as_of)
    periods = chunk_range(lo, hi, freq, max_requests=max_requests)
    session = resolve(session)
    readers = targets(session, accounts)
    check_requests(
        3 * len(periods) * len(readers) * len(wanted),
        max_requests,
        "3 a read x periods x accounts x recipients",
    )
    headers = headers_of(readers, filters)
    names = [str(n) for n, _ in readers] if accounts is not None else None
    with bar(kind, total=0, progress=progress) as shown:
        for a, b in periods:
            chunks = [
                Chunk(s, n, wire(a), wire(b), source(report, filters, r))
                for n, s in readers
                for r in wanted
            ]
            for outcome in narrowed(load_chunks(chunks, progress=shown), filters):
                data = in_time_order(report, _frame(report, [outcome], names, headers))
                schema.stamp(
                    data,
                    f"events:{report}",
                    accounts=names,
                    start=outcome.chunk.start,
                    end=outcome.chunk.end,
                    **filters.as_dict(),
                )
                yield finish(data, [outcome], on_error)


def read_event_counts(
    kind: Kind,
    start: DateLike,
    end: DateLike,
    *,
    freq: str = "D",
    unique: bool = False,
    accounts: Accounts = None,
    sender: str | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    bounce_type: str | None = None,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
    max_requests: int = MAX_REQUESTS,
) -> pd.DataFrame:
    """Event counts per period: one count request per (account, period), concurrently.

    Returns
    -------
    pandas.DataFrame
        Indexed by period ``start`` (UTC) with ``end``, ``count`` (``Int64``), for bounces
        also ``hard`` and ``soft``, and ``is_complete`` (False for a period ending after
        ``as_of``); a leading ``account`` column when ``accounts`` is given.
    """
    report, filters = prepare(
        kind,
        unique=unique,
        sender=sender,
        domain=domain,
        xheaders=xheaders,
        bounce_type=bounce_type,
    )
    lo, hi = utc_range(start, end)
    if lo is None or hi is None:
        raise ValueError("read_event_counts needs both start and end")
    check_on_error(on_error)
    now = now_utc(as_of)
    periods = chunk_range(lo, hi, freq, max_requests=max_requests)
    session = resolve(session)
    readers = targets(session, accounts)
    check_requests(len(periods) * len(readers), max_requests, "periods x accounts")
    if filters.xheaders:
        headers_of(readers, filters)
    chunks = [
        Chunk(s, n, wire(a), wire(b), source(report, filters, None, listing=False))
        for n, s in readers
        for a, b in periods
    ]
    fields = COUNT_FIELDS.get(kind, {})
    found: dict[int, tuple[Outcome, dict[str, Any]]] = {}
    with bar(f"{kind} counts", total=len(chunks), progress=progress) as shown:
        for chunk, result in session.map_unordered(_count_one, chunks):
            found[id(chunk)] = result
            shown.update(1)
    outcomes = [found[id(c)][0] for c in chunks]
    names = [str(n) for n, _ in readers] if accounts is not None else None
    ends = pd.DatetimeIndex([str(c.end) for c in chunks], dtype=schema.TIME)
    data = pd.DataFrame(
        {
            "end": ends,
            "count": pd.array([o.expected for o in outcomes], dtype="Int64"),
            **{
                column: pd.array([found[id(c)][1].get(f) for c in chunks], dtype="Int64")
                for column, f in fields.items()
            },
            "is_complete": pd.array(ends <= now, dtype="boolean"),
        },
        index=pd.DatetimeIndex([str(c.start) for c in chunks], dtype=schema.TIME, name="start"),
    )
    if names is not None:
        labels = pd.Series([c.account or "" for c in chunks], index=data.index)
        data.insert(0, "account", labels.astype(pd.CategoricalDtype(names)))
    schema.stamp(
        data,
        f"event_counts:{report}",
        accounts=names,
        start=wire(lo),
        end=wire(hi),
        freq=freq,
        **filters.as_dict(),
    )
    return finish(data, outcomes, on_error)


def _count_one(chunk: Chunk) -> tuple[Outcome, dict[str, Any]]:
    outcome = Outcome(chunk, chunk.source.empty())
    try:
        reply = chunk.session.call("GET", chunk.source.count_method, chunk.params())
        outcome.expected, outcome.attempts = int(reply.data["count"]), reply.attempts
        return outcome, dict(reply.data)
    except MMError as exc:
        outcome.status, outcome.error = "failed", str(exc)
        outcome.attempts = exc.attempts
        return outcome, {}


# --- one name per report (thin wrappers, explicit signatures for editors and mypy) --------


def read_sent(
    start: DateLike = None,
    end: DateLike = None,
    *,
    accounts: Accounts = None,
    sender: str | None = None,
    recipients: str | Sequence[str] | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
) -> pd.DataFrame:
    """Every message sent in ``[start, end)``: :func:`read_events` of ``"sent"``."""
    return read_events(
        "sent",
        start,
        end,
        accounts=accounts,
        sender=sender,
        recipients=recipients,
        domain=domain,
        xheaders=xheaders,
        session=session,
        progress=progress,
        on_error=on_error,
        as_of=as_of,
    )


def read_delivered(
    start: DateLike = None,
    end: DateLike = None,
    *,
    accounts: Accounts = None,
    sender: str | None = None,
    recipients: str | Sequence[str] | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
) -> pd.DataFrame:
    """Every message delivered in ``[start, end)`` (sent minus bounced): :func:`read_events` of
    ``"delivered"``."""
    return read_events(
        "delivered",
        start,
        end,
        accounts=accounts,
        sender=sender,
        recipients=recipients,
        domain=domain,
        xheaders=xheaders,
        session=session,
        progress=progress,
        on_error=on_error,
        as_of=as_of,
    )


def read_bounces(
    start: DateLike = None,
    end: DateLike = None,
    *,
    bounce_type: str | None = None,
    messages: bool = True,
    accounts: Accounts = None,
    sender: str | None = None,
    recipients: str | Sequence[str] | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
) -> pd.DataFrame:
    """Every bounce in ``[start, end)``, with its SMTP text in ``message``: :func:`read_events` of
    ``"bounces"``."""
    return read_events(
        "bounces",
        start,
        end,
        bounce_type=bounce_type,
        messages=messages,
        accounts=accounts,
        sender=sender,
        recipients=recipients,
        domain=domain,
        xheaders=xheaders,
        session=session,
        progress=progress,
        on_error=on_error,
        as_of=as_of,
    )


def read_complaints(
    start: DateLike = None,
    end: DateLike = None,
    *,
    accounts: Accounts = None,
    sender: str | None = None,
    recipients: str | Sequence[str] | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
) -> pd.DataFrame:
    """Every complaint (a recipient reporting spam) in ``[start, end)``: :func:`read_events` of
    ``"complaints"``."""
    return read_events(
        "complaints",
        start,
        end,
        accounts=accounts,
        sender=sender,
        recipients=recipients,
        domain=domain,
        xheaders=xheaders,
        session=session,
        progress=progress,
        on_error=on_error,
        as_of=as_of,
    )


def read_issues(
    start: DateLike = None,
    end: DateLike = None,
    *,
    accounts: Accounts = None,
    sender: str | None = None,
    recipients: str | Sequence[str] | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
) -> pd.DataFrame:
    """Every send MM refused in ``[start, end)`` (``issue_type``): :func:`read_events` of
    ``"issues"``."""
    return read_events(
        "issues",
        start,
        end,
        accounts=accounts,
        sender=sender,
        recipients=recipients,
        domain=domain,
        xheaders=xheaders,
        session=session,
        progress=progress,
        on_error=on_error,
        as_of=as_of,
    )


def read_opens(
    start: DateLike = None,
    end: DateLike = None,
    *,
    unique: bool = False,
    accounts: Accounts = None,
    sender: str | None = None,
    recipients: str | Sequence[str] | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
) -> pd.DataFrame:
    """Every open in ``[start, end)`` (``unique=True``: one row per recipient and message):
    :func:`read_events` of ``"opens"``."""
    return read_events(
        "opens",
        start,
        end,
        unique=unique,
        accounts=accounts,
        sender=sender,
        recipients=recipients,
        domain=domain,
        xheaders=xheaders,
        session=session,
        progress=progress,
        on_error=on_error,
        as_of=as_of,
    )


def read_clicks(
    start: DateLike = None,
    end: DateLike = None,
    *,
    unique: bool = False,
    accounts: Accounts = None,
    sender: str | None = None,
    recipients: str | Sequence[str] | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
) -> pd.DataFrame:
    """Every click in ``[start, end)`` (``unique=True``: one row per recipient and message):
    :func:`read_events` of ``"clicks"``."""
    return read_events(
        "clicks",
        start,
        end,
        unique=unique,
        accounts=accounts,
        sender=sender,
        recipients=recipients,
        domain=domain,
        xheaders=xheaders,
        session=session,
        progress=progress,
        on_error=on_error,
        as_of=as_of,
    )
