"""The report's rates: per account, and per domain, sender and X-header value (each
account's top ones by complaints and bounces), counted once.

Only sent and delivered cost count requests: complaints and bounces are counted in their
lists, which the report reads anyway (a list and its count agree exactly).
"""

from __future__ import annotations

from typing import Any, cast

import pandas as pd

from ..analysis.rates import add_rates, rates_of
from ..loaders import read_xheaders
from ..loaders.queries import MAX_FILTER_CHARS
from ..options import ReadOptions
from ..schema import xheader_column
from . import findings as judge
from .numbers import count, plural
from .scope import with_account

#: The reports counted per group and period: the denominators. Complaints and bounces are
#: counted in their lists, read once (no opens or clicks: the report judges neither).
_COUNTED = ("sent", "delivered")
#: Domains rated per account: the ones with the most complaints and bounces.
TOP_DOMAINS = 5


def rates_for(
    start: pd.Timestamp,
    end: pd.Timestamp,
    freq: str,
    as_of: pd.Timestamp,
    read: dict[str, Any],
    lists: pd.DataFrame,
    names: list[str],
    notes: list[str],
) -> pd.DataFrame:
    """Rates per account, and per domain, sender and X-header value (each account's top
    ones by complaints and bounces), in one frame with ``by``/``group``; what could not be
    rated is said in ``notes``."""
    session = read["session"]
    lists = lists.reset_index(drop=True)
    scans: list[tuple[str, str, list[str] | None, Any]] = [
        ("account", "account", None, read["accounts"])
    ]
    headers = _headers(read)
    # Each account's own top values: a sender or campaign belongs to one account, so rating
    # it in every account would cost requests for counts of zero.
    for name in names:
        mine = lists[lists["account"].astype(str) == name]
        who = [name] if read["accounts"] else None
        for by in ("domain", "sender"):
            scans.append((by, by, _top(mine, by, by, notes), who))
        for header, column, owners in headers:
            if name in owners or not read["accounts"]:
                scans.append((header, column, _top(mine, column, header, notes), who))
    frames = []
    for by, column, chosen, accounts in scans:
        if chosen is not None and not chosen:
            continue
        rates = rates_of(
            start, end, freq=freq, by=by, values=chosen, top=TOP_DOMAINS, kinds=_COUNTED,
            options=cast(ReadOptions, {**read, "accounts": accounts, "as_of": as_of}),
        )  # fmt: skip
        rates = with_account(rates, session)
        rates = rates.assign(by=by, group=rates[column].astype(str) if by != "account" else "")
        frames.append(_numerators(rates, lists, column if by != "account" else None))
    return add_rates(pd.concat(frames, ignore_index=True), as_of)


def _numerators(rates: pd.DataFrame, lists: pd.DataFrame, column: str | None) -> pd.DataFrame:
    """Complaints and hard and soft bounces per row of ``rates``, counted in the lists read
    (a list and its count agree exactly, so only sent and delivered cost count requests)."""
    out = rates.copy()
    names = {"complaints": "complaints", "hard": "hard_bounces", "soft": "soft_bounces"}
    for name in names.values():
        out[name] = 0
    if len(out) and len(lists):
        when = lists["complained_at"].combine_first(lists["bounced_at"])
        kind = lists["bounce_type"].astype(object).fillna("complaints").astype(str).map(names)
        starts = pd.DatetimeIndex(sorted(out["start"].unique()))
        slot = starts.searchsorted(when, side="right") - 1
        valid = (slot >= 0) & (when < out["end"].max()).to_numpy()
        rows = pd.DataFrame(
            {
                "account": lists["account"].astype(str).to_numpy()[valid],
                "group": lists[column].astype(str).to_numpy()[valid] if column else "",
                "start": starts[slot[valid]],
                "kind": kind.to_numpy()[valid],
            }
        )
        tally = rows.value_counts().unstack("kind", fill_value=0)
        key = pd.MultiIndex.from_arrays(
            [out["account"].astype(str), out["group"], out["start"]],
            names=["account", "group", "start"],
        )
        for name in names.values():
            if name in tally.columns:
                out[name] = tally[name].reindex(key, fill_value=0).to_numpy()
    for name in names.values():
        out[name] = out[name].astype("Int64")
    return out


def _top(rows: pd.DataFrame, column: str, name: str, notes: list[str]) -> list[str]:
    """The :data:`TOP_DOMAINS` values of ``column`` with the most complaints and bounces;
    none for a column of identifiers (most values once: a message id, not a group). A
    value longer than the API's filters take cannot be rated: ``notes`` says so."""
    if column not in rows.columns:
        return []
    values = rows[column].dropna().astype(str)
    counts = values[values != ""].value_counts()
    if not len(counts) or judge.identifiers(counts):
        return []
    top = [str(v) for v in counts.index[:TOP_DOMAINS]]
    long = [v for v in top if len(v) > MAX_FILTER_CHARS]
    if long:
        account = str(rows["account"].iloc[0])
        notes.append(
            f"{plural(len(long), 'value')} of {name} at {account} "
            f"({count(int(counts[long].sum()))} complaints and bounces) "
            f"{'is' if len(long) == 1 else 'are'} longer than the API can filter by "
            f"({MAX_FILTER_CHARS} characters): not rated."
        )
    return [v for v in top if len(v) <= MAX_FILTER_CHARS]


def _headers(read: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """``(name, column, accounts reporting on it)`` of each X-header the accounts use."""
    names = read_xheaders(session=read["session"], accounts=read["accounts"], progress=False)
    found: dict[str, tuple[str, list[str]]] = {}
    for row in names.itertuples(index=False):
        for slot in ("xheader1", "xheader2", "xheader3", "xheader4"):
            name = getattr(row, slot)
            if isinstance(name, str) and name:
                column = xheader_column(name)
                found.setdefault(column, (name, []))[1].append(str(row.account))
    return [(name, column, owners) for column, (name, owners) in found.items()]
