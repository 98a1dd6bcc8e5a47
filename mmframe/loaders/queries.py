"""What a report read asks (SPEC 2.5): the report, its filters and its recipients, checked
before any request, and the X-header names the accounts report on."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any, Literal

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import page_parsing, schema
from ..addresses import distinct, require_valid
from ..chunks import Source
from ..client import Session
from ..options import DEFAULTS, BounceOptions, ReportOptions, with_defaults
from ..xheader_names import is_xheader, xheader_columns
from .recipients import suppressed_among

Kind = Literal["sent", "delivered", "bounces", "complaints", "issues", "opens", "clicks"]
KINDS: tuple[str, ...] = ("sent", "delivered", "bounces", "complaints", "issues", "opens", "clicks")
BOUNCE_TYPES = ("hard", "soft", "previouslyhardbounced", "suppressed", "previouslycomplained")
#: Extra count fields of a report's count endpoint, as columns of read_event_counts.
COUNT_FIELDS = {
    "bounces": {"hard": "hardbouncecount", "soft": "softbouncecount"},
}


@dataclass(frozen=True)
class Filters:
    """A report read's filters, checked, as the API's parameters (made by
    :func:`check_filters` from the options, whose defaults are declared in
    :mod:`mmframe.options`)."""

    sender: str | None
    domain: str | None
    xheaders: tuple[tuple[str, str], ...]
    bounce_type: str | None
    messages: bool

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
        return {**asdict(self), "xheaders": dict(self.xheaders) or None}


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


def check_filters(kind: str, given: Mapping[str, Any], *, listing: bool = True) -> Filters:
    """The filters among a call's options (``given``, defaults filled in from the
    declaration), or ``ValueError``/``TypeError`` naming the bad one (before any request).

    ``listing=False`` for a count: ``messages`` does not apply.
    """
    options = with_defaults(BounceOptions, given)
    sender, domain, xheaders = options["sender"], options["domain"], options["xheaders"]
    bounce_type = options["bounce_type"]
    messages = options["messages"] if listing else DEFAULTS["messages"]
    for name, value in (("sender", sender), ("domain", domain)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValueError(f"{name} must be non-empty text, not {value!r}")
        _check_length(name, value)
    headers: list[tuple[str, str]] = []
    if xheaders is not None:
        if not isinstance(xheaders, Mapping):
            raise TypeError("xheaders must be a mapping like {'X-Campaign': 'spring'}")
        for name, value in xheaders.items():
            if not is_xheader(name):
                raise ValueError(f"xheaders: {name!r} is not an X-header name like X-Campaign")
            if not isinstance(value, str):
                raise TypeError(f"xheaders: the value of {name} must be text, not {value!r}")
            _check_length(f"xheaders[{name!r}]", value)
            if "\x00" in value:  # no header carries NUL (RFC 5322); SQL text ends at one
                raise ValueError(f"xheaders: the value of {name} holds NUL, which no header can")
            headers.append((name, value))
    if bounce_type is not None:
        if kind != "bounces":
            raise ValueError(f"bounce_type applies to bounces, not {kind}")
        if not isinstance(bounce_type, str) or bounce_type.strip().lower() not in BOUNCE_TYPES:
            raise ValueError(f"bounce_type must be one of {', '.join(BOUNCE_TYPES)}")
        bounce_type = bounce_type.strip().lower()  # as the API reads it (any case)
    if not isinstance(messages, bool):
        raise TypeError(f"messages must be True or False, not {messages!r}")
    return Filters(
        sender.strip() if sender else None,
        domain.strip().lower() if domain else None,
        tuple(headers),
        bounce_type,
        messages,
    )


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
    return Source(
        f"reports/{report}",
        count,
        functools.partial(page_parsing.events, report=report, check=False),
        page_parsing.empty_events,
        bounds=("starttime", "endtime"),
        filters=filters.params(recipient, listing=listing),
        check=functools.partial(page_parsing.events_fit, report=report),
        checked=functools.partial(page_parsing.events, report=report),
        at_once=functools.partial(page_parsing.events_at_once, report=report),
    )


def headers_of(
    readers: list[tuple[str | None, Session]],
    filters: Filters | None = None,
    *,
    by: str = "",
    slots: dict[str, dict[str, str]] | None = None,
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
    # Every account's names at once (a round trip each, in turn, was a tenth of a second
    # before the first count of a ten-account report at 10 ms).
    answers = readers[0][1].map(lambda r: r[1].get("accounts/xheaders"), readers) if readers else []
    for (name, reader), answered in zip(readers, answers, strict=True):
        if slots is not None:
            slots[name or reader.username or reader.identity()] = dict(answered)
        own = [v for v in answered.values() if v]
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
    xheader_columns(names, where=f" (X-headers of {', '.join(owners)})")
    return list(dict.fromkeys(names))


def headers_soon(
    readers: list[tuple[str | None, Session]], filters: Filters
) -> Callable[[], list[str]]:
    """:func:`headers_of`, asked while the read's first counts go out, when no filter names
    an X-header (then nothing needs checking before the first request; a round trip less
    before the first page). Returns a getter: the names, or what asking for them raised."""
    if filters.xheaders:
        names = headers_of(readers, filters)
        return lambda: names
    asking = ThreadPoolExecutor(1, thread_name_prefix="mmframe-xheaders")
    names_soon = asking.submit(headers_of, readers, filters)
    asking.shutdown(wait=False)  # the one task still runs; no thread is left behind after it
    return names_soon.result


@dataclass(frozen=True)
class Query:
    """One report read's question: the kind, the API's report, filters and recipients."""

    kind: str
    report: str
    filters: Filters
    recipients: tuple[str | None, ...] = (None,)

    @classmethod
    def of(cls, kind: str, options: Mapping[str, Any], *, listing: bool = True) -> Query:
        """The report and filters among a call's ``**options``, checked (no request).

        ``listing=False`` for a count: ``messages`` does not apply.
        """
        given = with_defaults(ReportOptions, options)
        report = report_name(kind, given["unique"])
        filters = check_filters(kind, given, listing=listing)
        return cls(kind, report, filters, tuple(check_recipients(given["recipients"])))

    def source(self, recipient: str | None, *, listing: bool = True) -> Source:
        """What a chunk of this query reads for ``recipient`` (see :func:`source`)."""
        return source(self.report, self.filters, recipient, listing=listing)

    def provenance(self) -> dict[str, Any]:
        """JSON-safe, for ``attrs``: the filters and the recipients."""
        recipients = [r for r in self.recipients if r is not None] or None
        return {**self.filters.as_dict(), "recipients": recipients}


def first_event(query: Query, readers: list[tuple[str | None, Session]]) -> pd.Timestamp | None:
    """Where a cached read from the first (``start=None``) starts its months: the oldest
    event of the first page of each account's report under the read's filters (one
    request each, all at once), or None when there is none.

    A report lists in its own order, not by time (SPEC gives it none): an event older
    than that page's, a late one, is in the part before this month, whose count the read
    checks and which it then reads (:func:`mmframe.cache.reads.read_cached`).
    """
    source = query.source(None)  # each recipient's events are among these
    key = query.report.partition("/")[0]  # the unique forms keep the plain list key
    field = next(c.field for c in schema.EVENTS[query.report] if c.dtype == schema.TIME)
    params = dict(source.filters)
    pages = readers[0][1].map(lambda r: r[1].get(source.method, startindex=0, **params), readers)
    times = [row.get(field) for page in pages for row in (page.get(key) or [])]
    given = pd.Series([t for t in times if t], dtype=object)
    found = pd.to_datetime(given, utc=True, format="ISO8601")
    return None if found.empty else found.min()
