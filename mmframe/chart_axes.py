"""What every chart of :mod:`mmframe.charts` shares: its Axes, its date axis, "other"."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: The name of the groups folded into one.
OTHER = "other"


def axes_for(ax: Axes | None) -> Axes:
    """``ax``, or a new figure's Axes sized for a page."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    # Sized for a page a phone shows too: 420 px at 100 dpi, whole in a notebook or docs
    # column, and at 0.83 in a 390 px phone's (350 px), where its smallest text (8.3 pt,
    # 11.6 px) stays over 9 CSS px; at 5.6 in it was 7.2 px.
    _figure, made = plt.subplots(figsize=(4.2, 3.2), layout="constrained")
    return made


def date_axis(ax: Axes, *, most: int | None = None) -> None:
    """Dates on the x axis, at most ``most`` ticks (None: matplotlib's choice)."""
    import matplotlib.dates as mdates

    locator = (
        mdates.AutoDateLocator(minticks=2, maxticks=most) if most else mdates.AutoDateLocator()
    )
    if most:
        # A tick a year, a day, an hour or a minute: the longest step of the finer unit, so
        # a day and a half (too short for days, 36 hours at 12 apart) fits 3 ticks without
        # matplotlib warning that it found no interval.
        longest_steps = (
            (mdates.MONTHLY, 12), (mdates.HOURLY, 24), (mdates.MINUTELY, 60),
            (mdates.SECONDLY, 60),
        )  # fmt: skip
        for unit, longest in longest_steps:
            locator.intervald[unit] = [*locator.intervald[unit], longest]
    ax.xaxis.set_major_locator(locator)
    # No offset ("2026-Sep" under an August range): the chart's title says the range.
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def fewer_date_ticks(ax: Axes, most: int) -> bool:
    """At most ``most`` ticks on a date axis this module drew; False (and nothing changed)
    when the x axis holds no dates."""
    import matplotlib.dates as mdates

    if not isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter):
        return False
    date_axis(ax, most=most)
    return True


def date_number(when: object) -> float:
    """A time as matplotlib's dates axis places it (for patches, which take numbers)."""
    import matplotlib.dates as mdates

    return float(mdates.date2num(when))
