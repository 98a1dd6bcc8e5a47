"""Text drawn on charts: names taken literally, and each spike's mark and label.

Each spike has its dot; a run of a group's spikes on adjacent days has one label (one a
day overprinted each other). The label says the spike against its group's usual day as
the report's text does (:func:`usual_day`), inside the plot so the layout never shrinks
the plot for it; a phone's is compact, and also joins adjacent days of several groups.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def escape(text: object) -> str:
    """``text`` as matplotlib draws it literally: a ``$`` in a name (an account, a domain,
    a campaign) would otherwise start mathtext, drawn as maths or failing to draw."""
    return str(text).replace("$", r"\$")


def mark_spikes(ax: Axes, marked: pd.DataFrame, span: pd.Index) -> None:
    """A dot on each spike and a label on each run of them (:func:`spike_runs`) inside the
    plot, towards its middle from the run's peak (a label past the frame ran into the
    legend, or made the layout shrink the plot); a narrow figure's labels are compact."""
    first, last = (pd.Timestamp(span[0]), pd.Timestamp(span[-1])) if len(span) else (None, None)
    for spike in marked.to_dict("records"):  # every spike its dot: the page names each
        ax.plot([spike["start"]], [int(spike["count"])], marker="o", color="black",
                markersize=7, label="_spike")  # fmt: skip
    compact = ax.figure.bbox.width / ax.figure.dpi < COMPACT
    # Days without their year where the chart's span holds no day of the month twice.
    year = first is None or last is None or last - first >= pd.Timedelta(days=365)
    runs = spike_runs(marked, span, across=compact)
    roomy = len(runs) <= ROOMY  # a compact label keeps the usual day where few stack
    for run in runs:
        peak = _peak(run)
        start, count = peak["start"], int(peak["count"])
        right = first is not None and last is not None and start - first > (last - first) / 2
        label = _compact(run, peak, year=year, usual=roomy) if compact else _told(run, peak)
        words = ax.annotate(
            label + _names(run),
            xy=(start, count),
            xytext=(-8 if right else 8, -30),
            textcoords="offset points",
            horizontalalignment="right" if right else "left",
            verticalalignment="top",
            fontsize="small",
            color="black",
        )
        WORDS[words] = _in_full(run, peak, year=year)


#: Each label's words in full, names uncut, for a key under the chart to give where the
#: label is cut to its number (:mod:`mmframe.reporting.label_key`).
WORDS: WeakKeyDictionary[Any, str] = WeakKeyDictionary()


def _in_full(run: list[Spike], peak: Spike, *, year: bool) -> str:
    """A run's words with room to spare: ``12 Oct: 81 (27.0x usual), <name>``, or, for
    several groups, each group's days and counts (``16-18 Oct: <name>: 16 Oct 107, 17 Oct
    110; <name>: 18 Oct 105``), the names whole."""
    days = _days(run, year=year)
    groups = list(dict.fromkeys(str(s["group"]) for s in run))
    if len(run) == 1:
        name = "" if groups == ["count"] else f", {escape(groups[0])}"
        return f"{days}: {int(peak['count']):,} ({usual_day(peak)}){name}"
    each = [
        f"{escape(group)}: "
        + ", ".join(f"{_day(pd.Timestamp(s['start']), year=year)} {int(s['count']):,}"
                    for s in run if str(s["group"]) == group)
        for group in groups
    ]  # fmt: skip
    return f"{days}: " + "; ".join(each)


#: A figure narrower than this, in inches (a phone's), labels its spikes compactly, and
#: adjacent days' spikes of any groups together: a phone's plot holds one label across (they
#: stack; fewer lines stack more), and its adjacent days' dots touch.
COMPACT = 3.5
#: The most compact labels that keep their usual day (a line each): more are cut to the
#: days, the count and the names, so that they stack near their spikes.
ROOMY = 2

#: A spike, as :func:`mmframe.charts.find_spikes` gives it (a row as a dict).
Spike = dict[Hashable, Any]


def spike_runs(marked: pd.DataFrame, span: pd.Index, *, across: bool = False) -> list[list[Spike]]:
    """``marked``'s spikes in runs, each a group's spikes on adjacent periods of ``span``
    (``across``: any groups' spikes on the same or adjacent periods) in date order; the runs
    in the order of their first spike in ``marked`` (largest first). Two adjacent days
    labelled each on its own overprinted each other."""
    at = {pd.Timestamp(t): i for i, t in enumerate(span)}
    by_group: dict[str, list[tuple[int, int, Spike]]] = {}
    for order, spike in enumerate(marked.to_dict("records")):
        where = at.get(pd.Timestamp(spike["start"]), -2 * (order + 1))  # not in span: alone
        by_group.setdefault("" if across else str(spike["group"]), []).append((where, order, spike))
    runs: list[tuple[int, list[Spike]]] = []
    for spikes in by_group.values():
        spikes.sort(key=lambda item: (item[0], item[1]))
        run: list[tuple[int, int, Spike]] = []
        for item in spikes:
            if run and item[0] - run[-1][0] > 1:
                runs.append((min(o for _w, o, _s in run), [s for _w, _o, s in run]))
                run = []
            run.append(item)
        runs.append((min(o for _w, o, _s in run), [s for _w, _o, s in run]))
    return [run for _order, run in sorted(runs, key=lambda r: r[0])]


#: The most groups a label names (the rest are counted: "and 2 more").
NAMED = 3


def _names(run: list[Spike]) -> str:
    """The lines naming a run's groups, largest first (none for a chart of one group)."""
    groups = list(
        dict.fromkeys(str(s["group"]) for s in sorted(run, key=lambda s: -int(s["count"])))
    )
    if groups == ["count"]:
        return ""
    shown = groups if len(groups) <= NAMED else groups[: NAMED - 1]
    more = [f"and {len(groups) - len(shown)} more"] if len(shown) < len(groups) else []
    return "".join(f"\n{line}" for line in [*(_wrap_name(escape(g)) for g in shown), *more])


def _peak(run: list[Spike]) -> Spike:
    """The spike a run's label stands by: its largest, the one nearest the run's middle of
    those of that size."""
    middle = (len(run) - 1) / 2
    best = max(range(len(run)), key=lambda i: (int(run[i]["count"]), -abs(i - middle)))
    return run[best]


def _told(run: list[Spike], peak: Spike) -> str:
    """A run's label, its name left out: the day (the days, how many, and the largest)
    and its count against the usual day."""
    start = pd.Timestamp(peak["start"])
    if len(run) == 1:
        return f"{start:%Y-%m-%d}\n{int(peak['count']):,} ({usual_day(peak)})"
    first, last = pd.Timestamp(run[0]["start"]), pd.Timestamp(run[-1]["start"])
    end = f"{last:%m-%d}" if last.year == first.year else f"{last:%Y-%m-%d}"
    return f"{first:%Y-%m-%d} to {end}: {len(run)} spikes\n{_amount(run, peak)}"


def _amount(run: list[Spike], peak: Spike, *, usual: bool = True) -> str:
    """``36 each`` when a run's days tell the same, else ``up to 42``: its largest; with
    ``usual``, against the usual day (``36 each (usual day: none)``)."""
    told = {(int(s["count"]), usual_day(s) if usual else "") for s in run}
    size = f"{int(peak['count']):,}"
    words = f"{size} each" if len(told) == 1 else f"up to {size}"
    return f"{words} ({usual_day(peak)})" if usual else words


#: Months as a compact label says them (not the locale's: a label reads the same anywhere).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _compact(run: list[Spike], peak: Spike, *, year: bool, usual: bool) -> str:
    """A run's label in short, its names left out: ``20 May: 400``, ``5-7 May: 36 each``,
    ``13-15 May: 3 spikes`` (of several groups), ``29 Apr-2 May`` over ``up to 4,200``
    where one line would be wider than a name's (the year when ``year``; an en dash
    between the days); with ``usual``, one group's usual day under it (the page says it
    of each spike)."""
    days = _days(run, year=year)
    several = len({str(s["group"]) for s in run}) > 1
    if several:
        amount = f"{len(run)} spikes"
    elif len(run) == 1:
        amount = f"{int(peak['count']):,}"
    else:
        amount = _amount(run, peak, usual=False)
    line = f"{days}: {amount}"
    told = line if len(line) <= NAME_LINE else f"{days}\n{amount}"
    return told + (f"\n{usual_day(peak)}" if usual and not several else "")


def _days(run: list[Spike], *, year: bool) -> str:
    """A run's days in short: ``20 May``, ``5\N{EN DASH}7 May``, ``29 Apr\N{EN DASH}2 May``."""
    first, last = pd.Timestamp(run[0]["start"]), pd.Timestamp(run[-1]["start"])
    if last == first:
        return _day(first, year=year)
    same = (first.year, first.month) == (last.year, last.month)
    since = f"{first.day}" if same else _day(first, year=year and first.year != last.year)
    return f"{since}\N{EN DASH}{_day(last, year=year)}"


def _day(day: pd.Timestamp, *, year: bool) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")


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
