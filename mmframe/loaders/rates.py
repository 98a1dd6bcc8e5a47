"""Rates read: the counts behind :func:`mmframe.read_rates`, one count request per
(account, group, report, period), and their rates (:mod:`mmframe.analysis.rates` does the
arithmetic: this module does the reading)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Unpack

import numpy as np
import pandas as pd

from .. import schema
from ..analysis.rates import COUNTS, add_rates
from ..dates import DateLike, wire
from ..options import ReadOptions, takes
from ..xheader_names import is_xheader, xheader_column
from . import events
from .common import finish
from .queries import Query, headers_of
from .ranges import Read, ReadPlan, plan_read
from .senders import read_senders

_KINDS = tuple(dict.fromkeys(kind for kind, _column in COUNTS.values()))


def check_by(by: str) -> str:
    """``by`` checked: "account", "domain", "sender" or an X-header name like "X-Campaign"."""
    if not isinstance(by, str):
        raise TypeError(f"by must be text, not {by!r}")
    if by in ("account", "domain", "sender") or is_xheader(by):
        return by
    raise ValueError(f"by must be 'account', 'domain', 'sender' or an X-header name, not {by!r}")


def _check(by: str, values: Sequence[str] | None, top: int) -> None:
    if values is not None and (
        isinstance(values, str) or not all(isinstance(v, str) for v in values)
    ):
        raise TypeError("values must be a list of text")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be a positive integer, not {top!r}")
    if by == "account" and values is not None:
        raise ValueError("values apply to by='domain', 'sender' or an X-header")


def _filters(by: str, value: str | None) -> dict[str, Any]:
    if value is None:
        return {}
    if by in ("domain", "sender"):
        return {by: value}
    return {"xheaders": {by: value}}


def _discover(by: str, plan: ReadPlan, top: int) -> list[str]:
    """The values worth a rate: the ones with the most bounces and complaints in the range
    (for senders: every approved sender). One read per kind, every account at once."""
    accounts, session = plan.read.accounts, plan.session
    if by == "sender":
        found = read_senders(accounts=accounts, session=session, progress=False)["email"]
        return list(dict.fromkeys(found.tolist()))
    who: ReadOptions = {
        "accounts": accounts,
        "session": session,
        "progress": False,
        "cache": plan.read.cache,
    }
    column = "domain" if by == "domain" else xheader_column(by)
    tallies: pd.Series = pd.Series(dtype="int64")
    for kind in ("complaints", "bounces"):
        frame = events.read_events(kind, plan.start, plan.end, messages=False, **who)
        if column in frame.columns:
            tallies = tallies.add(frame[column].dropna().value_counts(), fill_value=0)
    return [str(v) for v in tallies.sort_values(ascending=False).index[:top]]


def _groups(by: str, values: Sequence[str] | None, plan: ReadPlan, top: int) -> list[str | None]:
    """The groups to rate: None (by account), the values given, or the ones found."""
    if by not in ("account", "domain", "sender"):
        headers_of(plan.readers, by=by)  # an account without the header would count all
    if by == "account":
        return [None]
    return [*(values if values is not None else _discover(by, plan, top))]


@takes(ReadOptions)
def read_rates(
    start: DateLike,
    end: DateLike,
    *,
    freq: str = "D",
    by: str = "account",
    values: Sequence[str] | None = None,
    top: int = 10,
    **options: Unpack[ReadOptions],
) -> pd.DataFrame:
    """Sent, delivered, bounces, complaints, unique opens and clicks per period, with rates.

    One count request per (account, group, report, period), all concurrently, through
    the loaders' count path (the counts of :func:`mmframe.read_event_counts`). The counts
    always ask the server, ``cache=`` or not (a count is what checks a cached period);
    the bounce and complaint lists read to find the top ``values`` go through the cache.

    Parameters
    ----------
    start, end, freq
        The range, cut into ``freq`` periods (both bounds required).
    by
        ``"account"``, ``"domain"`` (recipient domain), ``"sender"`` or an X-header name
        (``"X-Campaign"``: every account read must report on it).
    values
        The domains, senders or X-header values to rate. None: every approved sender for
        ``by="sender"``; otherwise the ``top`` values with the most complaints and bounces
        in the range (read from the complaint and bounce lists).
    top
        How many values to rate when ``values`` is None.
    **options
        The read options, as for :func:`mmframe.read_event_counts`.

    Returns
    -------
    pandas.DataFrame
        One row per (account, group, period): ``account``, the group column (``domain``,
        ``sender``, ``x_campaign``...), ``start``, ``end``, the counts (``Int64``: ``sent``,
        ``delivered``, ``hard_bounces``, ``soft_bounces``, ``complaints``, ``unique_opens``,
        ``unique_clicks``) and the rates and flags of :func:`~mmframe.analysis.add_rates`.
    """
    return rates_of(start, end, freq=freq, by=by, values=values, top=top, kinds=_KINDS,
                    options=options)  # fmt: skip


def rates_of(
    start: DateLike,
    end: DateLike,
    *,
    freq: str,
    by: str,
    values: Sequence[str] | None,
    top: int,
    kinds: Sequence[str],
    options: ReadOptions,
    rated: bool = True,
) -> pd.DataFrame:
    """:func:`~mmframe.read_rates`, counting only the reports in ``kinds`` (the others' counts and
    rates are missing): the report needs no opens or clicks, a third of the requests. Without
    ``rated``, the counts alone: the report adds counts of its own, then rates them once."""
    by = check_by(by)
    _check(by, values, top)
    read = Read.of(options)
    plan = plan_read(
        read, start, end, freq=freq, bounds="both", per_chunk=1,
        fanout=len(kinds) * (len(values) if values else 1),
        what="read_rates: accounts x groups x periods x reports",
    )  # fmt: skip
    groups = _groups(by, values, plan, top)
    queries = [
        Query.of(kind, {"unique": kind in ("opens", "clicks"), **_filters(by, group)})
        for group in groups
        for kind in kinds
    ]
    found = events.count_queries(plan, queries, label="rates")
    data = _frame(groups, found, by, plan, kinds)
    data = add_rates(data, plan.now) if rated else data
    schema.stamp(
        data, "rates", accounts=data["account"].cat.categories.tolist(), start=wire(plan.start),
        end=wire(plan.end), freq=freq, by=by, values=[g for g in groups if g is not None] or None,
    )  # fmt: skip
    return finish(data, [o for _frame, outcomes in found for o in outcomes], read.on_error)


def _frame(
    groups: list[str | None],
    found: list[tuple[pd.DataFrame, list[Any]]],
    by: str,
    plan: ReadPlan,
    kinds: Sequence[str],
) -> pd.DataFrame:
    """One row per (account, group, period) from the counts frames of each query.

    Built once from the frames' arrays: a frame a group cost milliseconds each, and a
    report rates hundreds of groups."""
    names = [name or plan.session.identity() for name, _ in plan.readers]
    named = by if by in ("domain", "sender") else xheader_column(by)
    rows = len(names) * len(plan.periods)
    each = [found[g * len(kinds) : (g + 1) * len(kinds)] for g in range(len(groups))]
    times = each[0][0][0] if groups else None
    data: dict[str, Any] = {
        "account": pd.Categorical(
            [name for name in names for _ in plan.periods] * len(groups),
            categories=list(dict.fromkeys(names)),
        )
    }
    if by != "account":
        data[named] = pd.array(np.repeat(np.array(groups, dtype=object), rows), dtype=schema.TEXT)
    for column in ("start", "end"):
        stamps = pd.DatetimeIndex([] if times is None else times.reset_index()[column])
        naive = stamps.tz_convert(None) if stamps.tz is not None else stamps
        data[column] = pd.DatetimeIndex(np.tile(naive.to_numpy(), len(groups))).tz_localize("UTC")
    for column, (kind, field) in COUNTS.items():
        # Through floats, NaN where missing: a count stays far below 2**53.
        values = [
            queries[kinds.index(kind)][0][field].to_numpy(dtype="float64", na_value=np.nan)
            if kind in kinds
            else np.full(rows, np.nan)
            for queries in each
        ]
        data[column] = pd.array(np.concatenate(values) if values else [], dtype="Int64")
    return pd.DataFrame(data)
