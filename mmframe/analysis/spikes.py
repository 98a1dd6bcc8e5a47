"""Spikes: the periods far above their series' usual (a rolling median and MAD, robust to
the spike itself), per group. Frames in, frames out; :mod:`mmframe.charts` marks them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def series_table(data: pd.DataFrame, by: str | None, freq: str) -> pd.DataFrame:
    """Counts per period (rows) and group (columns) from a counts or suppressions frame."""
    if "suppressed_at" in data.columns:
        # Periods labelled by their start and closed on the left, like the counts frames.
        keys: list[Any] = [pd.Grouper(key="suppressed_at", freq=freq, label="left", closed="left")]
        if by is not None:
            keys.append(by)
        counts = data.groupby(keys, observed=True).size()
        table = counts.unstack(by) if by is not None else counts.to_frame("count")
        return table.fillna(0).astype("int64")
    if "count" in data.columns:
        if by not in (None, "account"):
            raise ValueError(f"a counts frame can be split by 'account' only, not {by!r}")
        if by == "account":
            keyed = data.set_index("account", append=True)["count"]
            table = keyed.groupby(level=[0, 1], observed=True).sum().unstack(1)
        else:
            table = data.groupby(level=0)["count"].sum().to_frame("count")
        return table.fillna(0).astype("int64")
    raise ValueError("expected a suppressions frame (suppressed_at) or counts frame (count)")


def _spikes_of(
    series: pd.Series, group: object, window: int, threshold: float, min_count: int
) -> list[dict[str, object]]:
    """The spikes of one series: rolling median and MAD, robust to the spike itself."""
    least = least_days(window)
    median = series.rolling(window, center=True, min_periods=least).median()
    deviation = (series - median).abs().rolling(window, center=True, min_periods=least).median()
    scale = np.maximum(1.4826 * deviation, np.sqrt(median.clip(lower=1.0)))
    score = (series - median) / scale
    hits = score[(score > threshold) & (series >= min_count)]
    return [
        {
            "start": start,
            "group": group,
            "count": int(series[start]),
            "baseline": float(median[start]),
            "ratio": float(series[start] / max(median[start], 1.0)),
            "score": float(value),
        }
        for start, value in hits.items()
    ]


def least_days(window: int) -> int:
    """The fewest days of data a usual day (the rolling median) is measured over."""
    return max(3, window // 3)


#: The days of :func:`find_spikes`' centred window: a spike's baseline reaches half of it
#: either side.
SPIKE_WINDOW = 29


def find_spikes(
    counts: pd.Series | pd.DataFrame,
    *,
    window: int = SPIKE_WINDOW,
    threshold: float = 8.0,
    min_count: int = 10,
) -> pd.DataFrame:
    """Periods far above their neighbourhood: rolling median and MAD, robust to the spike.

    Parameters
    ----------
    counts
        A counts frame (from :func:`mmframe.read_suppression_counts`; split by account when
        it has an ``account`` column), a Series of counts by period, or a frame with one
        column per group. A missing count (NaN) is a period without data: it is neither
        judged nor part of any baseline.
    window
        Periods in the centred rolling window (odd; 29 days by default).
    threshold
        How many robust standard deviations (1.4826 x MAD, at least the Poisson noise
        sqrt(median)) above the median a period must stand.
    min_count
        Smaller counts are never spikes (no alarms on near-empty series).

    Returns
    -------
    pandas.DataFrame
        One row per spike, largest score first (ties: the larger count, the earlier
        period, then the group's name; never the rows' order): ``start``, ``group``, ``count``,
        ``baseline`` (the rolling median), ``ratio`` (count / baseline), ``score``.
    """
    if isinstance(counts, pd.Series):
        table = counts.to_frame("count")
    elif "count" in counts.columns:  # a counts frame: one series per account, if any
        table = series_table(counts, "account" if "account" in counts.columns else None, "D")
    else:
        table = counts
    found = [
        spike
        for group in table.columns
        for spike in _spikes_of(table[group].astype("float64"), group, window, threshold, min_count)
    ]
    columns = ["start", "group", "count", "baseline", "ratio", "score"]
    spikes = pd.DataFrame(found, columns=columns)
    # Ties broken by the data alone (the larger, then the earlier, then by name), never by
    # the rows' order: a chart and the page that tells its marks must pick the same ones.
    order = spikes.assign(name=spikes["group"].astype(str)).sort_values(
        ["score", "count", "start", "name"], ascending=[False, False, True, True]
    )
    return spikes.loc[order.index].reset_index(drop=True)
