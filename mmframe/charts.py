"""Suppression trend charts and the spike finder they share with the demo.

Every ``plot_*`` takes a frame, draws on ``ax`` (a new figure when None) and returns the
Axes; none calls ``plt.show()``. matplotlib is imported when a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

# find_spikes and its window are analysis; charts draw them and keep the names importable.
from .analysis.spikes import SPIKE_WINDOW, find_spikes, least_days, series_table

__all__ = [
    "SPIKE_WINDOW",
    "find_spikes",
    "least_days",
    "plot_domain_heatmap",
    "plot_rates",
    "plot_reason_mix",
    "plot_suppression_trend",
]
from .chart_axes import OTHER as OTHER
from .chart_axes import axes_for, date_axis, date_number
from .chart_axes import fewer_date_ticks as fewer_date_ticks
from .options import documented

# The rate charts live in their own module; their names stay importable from here.
from .rate_charts import RATE_LINES as RATE_LINES
from .rate_charts import plot_rates as plot_rates
from .rate_charts import rate_groups as rate_groups
from .spike_marks import escape, mark_spikes

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _fold(table: pd.DataFrame, top: int) -> pd.DataFrame:
    """Keep the ``top`` largest columns; sum the rest into "other"."""
    if table.shape[1] <= top:
        return table
    order = table.sum().sort_values(ascending=False).index
    kept = table[order[:top]].copy()
    kept[OTHER] = table[order[top:]].sum(axis=1)
    return kept


def trend_groups(data: pd.DataFrame, *, by: str, freq: str = "D", top: int = 8) -> list[str]:
    """The groups :func:`plot_suppression_trend` draws a line of, given the same arguments
    (the rest fold into "other")."""
    return [str(c) for c in _fold(series_table(data, by, freq), top).columns if c != OTHER]


@documented
def plot_suppression_trend(
    data: pd.DataFrame,
    *,
    by: str | None = None,
    freq: str = "D",
    top: int = 8,
    stacked: bool = False,
    spikes: bool = True,
    as_of: pd.Timestamp | str | None = None,
    colors: Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Suppressions per period, one line (or stacked band) per group.

    Parameters
    ----------
    data
        A counts frame (from :func:`mmframe.read_suppression_counts`) or a suppressions frame.
    by
        None, ``"reason"``, ``"domain"`` or ``"account"``; groups past ``top`` fold into
        "other".
    freq
        Period for a suppressions frame (a counts frame keeps its own).
    stacked
        Stacked areas instead of lines.
    spikes
        Mark and label the periods :func:`find_spikes` flags.
    as_of
        Periods ending after this instant are partial and drawn dashed (default: now, or
        the counts frame's ``is_complete``).
    top
        Groups drawn; the rest fold into "other".
    colors
        A colour for each group, by name (``{"news@example.com": "C2"}``): a group keeps
        its colour in every chart given the same mapping; the others take the next of
        matplotlib's.
    {axes}

    See Also
    --------
    plot_reason_mix, plot_domain_heatmap, find_spikes
    """
    table = _fold(series_table(data, by, freq), top)
    ax = axes_for(ax)
    partial = _partial_from(data, table, freq, as_of) | _partial_edges(data, table, freq)
    complete = table.loc[~partial]
    if stacked:
        ax.stackplot(complete.index, complete.T.to_numpy(), labels=[escape(c) for c in table])
    else:
        _trend_lines(ax, table, partial, colors or {})
    if spikes:
        mark_spikes(ax, find_spikes(complete).head(MARKED), complete.index)
    date_axis(ax)
    if len(table) == 1:
        _one_period(ax, table)
    ax.set_ylabel(f"suppressions per {unit_name(_freq_of(data, freq))}")
    ax.set_title(escape("Suppressions" + (f" by {by}" if by else "")))
    if by is not None or stacked:
        ax.legend(loc="upper left", fontsize="small", ncol=2)
    return ax


def _trend_lines(
    ax: Axes, table: pd.DataFrame, partial: pd.Series, colors: Mapping[str, str]
) -> None:
    """One line a group, whole periods solid, in the group's colour when ``colors`` has it."""
    complete = table.loc[~partial]
    if len(table) == 1:  # one point a group: a line of it draws nothing, a dot shows it
        style = "--" if bool(partial.iloc[0]) else "-"
        for column in table.columns:
            ax.plot(table.index, table[column], label=escape(column), linestyle=style,
                    marker="o", color=colors.get(str(column)))  # fmt: skip
        return
    for column in table.columns:
        line = ax.plot(complete.index, complete[column], label=escape(column), linewidth=1.2,
                       color=colors.get(str(column)))  # fmt: skip
        # A partial first or last period: dashed, not a false ramp or drop.
        for run in _edge_runs(table[column], partial):
            ax.plot(run.index, run, linestyle="--", color=line[0].get_color(), label="_partial")


def _one_period(ax: Axes, table: pd.DataFrame) -> None:
    """The axes of one period's counts (a one-day range): its date alone, a day each side,
    and counts from 0 in whole numbers; matplotlib widened a lone date to 2025-2029 and a
    lone count of 5 to 4.7-5.3."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FixedLocator, MaxNLocator

    start = pd.Timestamp(table.index[0])
    day = date_number(start)
    ax.set_xlim(day - 1, day + 1)
    ax.xaxis.set_major_locator(FixedLocator([day]))
    shown = "%Y-%m-%d" if start == start.floor("D") else "%Y-%m-%d %H:%M"
    ax.xaxis.set_major_formatter(mdates.DateFormatter(shown, tz=start.tz))
    high = max(float(np.nanmax(table.astype("float64").to_numpy(), initial=0.0)) * 1.15, 1.0)
    ax.set_ylim(-0.04 * high, high)  # a count of 0 drawn over the axis, not under it
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


#: pandas frequency codes in words, for axis labels.
UNITS = {"D": "day", "W": "week", "MS": "month", "M": "month", "ME": "month", "h": "hour",
         "H": "hour", "YS": "year", "QS": "quarter", "min": "minute", "s": "second"}  # fmt: skip


def unit_name(freq: str) -> str:
    """``"W-SUN"`` → ``"week"``: a frequency in words (``"period"`` when not known)."""
    base = str(freq).split("-")[0].lstrip("0123456789") or "period"
    return UNITS.get(base, "period")


def _freq_of(data: pd.DataFrame, freq: str) -> str:
    """A counts frame's own frequency (its attrs), else the one asked for."""
    meta = data.attrs.get("mmframe")
    query = meta.get("query") if isinstance(meta, dict) else None
    if "suppressed_at" not in data.columns and isinstance(query, dict) and query.get("freq"):
        return str(query["freq"])
    return freq


def _partial_edges(data: pd.DataFrame, table: pd.DataFrame, freq: str) -> pd.Series:
    """The first period when the range starts inside it; the last when it ends inside it."""
    mask = pd.Series(False, index=table.index)
    if table.empty:
        return mask
    if "end" in data.columns:  # a counts frame knows where its last chunk stops
        last = pd.Timestamp(table.index[-1])
        stop = pd.Timestamp(data["end"].max())
        offset = pd.tseries.frequencies.to_offset(_freq_of(data, freq))
        mask.iloc[-1] = last + offset > stop
    first = pd.Timestamp(table.index[0])
    if "suppressed_at" in data.columns:
        meta = data.attrs.get("mmframe")
        query = meta.get("query") if isinstance(meta, dict) else None
        start = query.get("start") if isinstance(query, dict) else None
        mask.iloc[0] = start is not None and pd.Timestamp(start) > first
        return mask
    offset = pd.tseries.frequencies.to_offset(_freq_of(data, freq))
    if isinstance(offset, pd.tseries.offsets.Tick | pd.tseries.offsets.Day):
        step = (first + offset) - first  # the period's length
        on_boundary = (first - first.normalize()) % step == pd.Timedelta(0)
    else:
        on_boundary = offset.is_on_offset(first) and first == first.normalize()
    mask.iloc[0] = not on_boundary
    return mask


def _edge_runs(series: pd.Series, partial: pd.Series) -> list[pd.Series]:
    """The dashed pieces: a partial first period to the next, the last complete to the end."""
    runs = []
    if len(series) > 1 and bool(partial.iloc[0]):
        runs.append(series.iloc[:2])
    tail = int(partial.iloc[::-1].cumprod().sum()) if len(series) > 1 else 0
    if tail and tail < len(series):
        runs.append(series.iloc[-(tail + 1) :])
    return runs


def _partial_from(
    data: pd.DataFrame, table: pd.DataFrame, freq: str, as_of: pd.Timestamp | str | None
) -> pd.Series:
    if "is_complete" in data.columns and as_of is None:
        complete = data.groupby(level=0)["is_complete"].all()
        return ~complete.reindex(table.index, fill_value=True).astype(bool)
    now = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.now(tz="UTC")
    now = now.tz_localize("UTC") if now.tzinfo is None else now
    offset = pd.tseries.frequencies.to_offset(freq)
    ends = [start + offset for start in table.index]
    return pd.Series([end > now for end in ends], index=table.index)


#: The most spikes a trend chart marks (largest first).
MARKED = 5


def trend_spikes(
    data: pd.DataFrame,
    *,
    by: str | None = None,
    freq: str = "D",
    top: int = 8,
    as_of: pd.Timestamp | str | None = None,
) -> pd.DataFrame:
    """The spikes :func:`plot_suppression_trend` marks when given the same arguments (at
    most :data:`MARKED`, largest first): what a page drawing the chart must tell."""
    table = _fold(series_table(data, by, freq), top)
    partial = _partial_from(data, table, freq, as_of) | _partial_edges(data, table, freq)
    return find_spikes(table.loc[~partial]).head(MARKED)


@documented
def plot_reason_mix(data: pd.DataFrame, *, freq: str = "MS", ax: Axes | None = None) -> Axes:
    """Share of each reason per period (100 % stacked bars), from a suppressions frame.

    Parameters
    ----------
    data
        A suppressions frame (from :func:`mmframe.read_suppressions`).
    freq
        The periods' length, a pandas frequency (``"MS"``: calendar months).
    {axes}

    See Also
    --------
    plot_suppression_trend, plot_domain_heatmap
    """
    table = series_table(data, "reason", freq)
    shares = table.div(table.sum(axis=1).replace(0, np.nan), axis=0).fillna(0)
    ax = axes_for(ax)
    bottom = np.zeros(len(shares))
    width = (shares.index[1] - shares.index[0]).days * 0.8 if len(shares) > 1 else 20
    for reason in shares.columns:
        ax.bar(
            shares.index,
            shares[reason],
            bottom=bottom,
            width=width,
            label=escape(reason),
            align="edge",
        )
        bottom += shares[reason].to_numpy()
    date_axis(ax)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of suppressions")
    # The bars fill the axes to 100 %: the legend goes above them, under the title, where
    # it hides no segment (inside, it covered the tops, the last reason's).
    rows = -(-len(shares.columns) // 4)  # four reasons a row
    ax.set_title("Why: reason mix", pad=4 + 13 * rows)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), fontsize="small", ncol=4,
              frameon=False, borderaxespad=0.1, handlelength=1.0, handletextpad=0.4,
              columnspacing=0.8)  # fmt: skip
    return ax


@documented
def plot_domain_heatmap(
    data: pd.DataFrame, *, freq: str = "W", top: int = 15, ax: Axes | None = None
) -> Axes:
    """Suppressions per recipient domain (rows) and period (columns): who, and when.

    Parameters
    ----------
    data
        A suppressions frame (from :func:`mmframe.read_suppressions`).
    freq
        The periods' length, a pandas frequency (``"W"``: weeks).
    top
        Domains drawn (those with the most suppressions); the rest fold into "other".
    {axes}

    See Also
    --------
    plot_suppression_trend, plot_reason_mix
    """
    table = _fold(series_table(data, "domain", freq), top)
    ax = axes_for(ax)
    image = ax.imshow(table.T.to_numpy(), aspect="auto", cmap="magma_r", interpolation="none")
    ax.set_yticks(range(table.shape[1]), [escape(c) for c in table.columns], fontsize="small")
    step = max(1, len(table) // 12)
    ax.set_xticks(
        range(0, len(table), step),
        [f"{t:%Y-%m-%d}" for t in table.index[::step]],
        rotation=45,
        ha="right",
        fontsize="small",
    )
    ax.figure.colorbar(image, ax=ax, label=f"suppressions per {unit_name(freq)}")
    ax.set_title("Who: recipient domains over time")
    return ax
