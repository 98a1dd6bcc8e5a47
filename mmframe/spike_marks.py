"""Text drawn on charts: names taken literally, and each spike's mark and label.

The label says the spike against its group's usual day as the report's text does
(:func:`usual_day`), inside the plot so the layout never shrinks the plot for it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def escape(text: object) -> str:
    """``text`` as matplotlib draws it literally: a ``$`` in a name (an account, a domain,
    a campaign) would otherwise start mathtext, drawn as maths or failing to draw."""
    return str(text).replace("$", r"\$")


def mark_spikes(ax: Axes, marked: pd.DataFrame, span: pd.Index) -> None:
    """A dot on each spike, labelled inside the plot: towards its middle from the spike (a
    label past the frame ran into the legend, or made the layout shrink the plot)."""
    first, last = (pd.Timestamp(span[0]), pd.Timestamp(span[-1])) if len(span) else (None, None)
    for spike in marked.to_dict("records"):
        start, count, group = spike["start"], int(spike["count"]), str(spike["group"])
        ax.plot([start], [count], marker="o", color="black", markersize=7, label="_spike")
        right = first is not None and last is not None and start - first > (last - first) / 2
        label = f"{start:%Y-%m-%d}\n{count:,} ({usual_day(spike)})"
        ax.annotate(
            label + (f"\n{_wrap_name(escape(group))}" if group != "count" else ""),
            xy=(start, count),
            xytext=(-8 if right else 8, -30),
            textcoords="offset points",
            horizontalalignment="right" if right else "left",
            verticalalignment="top",
            fontsize="small",
            color="black",
        )


def usual_day(spike: Mapping[Hashable, Any] | pd.Series) -> str:
    """A spike against its group's usual period, in short (the chart's label, the report's
    tables): a ratio means nothing over a usual period of none (counted as one)."""
    baseline = float(spike["baseline"])
    if baseline < 1:
        return f"usual day: {'none' if baseline == 0 else 'fewer than one'}"
    return f"{float(spike['ratio']):.1f}x usual"


#: The longest line of a name in a spike's label, in characters (what a phone's plot holds
#: beside the label's other lines): the legend holds the whole
#: name (a 76-character one ran off a phone's plot, over the axis title).
NAME_LINE = 18


def _wrap_name(name: str, width: int = 18) -> str:
    """A long name on two lines, broken before its ``@``, each line cut to
    :data:`NAME_LINE` characters with an ellipsis: a label stays narrow on a phone."""
    at = name.find("@")
    if len(name) <= width or at <= 0:
        return _cut(name)
    return f"{_cut(name[:at])}\n{_cut(name[at:])}"


def _cut(part: str) -> str:
    return part if len(part) <= NAME_LINE else part[: NAME_LINE - 1] + "\N{HORIZONTAL ELLIPSIS}"
