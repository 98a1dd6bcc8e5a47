"""Rate charts: a rate a period, as a step, against the providers' limits.

:func:`plot_rates` draws every group over a line and the groups with the most mail, the
rest as one "other"; :func:`rate_groups` says which, for a page that colours them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .chart_axes import OTHER, axes_for, date_axis
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
    ax = axes_for(ax)
    _draw_groups(ax, rates, by=by, top=top, metric=metric, colors=colors or {})
    for level, label, style in RATE_LINES.get(metric, ()):
        ax.axhline(level, color="black", linestyle=style, linewidth=1, label=label)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=2))
    date_axis(ax)
    words = metric.replace("_", " ")
    ax.set_ylabel(words)
    ax.set_title(escape(f"{words[0].upper()}{words[1:]} by {by}"))
    # One column, where the lines leave room: two ran past a page-sized figure's edge.
    ax.legend(loc="best", fontsize="small")
    ax.set_ylim(bottom=0)
    return ax


def _draw_groups(
    ax: Axes, rates: pd.DataFrame, *, by: str, top: int, metric: str, colors: Mapping[str, str]
) -> None:
    """The groups :func:`rate_groups` names, then "other"; the dots' legend entry."""
    drawn = rate_groups(rates, by=by, top=top, metric=metric)
    for name in drawn:
        part = rates[rates[by].astype(str) == name].sort_values("start")
        _rate_line(ax, part, metric, escape(name), colors.get(str(name)))
    other = _other_rates(rates, by, drawn)
    if len(other):
        colour = colors.get(OTHER, "#7f7f7f")  # grey, as the report's "other"
        _rate_line(ax, other.sort_values("start"), metric, OTHER, colour)
    if metric == "complaint_rate" and any(len(np.asarray(c.get_offsets())) for c in ax.collections):
        # The dots say which periods were over the limit: the legend says so too.
        ax.scatter([], [], color="black", s=14, label="dot: a period over the 0.3% limit")
