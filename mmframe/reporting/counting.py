"""The report's tallies of the lists it reads: daily suppressions, and complaints and
bounces per rated group and period, one way for both.

A list and its count agree exactly (the loaders check each read against its count), so the
report counts the rows it has read instead of asking the API again: the daily suppressions
of a range small enough to read whole, and the numerators of every rate. The figures are
those :func:`mmframe.read_suppression_counts` and :func:`mmframe.read_rates` give.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

#: The numerators, by what a row of the complaint and bounce lists is.
_NUMERATORS = {"complaints": "complaints", "hard": "hard_bounces", "soft": "soft_bounces"}


def per_period(
    when: pd.Series, starts: pd.DatetimeIndex, end: pd.Timestamp, keys: Mapping[str, np.ndarray]
) -> pd.Series:
    """Rows per (``keys``..., period start): each row in the period of ``starts`` holding
    ``when`` (periods are consecutive, the last ending at ``end``); rows outside are left out."""
    slot = starts.searchsorted(when, side="right") - 1
    inside = (slot >= 0) & (when < end).to_numpy()
    rows = pd.DataFrame({k: np.asarray(v)[inside] for k, v in keys.items()})
    rows["start"] = starts[slot[inside]]
    return rows.value_counts()


def daily(
    listed: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    names: list[str],
    as_of: pd.Timestamp,
) -> pd.DataFrame:
    """Daily counts per account, shaped as :func:`mmframe.read_suppression_counts` gives."""
    days = pd.date_range(start.floor("D"), end, freq="D", inclusive="left", name="start")
    account = listed["account"].astype(str).to_numpy()
    tally = per_period(listed["suppressed_at"], days, end, {"account": account})
    present, parts = set(account), []
    for name in names:
        none = pd.Series(dtype="int64")
        per_day = tally.xs(name, level="account") if name in present else none
        per_day = per_day.reindex(days, fill_value=0)
        part = pd.DataFrame({"account": name, "count": per_day.astype("Int64")}, index=days)
        part.insert(1, "end", days + pd.Timedelta(days=1))
        parts.append(part)
    counts = pd.concat(parts)
    counts["is_complete"] = (counts["end"] <= as_of).astype("boolean")
    return counts


def numerators(
    rates: pd.DataFrame,
    lists: pd.DataFrame,
    column: str | None,
    tallied: dict[tuple[object, ...], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """``rates`` (counts of sent and delivered per account, group and period) with the
    complaints and hard and soft bounces of each row, counted in the lists read.
    ``tallied``: the lists' tallies already made, by column and periods (filled here), so
    that rating many groups of one column tallies the lists once."""
    out = rates.copy()
    for name in _NUMERATORS.values():
        out[name] = 0
    if len(out) and len(lists):
        starts = pd.DatetimeIndex(sorted(out["start"].unique()))
        end = out["end"].max()
        known = {} if tallied is None else tallied
        table = known.get((column, tuple(starts), end))
        if table is None:
            table = known[(column, tuple(starts), end)] = _tally(lists, column, starts, end)
        key = pd.MultiIndex.from_arrays(
            [out["account"].astype(str), out["group"], out["start"]],
            names=["account", "group", "start"],
        )
        for name in _NUMERATORS.values():
            if name in table.columns:
                out[name] = table[name].reindex(key, fill_value=0).to_numpy()
    for name in _NUMERATORS.values():
        out[name] = out[name].astype("Int64")
    return out


def _tally(
    lists: pd.DataFrame, column: str | None, starts: pd.DatetimeIndex, end: pd.Timestamp
) -> pd.DataFrame:
    """The complaints, hard and soft bounces of ``lists`` per (account, ``column``'s value,
    period start): one column each."""
    when = lists["complained_at"].combine_first(lists["bounced_at"])
    kind = lists["bounce_type"].astype(object).fillna("complaints").astype(str)
    keys = {
        "account": lists["account"].astype(str).to_numpy(),
        "group": lists[column].astype(str).to_numpy() if column else np.full(len(lists), ""),
        "kind": kind.map(_NUMERATORS).to_numpy(),
    }
    tally = per_period(when, starts, end, keys)
    tally = tally.swaplevel("kind", "start")  # (account, group, start) as ``key``
    return tally.unstack("kind", fill_value=0)


def active(counts: pd.DataFrame, rates: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The daily counts and the accounts' rates of the accounts that sent mail or had a
    suppression in the range: what the charts draw (an idle one, a master account that
    sends nothing, would only take legend entries), and so what the page says the
    suppressions chart marks. All of them when every one is idle."""
    mine = rates[rates["by"] == "account"] if len(rates) else rates
    suppressed = counts.groupby("account", observed=True)["count"].sum()
    sent = mine.groupby("account", observed=True)["sent"].sum() if len(mine) else suppressed * 0
    busy = {str(a) for a, n in suppressed.items() if n > 0}
    busy |= {str(a) for a, n in sent.items() if n > 0}
    if not busy:
        return counts, mine
    return (
        counts[counts["account"].astype(str).isin(busy)],
        mine[mine["account"].astype(str).isin(busy)] if len(mine) else mine,
    )
