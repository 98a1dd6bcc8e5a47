"""A rate chart's axis, scaled to the periods the findings judge (tenth review, F13).

A period with fewer events than a period is judged on (one message of an account, bounced:
100 %) is drawn, and named under the chart, but does not scale the axis where it is more
than twice the judged periods and the lines: it would squeeze them into the axis's foot
(the incident, 5.6 %, was a 1 mm step). Such a period is marked at the chart's top, off the
scale, in its group's colour. Both rate charts are scaled so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..chart_axes import date_number
from ..rate_charts import RATE_LINES, rate_groups
from .finding import MIN_BOUNCES, MIN_COMPLAINTS

#: The legend's words for a period off the scale.
OFF_SCALE = "off the scale, named under the chart"
#: How far over the judged periods (and the lines) an unjudged one may still scale the axis.
ROOM = 2.0
#: The room over the highest period drawn to scale, as a share of it.
HEADROOM = 1.1


def events(rates: pd.DataFrame, metric: str) -> pd.Series:
    """The events a period's ``metric`` is judged on: bounces, or complaints (infinite
    where a frame lacks their counts: a period not known to be too small is judged)."""
    needed = ("hard_bounces", "soft_bounces") if metric == "bounce_rate" else ("complaints",)
    if not set(needed) <= set(rates.columns):
        return pd.Series(float("inf"), index=rates.index)
    if metric == "bounce_rate":
        return rates["hard_bounces"].fillna(0) + rates["soft_bounces"].fillna(0)
    return rates["complaints"].fillna(0)


def least(metric: str) -> int:
    """The events a period is judged on alone."""
    return MIN_BOUNCES if metric == "bounce_rate" else MIN_COMPLAINTS


def axis_top(rates: pd.DataFrame, *, by: str, metric: str, top: int = 8) -> float | None:
    """The top of the axis where some drawn group's unjudged period is off the scale (more
    than :data:`ROOM` times the judged periods and the lines); None where none is."""
    named = rates[by].astype(str).isin(rate_groups(rates, by=by, top=top, metric=metric))
    drawn = rates[named]
    values = drawn[metric].astype("float64")
    judged = events(drawn, metric) >= least(metric)
    lines = [level for level, _label, _style in RATE_LINES.get(metric, ())]
    base = max([*values[judged].dropna().tolist(), *lines, *_other(rates[~named], metric)])
    if base <= 0 or not (values > ROOM * base).any():
        return None
    # The judged periods and the lines at least: the others in scale may all be none.
    shown = values[values <= ROOM * base].dropna().tolist()
    return max([base, *shown]) * HEADROOM


def _other(rest: pd.DataFrame, metric: str) -> list[float]:
    """The rates of the groups folded into "other" (``rest``), a period: they scale the
    axis (their line is never marked off the scale)."""
    mail = "sent" if metric == "bounce_rate" else "delivered"
    if not len(rest) or mail not in rest.columns:
        return [float(v) for v in rest[metric].dropna()]
    summed = rest.assign(events=events(rest, metric)).groupby("start")[["events", mail]].sum()
    summed = summed[summed[mail] > 0]
    return (summed["events"] / summed[mail]).astype("float64").tolist()


def off_scale(rates: pd.DataFrame, *, by: str, metric: str, top: int = 8) -> pd.DataFrame:
    """The drawn periods over :func:`axis_top` (none where it is None)."""
    cap = axis_top(rates, by=by, metric=metric, top=top)
    if cap is None:
        return rates.iloc[:0]
    drawn = rates[by].astype(str).isin(rate_groups(rates, by=by, top=top, metric=metric))
    return rates[drawn & (rates[metric].astype("float64") > cap)]


def scale_to_judged(
    ax: Any, rates: pd.DataFrame, *, by: str, metric: str, colors: Mapping[str, str]
) -> Any:
    """``ax``'s axis topped at :func:`axis_top`, each period over it marked at the top, in
    its group's colour (black where it has none); ``ax`` as drawn where none is over."""
    cap = axis_top(rates, by=by, metric=metric)
    if cap is None:
        return ax
    ax.set_ylim(0, cap)
    over = off_scale(rates, by=by, metric=metric)
    ends = over["end"] if "end" in over else over["start"]
    middle = over["start"] + (ends - over["start"]) / 2
    for i, (group, at) in enumerate(zip(over[by].astype(str), middle, strict=True)):
        ax.scatter(
            [date_number(at)], [cap], marker="^", s=40, color=colors.get(group, "black"),
            clip_on=False, zorder=4, label=OFF_SCALE if i == 0 else "_off_scale",
        )  # fmt: skip
    return ax
