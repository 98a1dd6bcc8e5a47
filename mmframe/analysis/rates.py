"""Deliverability rates per period against the mailbox providers' published limits.

Gmail and Yahoo's 2024 requirements for bulk senders ask that the user-reported spam rate
stay below 0.3 %, and Gmail asks senders to aim below 0.1 %:

- Gmail, Email sender guidelines: https://support.google.com/a/answer/81126
- Gmail, Email sender guidelines FAQ: https://support.google.com/a/answer/14229414
- Yahoo, Sender best practices: https://senders.yahooinc.com/best-practices/
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import schema
from ..client import Session, resolve
from ..dates import MAX_REQUESTS, DateLike, check_requests, chunk_range, now_utc, utc_range, wire
from ..errors import MMError
from ..loaders import events
from ..loaders.common import Accounts, OnError, check_on_error, finish, targets
from ..loaders.senders import read_senders
from ..paging import Chunk, Outcome
from ..progress import Show, bar

#: The user-reported spam rate every bulk sender must stay below (Gmail, Yahoo; 2024).
SPAM_RATE_LIMIT = 0.003
#: The spam rate Gmail asks senders to aim below.
SPAM_RATE_TARGET = 0.001
#: Count columns, and the report (and count field) each comes from.
COUNTS = {
    "sent": ("sent", "count"),
    "delivered": ("delivered", "count"),
    "hard_bounces": ("bounces", "hardbouncecount"),
    "soft_bounces": ("bounces", "softbouncecount"),
    "complaints": ("complaints", "count"),
    "unique_opens": ("opens/unique", "count"),
    "unique_clicks": ("clicks/unique", "count"),
}
_REPORTS = tuple(dict.fromkeys(report for report, _field in COUNTS.values()))


@dataclass(frozen=True)
class _Task:
    account: str
    session: Session
    value: str | None
    report: str
    start: str
    end: str
    filters: tuple[tuple[str, str], ...]


def _group_param(by: str, value: str) -> tuple[tuple[str, str], ...]:
    if by == "domain":
        return (("domain", value),)
    if by == "sender":
        return (("sender", value),)
    return ((by, value),)  # an X-header name


def check_by(by: str) -> str:
    """``by`` checked: "account", "domain", "sender" or an X-header name like "X-Campaign"."""
    if not isinstance(by, str):
        raise TypeError(f"by must be text, not {by!r}")
    if by in ("account", "domain", "sender"):
        return by
    if events.XHEADER.fullmatch(by):
        return by
    raise ValueError(f"by must be 'account', 'domain', 'sender' or an X-header name, not {by!r}")


def _discover(
    by: str, session: Session, accounts: Accounts, lo: pd.Timestamp, hi: pd.Timestamp, top: int
) -> list[str]:
    """The values worth a rate: the ones with the most bounces and complaints in the range
    (for senders: every approved sender). One read per kind, every account at once."""
    if by == "sender":
        found = read_senders(accounts=accounts, session=session, progress=False)["email"]
        return list(dict.fromkeys(found.tolist()))
    column = "domain" if by == "domain" else schema.xheader_column(by)
    tallies: pd.Series = pd.Series(dtype="int64")
    kinds: tuple[events.Kind, ...] = ("complaints", "bounces")
    for kind in kinds:
        frame = events.read_events(
            kind, lo, hi, accounts=accounts, session=session, progress=False, messages=False
        )
        if column in frame.columns:
            tallies = tallies.add(frame[column].dropna().value_counts(), fill_value=0)
    return [str(v) for v in tallies.sort_values(ascending=False).index[:top]]


def read_rates(
    start: DateLike,
    end: DateLike,
    *,
    freq: str = "D",
    by: str = "account",
    values: Sequence[str] | None = None,
    top: int = 10,
    accounts: Accounts = None,
    session: Session | None = None,
    progress: Show = None,
    on_error: OnError = "raise",
    as_of: DateLike = None,
    max_requests: int = MAX_REQUESTS,
) -> pd.DataFrame:
    """Sent, delivered, bounces, complaints, unique opens and clicks per period, with rates.

    One count request per (account, group, report, period), all concurrently.

    Parameters
    ----------
    start, end, freq
        The range, cut into ``freq`` periods (both bounds required).
    by
        ``"account"``, ``"domain"`` (recipient domain), ``"sender"`` or an X-header name
        (``"X-Campaign"``).
    values
        The domains, senders or X-header values to rate. None: every approved sender for
        ``by="sender"``; otherwise the ``top`` values with the most complaints and bounces
        in the range (read from the complaint and bounce lists).
    accounts, session, progress, on_error, as_of, max_requests
        As for :func:`mmframe.read_event_counts`.

    Returns
    -------
    pandas.DataFrame
        One row per (account, group, period): ``account``, the group column (``domain``,
        ``sender`` or ``x_campaign``...; none for ``by="account"``), ``start``, ``end``,
        the counts (``Int64``) ``sent``, ``delivered``, ``hard_bounces``, ``soft_bounces``,
        ``complaints``, ``unique_opens``, ``unique_clicks``, then the rates (``Float64``,
        missing where the denominator is 0): ``bounce_rate`` = (hard + soft bounces) /
        sent; ``complaint_rate`` = complaints / delivered (the user-reported spam rate,
        over messages delivered in the same period, as the providers compute it);
        ``open_rate`` and ``click_rate`` = unique opens or clicks / delivered. Then
        ``above_target`` (complaint rate at or above Gmail's 0.1 % aim),
        ``above_limit`` (at or above the 0.3 % limit of Gmail and Yahoo) and
        ``is_complete`` (False for a period ending after ``as_of``).
    """
    by = check_by(by)
    check_on_error(on_error)
    lo, hi = utc_range(start, end)
    if lo is None or hi is None:
        raise ValueError("read_rates needs both start and end")
    if values is not None and (
        isinstance(values, str) or not all(isinstance(v, str) for v in values)
    ):
        raise TypeError("values must be a list of text")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be a positive integer, not {top!r}")
    if by == "account" and values is not None:
        raise ValueError("values apply to by='domain', 'sender' or an X-header")
    now = now_utc(as_of)
    periods = chunk_range(lo, hi, freq, max_requests=max_requests)
    session = resolve(session)
    readers = targets(session, accounts)
    if by not in ("account", "domain", "sender"):
        events.headers_of(readers, by=by)  # an account without the header would count all
    per_group = len(readers) * len(periods) * len(_REPORTS)
    what = f"accounts x groups x periods x {len(_REPORTS)} reports"
    groups: list[str | None] = [None]
    if by != "account":
        if values is None:
            check_requests(6 * len(readers) + per_group, max_requests, "discovery, one group")
        chosen = values if values is not None else _discover(by, session, accounts, lo, hi, top)
        groups = list(chosen)
    check_requests(per_group * len(groups), max_requests, what)
    named = [(name or reader.identity(), reader) for name, reader in readers]
    tasks = [
        _Task(name, reader, value, report, str(wire(a)), str(wire(b)),
              () if value is None else _group_param(by, value))
        for name, reader in named
        for value in groups
        for a, b in periods
        for report in _REPORTS
    ]  # fmt: skip
    found: dict[int, tuple[Outcome, dict[str, Any]]] = {}
    with bar("rates", total=len(tasks), progress=progress) as shown:
        for task, result in session.map_unordered(_count, tasks):
            found[id(task)] = result
            shown.update(1)
    outcomes = [found[id(t)][0] for t in tasks]
    data = _frame(tasks, found, by, [n for n, _ in named], now)
    schema.stamp(
        data, "rates", accounts=[n for n, _ in named], start=wire(lo), end=wire(hi),
        freq=freq, by=by, values=[g for g in groups if g is not None] or None,
    )  # fmt: skip
    return finish(data, outcomes, on_error)


def _count(task: _Task) -> tuple[Outcome, dict[str, Any]]:
    base, _, unique = task.report.partition("/")
    method = f"reports/{base}/count" + (f"/{unique}" if unique else "")
    chunk = Chunk(task.session, task.account, task.start, task.end)
    outcome = Outcome(chunk)
    params = {"starttime": task.start, "endtime": task.end, **dict(task.filters)}
    try:
        reply = task.session.call("GET", method, params)
    except MMError as exc:
        outcome.status, outcome.error = "failed", f"{task.report}: {exc}"
        outcome.attempts = exc.attempts
        return outcome, {}
    outcome.expected, outcome.attempts = int(reply.data["count"]), reply.attempts
    return outcome, dict(reply.data)


def _frame(
    tasks: list[_Task],
    found: dict[int, tuple[Outcome, dict[str, Any]]],
    by: str,
    names: list[str],
    now: pd.Timestamp,
) -> pd.DataFrame:
    rows: dict[tuple[str, str | None, str, str], dict[str, Any]] = {}
    for task in tasks:
        row = rows.setdefault((task.account, task.value, task.start, task.end), {})
        data = found[id(task)][1]
        for column, (report, field) in COUNTS.items():
            if report == task.report:
                row[column] = data.get(field)
    keys = list(rows)
    frame = pd.DataFrame(
        {"account": pd.Categorical([k[0] for k in keys], categories=list(dict.fromkeys(names)))}
    )
    if by != "account":
        column = by if by in ("domain", "sender") else schema.xheader_column(by)
        frame[column] = pd.Series([k[1] for k in keys], dtype=schema.TEXT)
    frame["start"] = pd.DatetimeIndex([k[2] for k in keys], dtype=schema.TIME)
    frame["end"] = pd.DatetimeIndex([k[3] for k in keys], dtype=schema.TIME)
    for column in COUNTS:
        frame[column] = pd.array([rows[k].get(column) for k in keys], dtype="Int64")
    return add_rates(frame, now)


def add_rates(counts: pd.DataFrame, now: pd.Timestamp | None = None) -> pd.DataFrame:
    """``counts`` (the count columns of :func:`read_rates`) with the rates and flags added.

    Works on any frame with those columns, so rates can be recomputed after a groupby sum.
    """
    out = counts.copy()

    def ratio(top: pd.Series, bottom: pd.Series) -> pd.Series:
        bottom = bottom.astype("Float64")
        return (top.astype("Float64") / bottom.where(bottom > 0)).astype("Float64")

    out["bounce_rate"] = ratio(out["hard_bounces"] + out["soft_bounces"], out["sent"])
    out["complaint_rate"] = ratio(out["complaints"], out["delivered"])
    out["open_rate"] = ratio(out["unique_opens"], out["delivered"])
    out["click_rate"] = ratio(out["unique_clicks"], out["delivered"])
    out["above_target"] = (out["complaint_rate"] >= SPAM_RATE_TARGET).astype("boolean")
    out["above_limit"] = (out["complaint_rate"] >= SPAM_RATE_LIMIT).astype("boolean")
    if now is not None and "end" in out.columns:
        out["is_complete"] = (out["end"] <= now).astype("boolean")
    return out
