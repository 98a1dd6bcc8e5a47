"""Where a chart's spike labels go: inside the plot, clear of every line drawn.

A label beside its spike, below the peak, was crossed by the spike's own falling line
("425 (425.0x usual)" struck through); a long name ran past the plot's edge over the axis
title. Each label tries places around its spike, nearest first, and takes the first one
inside the plot's frame that no line, mark or earlier label touches.
"""

from __future__ import annotations

from itertools import product
from typing import Any

import numpy as np

#: Offsets from the spike tried, in points: beside it at its height, then lower; then
#: further out. The label's near side faces the spike.
ACROSS = (8, 16, 32, 64, 128)
DOWN = (0, -12, -30, -60, -100)


def place(drawn: Any, ax: Any, *, drawn_already: bool = False) -> None:
    """Move each annotation of ``ax`` to its first place clear of lines and labels, inside
    the plot; where none is, the place crossing the fewest lines inside it.
    ``drawn_already``: the figure is laid out as it stands (no draw needed to measure)."""
    from matplotlib.text import Annotation

    if not drawn_already:
        drawn.draw_without_rendering()
    frame = ax.get_window_extent()
    room = 3 * drawn.dpi / 72  # 3 points from the frame
    paths = [_path(line) for line in ax.get_lines() if line.get_visible()]
    taken: list[Any] = []
    for label in [t for t in ax.texts if isinstance(t, Annotation)]:
        best, fewest = None, None
        for down, across, side in product(DOWN, ACROSS, (1, -1)):
            label.set_horizontalalignment("left" if side > 0 else "right")
            label.xyann = (side * across, down)
            box = label.get_window_extent()
            if not _inside(box, frame, room):
                continue
            hits = sum(_touches(box, path) for path in paths)
            hits += sum(bool(box.overlaps(other)) for other in taken)
            if fewest is None or hits < fewest:
                best, fewest = (side, across, down), hits
            if hits == 0:
                break
        if best is not None and fewest == 0:
            side, across, down = best
            label.set_horizontalalignment("left" if side > 0 else "right")
            label.xyann = (side * across, down)
        else:  # no clear place beside it: over the peak, the plot made taller for it
            _above(drawn, ax, label, room)
        taken.append(label.get_window_extent())


def _above(drawn: Any, ax: Any, label: Any, room: float) -> None:
    """``label`` centred over its spike, with the y axis raised until it fits under the
    frame's top (a phone's narrow plot has no room beside a spike in its middle)."""
    label.set_horizontalalignment("center")
    label.set_verticalalignment("bottom")
    label.xyann = (0, 6)
    drawn.draw_without_rendering()
    frame, box = ax.get_window_extent(), label.get_window_extent()
    low, high = ax.get_ylim()
    peak = float(label.xy[1])
    # The peak's height in the frame that leaves the label's height and a margin above it.
    share = 1 - (box.height + 6 * drawn.dpi / 72 + room) / frame.height
    if share > 0.2 and (peak - low) / (high - low) > share:
        ax.set_ylim(low, low + (peak - low) / share)
    shift = max(frame.x0 + room - box.x0, 0.0) - max(box.x1 + room - frame.x1, 0.0)
    label.xyann = (shift * 72 / drawn.dpi, 6)


def _path(line: Any) -> np.ndarray:
    """A line's points as drawn, in display pixels."""
    return np.asarray(line.get_transform().transform(np.asarray(line.get_xydata(), float)))


def _inside(box: Any, frame: Any, room: float) -> bool:
    return bool(
        box.x0 >= frame.x0 + room
        and box.x1 <= frame.x1 - room
        and box.y0 >= frame.y0 + room
        and box.y1 <= frame.y1 - room
    )


def _touches(box: Any, points: np.ndarray) -> bool:
    """Whether the polyline ``points`` (or the dot, when one point) meets ``box``, with a
    few pixels' margin for the line's width and a mark's radius."""
    from matplotlib.path import Path
    from matplotlib.transforms import Bbox

    grown = Bbox.from_extents(box.x0 - 6, box.y0 - 6, box.x1 + 6, box.y1 + 6)
    points = points[np.isfinite(points).all(axis=1)]
    if len(points) == 0:
        return False
    if len(points) == 1:
        return bool(grown.contains(*points[0]))
    return bool(Path(points).intersects_bbox(grown, filled=False))
