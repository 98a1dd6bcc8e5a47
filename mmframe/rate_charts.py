"""Rate charts: a rate a period, as a step, against the providers' limits.

:func:`plot_rates` draws every group over a line and the groups with the most mail, the
rest as one "other"; :func:`rate_groups` says which, for a page that colours them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .chart_axes import OTHER, axes_for, date_axis, date_number
from .options import documented
from .spike_marks import escape

if TYPE_CHECKING:
    from matplotlib.axes import Axes


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


def _whole(part: pd.DataFrame) -> np.ndarray:
    """Whether each period is whole: over (``is_complete``) and not cut by the range's
    start or end, by the frame's ``whole`` (the report's) or, where its attrs give the
    frequency (:func:`mmframe.read_rates`), its shape: December 1 to 5 of a range ending
    then is over, and still not a month."""
    done = (
        part["is_complete"].astype("boolean").fillna(True).to_numpy(dtype=bool)
        if "is_complete" in part
        else np.ones(len(part), dtype=bool)
    )
    if "whole" in part:
        return done & part["whole"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    meta = part.attrs.get("mmframe")
    query = meta.get("query") if isinstance(meta, dict) else None
    freq = query.get("freq") if isinstance(query, dict) else None
    if not freq or "end" not in part:
        return done
    from .dates import whole_periods

    shaped = whole_periods(part["start"], part["end"], str(freq)).to_numpy(dtype=bool)
    return np.asarray(done & shaped, dtype=bool)


def _rate_line(
    ax: Axes,
    part: pd.DataFrame,
    metric: str,
    label: str,
    color: str | None,
    marker: str | None = None,
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """One group's rate, a step a period: whole periods solid (``marker`` at each one's
    start, when given), a partial one dashed and joined to its whole neighbour, and
    complaint rates over the limit marked mid-period. Returns the partial periods drawn."""
    values = part[metric].astype("float64").reset_index(drop=True)
    part = part.reset_index(drop=True)
    whole = _whole(part)
    shown = part[whole]
    line = ax.plot(*_steps(shown, values[whole]), label=label, linewidth=1.2, color=color)
    colour = line[0].get_color()
    if marker:  # at each period's start: a step holds two points a period
        line[0].set(marker=marker, markevery=slice(0, None, 2), markersize=4,
                    markerfacecolor="white")  # fmt: skip
    partial = []
    for first, last in _runs(~whole):
        lo, hi = max(first - 1, 0), min(last + 1, len(part) - 1)
        xs, ys = _steps(part.iloc[first : last + 1], values.iloc[first : last + 1])
        if lo < first:  # from the whole period before it: its end, at its level
            xs = pd.DatetimeIndex(xs.insert(0, _ends(part).iloc[lo]))
            ys = np.insert(ys, 0, values.iloc[lo])
        if hi > last:  # to the whole period after it: its start, at its level
            xs = pd.DatetimeIndex(xs.append(pd.DatetimeIndex([part["start"].iloc[hi]])))
            ys = np.append(ys, values.iloc[hi])
        ax.plot(xs, ys, linestyle="--", color=colour, linewidth=1.2, label="_partial")
        partial += [(part["start"].iloc[i], _ends(part).iloc[i]) for i in range(first, last + 1)]
    if metric == "complaint_rate":
        over = part["above_limit"].fillna(False).to_numpy(dtype=bool)
        middle = part["start"] + (_ends(part) - part["start"]) / 2
        ax.scatter(middle[over], values[over], color=colour, s=14, zorder=3)
    return partial


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``(first, last)`` positions of each run of True in ``mask``."""
    runs: list[tuple[int, int]] = []
    for i in np.flatnonzero(mask):
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], int(i))
        else:
            runs.append((int(i), int(i)))
    return runs


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
    markers: Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """One line per group of a rate over time, against the providers' limits.

    Each period's rate is held level over the whole period (a step), to the range's end. A
    partial period (still running, or cut by the range's start or end: its ``whole``
    column, else the frequency in its ``attrs``) is dashed and hatched, and the legend says
    so.

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
        A colour for each group, by name, as :func:`plot_suppression_trend` takes it; the
        others take matplotlib's next colours, never one given nor "other"'s grey.
    markers
        A matplotlib marker for each group, by name, at each period's start: groups of one
        colour told apart (the report draws an account's domains in shades of its colour).
    {axes}

    See Also
    --------
    read_rates, plot_suppression_trend
    """
    if metric not in ("complaint_rate", "bounce_rate", "open_rate", "click_rate"):
        raise ValueError(f"metric must be a rate column of read_rates, not {metric!r}")
    missing = {"start", metric} - set(rates.columns)
    if missing:
        raise KeyError(f"rates lacks {sorted(missing)}: pass the frame read_rates gives")
    groups = [c for c in rates.columns if c not in ("account", "start", "end")][:1]
    by = by or (groups[0] if groups and rates.columns.get_loc(groups[0]) == 1 else "account")
    ax = axes_for(ax)
    _draw_groups(
        ax, rates, by=by, top=top, metric=metric, colors=colors or {}, markers=markers or {}
    )
    _dress(ax, metric, by)
    return ax


def _dress(ax: Axes, metric: str, by: str) -> None:
    """The lines of ``metric``'s limits, its axes, title and legend."""
    from matplotlib.ticker import PercentFormatter

    for level, label, style in RATE_LINES.get(metric, ()):
        ax.axhline(level, color="black", linestyle=style, linewidth=1, label=label)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=2))
    date_axis(ax)
    words = metric.replace("_", " ")
    ax.set_ylabel(words)
    ax.set_title(escape(f"{words[0].upper()}{words[1:]} by {by}"))
    # One column, where the lines leave room: two ran past a page-sized figure's edge.
    ax.legend(loc="best", fontsize="small")
    # From just under 0: a rate of 0 is drawn over the axis, not hidden under it (the
    # locator puts no tick under 0 this near it).
    top = ax.get_ylim()[1]
    ax.set_ylim(-0.015 * top, top)


def _draw_groups(
    ax: Axes,
    rates: pd.DataFrame,
    *,
    by: str,
    top: int,
    metric: str,
    colors: Mapping[str, str],
    markers: Mapping[str, str],
) -> None:
    """The groups :func:`rate_groups` names, then "other"; the dots' legend entry, and the
    partial periods hatched behind the lines with theirs."""
    drawn = rate_groups(rates, by=by, top=top, metric=metric)
    colour = _colours(drawn, colors)
    partial: set[tuple[pd.Timestamp, pd.Timestamp]] = set()
    for name in drawn:
        part = rates[rates[by].astype(str) == name].sort_values("start")
        part.attrs = rates.attrs  # the frequency its periods' shape is read by
        mark = markers.get(name)
        partial |= set(_rate_line(ax, part, metric, escape(name), colour[name], mark))
    other = _other_rates(rates, by, drawn)
    if len(other):
        other.attrs = rates.attrs
        grey = colors.get(OTHER, OTHER_GREY)  # as the report's "other"
        partial |= set(_rate_line(ax, other.sort_values("start"), metric, OTHER, grey))
    if metric == "complaint_rate" and any(len(np.asarray(c.get_offsets())) for c in ax.collections):
        # The dots say which periods were over the limit: the legend says so too.
        ax.scatter([], [], color="black", s=14, label="dot: a period over the 0.3% limit")
    _hatch(ax, sorted(partial))


#: The legend's words for the hatching behind a partial period.
PARTIAL = "hatched, lines dashed: partial period"


def _hatch(ax: Axes, periods: list[tuple[pd.Timestamp, pd.Timestamp]]) -> None:
    """Each partial period hatched behind the lines, and the legend's one entry for them: a
    partial period's rate is not a whole period's."""
    for i, (start, end) in enumerate(periods):
        ax.axvspan(
            date_number(start), date_number(end), facecolor="none", edgecolor="0.8",
            hatch="////", linewidth=0, zorder=0, label="_hatched" if i else PARTIAL,
        )  # fmt: skip


#: The grey of "other" (matplotlib's, the report's too): no group drawn by name takes it.
OTHER_GREY = "#7f7f7f"


def _colours(drawn: list[str], colors: Mapping[str, str]) -> dict[str, str]:
    """Each group's colour: the one given, else the next of matplotlib's that no group
    given one has and that is not "other"'s grey (two legend entries of one colour cannot
    be told apart)."""
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    taken = {to_hex(c) for c in colors.values()} | {OTHER_GREY}
    cycle = [to_hex(c) for c in mpl.rcParams["axes.prop_cycle"].by_key().get("color", [])]
    free = iter([c for c in cycle if c not in taken] or cycle)
    out: dict[str, str] = {}
    for name in drawn:
        given = colors.get(str(name))
        out[name] = given if given is not None else next(free, None) or OTHER_GREY
    return out
