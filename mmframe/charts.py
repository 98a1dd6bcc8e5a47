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
from .options import documented
from .spike_marks import escape, mark_spikes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

OTHER = "other"


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


def rate_groups(
    rates: pd.DataFrame, *, by: str, top: int = 8, metric: str = "complaint_rate"
) -> list[str]:
    """The groups :func:`plot_rates` draws by name, given the same arguments: first those
    whose ``metric`` crossed one of its lines (a chart that left them out said nobody
    crossed), the highest first; then the most mail, ``top`` in all.

    Of more groups over a line than ``top``, those over the highest line crossed, then
    those with the most mail, are named: a small domain's one complaint in 30 must not push
    out a large one over the same line (the rest are in "other").
    """
    grouped = rates.groupby(by, observed=True)
    volume = grouped["sent"].sum().sort_values(ascending=False, kind="stable")
    levels = sorted({level for level, _label, _style in RATE_LINES.get(metric, ())})
    crossed: list[str] = []
    if levels and metric in rates:
        worst = grouped[metric].max().astype("float64").reindex(volume.index)
        above = pd.concat([worst >= level for level in levels], axis=1).sum(axis=1)  # lines
        chosen = above[above > 0].sort_values(ascending=False, kind="stable").index[:top]
        crossed = [str(g) for g in worst[chosen].sort_values(ascending=False, kind="stable").index]
    rest = [str(g) for g in volume.index if str(g) not in crossed]
    return crossed + rest[: max(top - len(crossed), 0)]


def _other_rates(rates: pd.DataFrame, by: str, drawn: list[str]) -> pd.DataFrame:
    """The groups left out of a rate chart as one, "other": their counts summed a period
    and their rates recomputed (empty when none is left out or the counts are missing)."""
    from .analysis.rates import add_rates

    rest = rates[~rates[by].astype(str).isin(drawn)]
    if rest.empty or not set(COUNTED) <= set(rates.columns):
        return rest.iloc[:0]
    keys = ["start", "end"] if "end" in rest else ["start"]
    summed = rest.groupby(keys, observed=True)[list(COUNTED)].sum().reset_index()
    folded = add_rates(summed)
    if "is_complete" in rest:
        folded["is_complete"] = rest.groupby(keys)["is_complete"].all().to_numpy()
    return folded.assign(**{by: OTHER})


#: The count columns a rate is computed from (mmframe.analysis.rates.add_rates).
COUNTED = ("sent", "delivered", "hard_bounces", "soft_bounces", "complaints",
           "unique_opens", "unique_clicks")  # fmt: skip


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    # Sized for a page: shown whole in a notebook or docs column (about 600 px), and at
    # two thirds on a 390 px phone, where 10 pt labels stay readable (at 11 in: 4.6 px).
    _figure, made = plt.subplots(figsize=(5.6, 3.6), layout="constrained")
    return made


def _date_axis(ax: Axes, *, most: int | None = None) -> None:
    """Dates on the x axis, at most ``most`` ticks (None: matplotlib's choice)."""
    import matplotlib.dates as mdates

    locator = (
        mdates.AutoDateLocator(minticks=2, maxticks=most) if most else mdates.AutoDateLocator()
    )
    ax.xaxis.set_major_locator(locator)
    # No offset ("2026-Sep" under an August range): the chart's title says the range.
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def fewer_date_ticks(ax: Axes, most: int) -> bool:
    """At most ``most`` ticks on a date axis this module drew; False (and nothing changed)
    when the x axis holds no dates."""
    import matplotlib.dates as mdates

    if not isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter):
        return False
    _date_axis(ax, most=most)
    return True


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
    ax = _axes(ax)
    partial = _partial_from(data, table, freq, as_of) | _partial_edges(data, table, freq)
    complete = table.loc[~partial]
    if stacked:
        ax.stackplot(complete.index, complete.T.to_numpy(), labels=[escape(c) for c in table])
    else:
        _trend_lines(ax, table, partial, colors or {})
    if spikes:
        mark_spikes(ax, find_spikes(complete).head(MARKED), complete.index)
    _date_axis(ax)
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
    for column in table.columns:
        line = ax.plot(complete.index, complete[column], label=escape(column), linewidth=1.2,
                       color=colors.get(str(column)))  # fmt: skip
        # A partial first or last period: dashed, not a false ramp or drop.
        for run in _edge_runs(table[column], partial):
            ax.plot(run.index, run, linestyle="--", color=line[0].get_color(), label="_partial")


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
    ax = _axes(ax)
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
    _date_axis(ax)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of suppressions")
    ax.set_title("Why: reason mix")
    ax.legend(loc="upper left", fontsize="small", ncol=4)
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
    ax = _axes(ax)
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


#: Lines drawn on rate charts: the providers' spam-rate limits (see mmframe.analysis.rates).
RATE_LINES = {
    "complaint_rate": (
        (0.001, "Gmail's aim: 0.1%", ":"),
        (0.003, "Gmail and Yahoo limit: 0.3%", "--"),
    ),
    # Where mailbox providers' and ESPs' guidance starts warning (the report's line too).
    "bounce_rate": ((0.02, "bounce line: 2%", "--"),),
}


def _steps(part: pd.DataFrame, values: pd.Series) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Each period's rate held level from its start to its end: a rate belongs to the whole
    period, and a line between period starts would show values no period had."""
    edges = np.column_stack([part["start"].to_numpy(), _ends(part).to_numpy()]).ravel()
    return pd.DatetimeIndex(edges), np.repeat(values.to_numpy(dtype="float64"), 2)


def _rate_line(ax: Axes, part: pd.DataFrame, metric: str, label: str, color: str | None) -> None:
    """One group's rate, a step a period: whole periods solid, a period still running
    dashed, and complaint rates over the limit marked mid-period."""
    values = part[metric].astype("float64")
    whole = (
        part["is_complete"].fillna(True).to_numpy(dtype=bool)
        if "is_complete" in part
        else np.ones(len(part), dtype=bool)
    )
    line = ax.plot(*_steps(part[whole], values[whole]), label=label, linewidth=1.2, color=color)
    if not whole.all():  # a period still running: dashed, joined to the last whole one
        edge = max(int(np.argmin(whole)) - 1, 0)
        xs, ys = _steps(part.iloc[edge:], values.iloc[edge:])
        cut = 1 if edge < int(np.argmin(whole)) else 0  # from the last whole period's end
        ax.plot(xs[cut:], ys[cut:], linestyle="--", color=line[0].get_color(), linewidth=1.2,
                label="_partial")  # fmt: skip
    if metric == "complaint_rate":
        over = part["above_limit"].fillna(False).to_numpy(dtype=bool)
        middle = part["start"] + (_ends(part) - part["start"]) / 2
        ax.scatter(middle[over], values[over], color=line[0].get_color(), s=14, zorder=3)


def _ends(part: pd.DataFrame) -> pd.Series:
    return part["end"] if "end" in part else part["start"]


@documented
def plot_rates(
    rates: pd.DataFrame,
    *,
    metric: str = "complaint_rate",
    by: str | None = None,
    top: int = 8,
    colors: Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """One line per group of a rate over time, against the providers' limits.

    Each period's rate is held level over the whole period (a step), to the range's end.

    Parameters
    ----------
    rates
        A frame from :func:`mmframe.read_rates`.
    metric
        ``complaint_rate`` (drawn with Gmail's 0.1 % aim and the 0.3 % limit of Gmail and
        Yahoo), ``bounce_rate``, ``open_rate`` or ``click_rate``.
    by
        The group column (default: the frame's own group, else ``account``). Every group
        whose rate crossed a line is drawn, the highest first; then the groups with the
        most mail, up to ``top``; the rest as one line, "other".
    top
        Groups drawn by name (more when more crossed a line).
    colors
        A colour for each group, by name, as :func:`plot_suppression_trend` takes it.
    {axes}

    See Also
    --------
    read_rates, plot_suppression_trend
    """
    from matplotlib.ticker import PercentFormatter

    if metric not in ("complaint_rate", "bounce_rate", "open_rate", "click_rate"):
        raise ValueError(f"metric must be a rate column of read_rates, not {metric!r}")
    missing = {"start", metric} - set(rates.columns)
    if missing:
        raise KeyError(f"rates lacks {sorted(missing)}: pass the frame read_rates gives")
    groups = [c for c in rates.columns if c not in ("account", "start", "end")][:1]
    by = by or (groups[0] if groups and rates.columns.get_loc(groups[0]) == 1 else "account")
    ax = _axes(ax)
    drawn = rate_groups(rates, by=by, top=top, metric=metric)
    for name in drawn:
        part = rates[rates[by].astype(str) == name].sort_values("start")
        _rate_line(ax, part, metric, escape(name), (colors or {}).get(str(name)))
    other = _other_rates(rates, by, drawn)
    if len(other):
        colour = (colors or {}).get(OTHER, "#7f7f7f")  # grey, as the report's "other"
        _rate_line(ax, other.sort_values("start"), metric, OTHER, colour)
    if metric == "complaint_rate" and any(c.get_offsets().shape[0] for c in ax.collections):
        # The dots say which periods were over the limit: the legend says so too.
        ax.scatter([], [], color="black", s=14, label="dot: a period over the 0.3% limit")
    for level, label, style in RATE_LINES.get(metric, ()):
        ax.axhline(level, color="black", linestyle=style, linewidth=1, label=label)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=2))
    _date_axis(ax)
    words = metric.replace("_", " ")
    ax.set_ylabel(words)
    ax.set_title(escape(f"{words[0].upper()}{words[1:]} by {by}"))
    ax.legend(loc="upper left", fontsize="small", ncol=2)
    ax.set_ylim(bottom=0)
    return ax
