"""The MM API's methods as a table: (verb, method) → handler over the models (SPEC 2.1-2.5)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Backend, Caller
from .models.reports import AGGREGATE_DAYS, DETAIL_DAYS, REPORTS, parse_query
from .models.suppressions import Operation
from .settings import Settings
from .wire import Params, address_list, date_range, start_index


@dataclass(frozen=True)
class Reply:
    """A handler's answer: the envelope's ``data`` and how many addresses it wrote."""

    data: Any
    written: int = 0


Handler = Callable[[Backend, Caller, Params, Settings], Reply]


@dataclass(frozen=True)
class Route:
    """One API method: its handler and whether only a master key may call it."""

    handler: Handler
    master_only: bool = False


def _accounts(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    return Reply(b.accounts.list(c, start_index(p), p))


def _upsert_account(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    return Reply(b.accounts.upsert(c, p))


def _delete_account(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    b.accounts.delete(c, p)
    return Reply({})


def _xheaders(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    return Reply(b.accounts.xheaders(c))


def _set_xheaders(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    return Reply(b.accounts.set_xheaders(c, p))


def _senders(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    return Reply(b.senders.list(c, start_index(p)))


def _upsert_sender(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    b.senders.upsert(c, p)
    return Reply({})


def _sender_details(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    return Reply(b.senders.details(c, p))


def _sender_status(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    return Reply(b.senders.status(c, p))


def _sender_dkim(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    return Reply(b.senders.set_dkim(c, p))


def _delete_sender(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    b.senders.delete(c, p)
    return Reply({})


def _recipient_status(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    return Reply(b.suppressions.recipients(c, address_list(p, s.max_addresses)))


def _write(operation: Operation) -> Handler:
    def handler(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
        addresses = address_list(p, s.max_addresses)
        b.suppressions.write(c, operation, addresses)
        return Reply({}, written=len(addresses))

    return handler


def _suppressions(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    start, end = date_range(p)
    return Reply(b.suppressions.page(c, start, end, start_index(p)))


def _suppression_count(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
    return Reply(b.suppressions.count(c, *date_range(p)))


def _report_query(b: Backend, c: Caller, p: Params) -> tuple[Any, list[str]]:
    headers = [name for name in b.accounts.xheaders(c).values() if name]
    return parse_query(p, *date_range(p), headers), headers


def _report_list(report: str) -> Handler:
    def handler(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
        query, headers = _report_query(b, c, p)
        query = b.reports.clamp(query, DETAIL_DAYS if s.report_retention else None)
        return Reply(b.reports.page(c, report, query, start_index(p), headers))

    return handler


def _report_count(report: str) -> Handler:
    def handler(b: Backend, c: Caller, p: Params, s: Settings) -> Reply:
        query, _headers = _report_query(b, c, p)
        query = b.reports.clamp(query, AGGREGATE_DAYS if s.report_retention else None)
        return Reply(b.reports.count(c, report, query))

    return handler


def _count_path(report: str) -> str:
    """``opens/unique`` counts at ``opens/count/unique`` (SPEC 2.5), others at ``<r>/count``."""
    base, _, unique = report.partition("/")
    return f"reports/{base}/count" + (f"/{unique}" if unique else "")


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "accounts"): Route(_accounts, master_only=True),
    ("POST", "accounts"): Route(_upsert_account, master_only=True),
    ("POST", "accounts/delete"): Route(_delete_account, master_only=True),
    ("GET", "accounts/xheaders"): Route(_xheaders),
    ("POST", "accounts/xheaders"): Route(_set_xheaders),
    ("GET", "senders"): Route(_senders),
    ("POST", "senders"): Route(_upsert_sender),
    ("GET", "senders/details"): Route(_sender_details),
    ("GET", "senders/status"): Route(_sender_status),
    ("POST", "senders/dkim"): Route(_sender_dkim),
    ("POST", "senders/delete"): Route(_delete_sender),
    ("GET", "recipients/status"): Route(_recipient_status),
    ("POST", "recipients/activate"): Route(_write("reactivate")),
    ("GET", "suppressions"): Route(_suppressions),
    ("POST", "suppressions"): Route(_write("suppress")),
    ("GET", "suppressions/count"): Route(_suppression_count),
    ("POST", "suppressions/activate"): Route(_write("unsuppress")),
    **{("GET", f"reports/{r}"): Route(_report_list(r)) for r in REPORTS},
    **{("GET", _count_path(r)): Route(_report_count(r)) for r in REPORTS},
}
