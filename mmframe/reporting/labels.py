"""Where a chart's spike labels go: inside the plot, clear of every line drawn and of
each other, as near their spikes as that allows.

A label beside its spike, below the peak, was crossed by the spike's own falling line
("425 (425.0x usual)" struck through); a long name ran past the plot's edge over the axis
title; two adjacent days' labels were drawn over each other, and others floated far from
their dots with nothing joining them. Each label tries places around its spike (beside
it, above, below), takes the nearest inside the plot's frame that no line, mark or
earlier label touches, and, placed away from its dot, is joined to it by a thin line.
"""

from __future__ import annotations

from itertools import product
from typing import Any

import numpy as np

#: Offsets from the spike tried beside it, in points (the label's near side facing the
#: spike): how far across, and how far its top is above (+) or below (-) the spike.
ACROSS = (8, 16, 32, 56, 90)
DOWN = (8, 0, -12, -30, -60)
#: Offsets tried over and under it: how far up (its bottom) or down (its top), and across.
UP = (6, 20, 40, 64)
SIDEWAYS = (0, 24, 48, 80)
#: A line crossing a label weighs as much as this many points of distance from its spike.
CROSSING = 60.0
#: A label further than this from its spike (points) is joined to it by a line.
NEAR = 10.0
#: The line joining a label to its spike.
LEADER: dict[str, Any] = {
    "arrowstyle": "-",
    "color": "0.35",
    "linewidth": 0.7,
    "shrinkA": 1,
    "shrinkB": 4,
}

#: A place: horizontal and vertical alignment, and the offset in points.
Place = tuple[str, str, int, int]


def _places() -> list[Place]:
    """Every place tried around a spike."""
    beside = [
        ("left" if side > 0 else "right", "top", side * across, down)
        for down, across, side in product(DOWN, ACROSS, (1, -1))
    ]
    over = [
        (align, "bottom", sign * dx, up)
        for up, dx in product(UP, SIDEWAYS)
        for align, sign in ((("center", 1),) if dx == 0 else (("left", 1), ("right", -1)))
    ]
    under = [
        (align, "top", sign * dx, -up - 6)
        for up, dx in product(UP, SIDEWAYS)
        for align, sign in ((("center", 1),) if dx == 0 else (("left", 1), ("right", -1)))
    ]
    return beside + over + under


def place(drawn: Any, ax: Any, *, drawn_already: bool = False) -> None:
    """Move each annotation of ``ax`` to the nearest place clear of lines and of the other
    labels, inside the plot (where none is clear of lines, the one crossing the fewest);
    one placed away from its spike is joined to it by a line. ``drawn_already``: the
    figure is laid out as it stands (no draw needed to measure)."""
    from matplotlib.text import Annotation

    if not drawn_already:
        drawn.draw_without_rendering()
    labels = [t for t in ax.texts if isinstance(t, Annotation)]
    taken: list[Any] = []
    for label in labels:
        chosen = _nearest_clear(drawn, ax, label, taken)
        for rows in (1, 2):  # no room: room over the peaks, a label's height, then two
            if chosen is not None or not taken or not _headroom(drawn, ax, label, rows):
                break
            taken = [_box(t) for t in labels[: len(taken)]]  # the axis moved them
            chosen = _nearest_clear(drawn, ax, label, taken)
        if chosen is None:  # no room beside any: over the peak, the plot made taller for it
            _above(drawn, ax, label, 3 * drawn.dpi / 72)
        taken.append(_box(label))
    points = [_point(ax, label) for label in labels]
    for label, point in zip(labels, points, strict=True):
        _join(drawn, label, point, [p for p in points if p != point])


def _nearest_clear(drawn: Any, ax: Any, label: Any, taken: list[Any]) -> Place | None:
    """Put ``label`` at its best place: inside the frame and clear of ``taken`` labels,
    then crossing the fewest lines, then nearest its spike; None (left as it was) when no
    place is inside the frame and clear of the other labels."""
    frame = ax.get_window_extent()
    room = 3 * drawn.dpi / 72  # 3 points from the frame
    gap = 2 * drawn.dpi / 72  # 2 points between two labels
    paths = [_path(line) for line in ax.get_lines() if line.get_visible()]
    point = _point(ax, label)
    cost = CROSSING * drawn.dpi / 72  # a line through the text weighs as this far away
    best, rank = None, None
    for spot in _places():
        _put(label, spot)
        box = _box(label)
        if not _inside(box, frame, room) or not all(_apart(box, o, gap) for o in taken):
            continue
        if any(_crosses(_leader(box, point), other) for other in taken):
            continue  # its joining line would run through another label
        here = sum(_touches(box, path) for path in paths) * cost + _distance(box, point)
        if rank is None or here < rank:
            best, rank = spot, here
    if best is not None:
        _put(label, best)
    return best


def _put(label: Any, spot: Place) -> None:
    align, vertical, dx, dy = spot
    label.set_horizontalalignment(align)
    label.set_verticalalignment(vertical)
    label.xyann = (dx, dy)


def _box(label: Any) -> Any:
    """The label's text as drawn, in display pixels (its joining line left out)."""
    from matplotlib.text import Text

    # The charts draw no subfigures, so the label's figure is the root one (``root=True``
    # is matplotlib 3.10's, and 3.8 is the oldest declared).
    label.update_positions(label.get_figure()._get_renderer())
    return Text.get_window_extent(label)


def _point(ax: Any, label: Any) -> tuple[float, float]:
    """The spike a label is about, in display pixels."""
    x, y = label.xy
    shown = ax.transData.transform((ax.convert_xunits(x), ax.convert_yunits(y)))
    return float(shown[0]), float(shown[1])


def _distance(box: Any, point: tuple[float, float]) -> float:
    """How far ``point`` is from ``box``, in display pixels (0 inside it)."""
    x, y = point
    return float(np.hypot(max(box.x0 - x, 0.0, x - box.x1), max(box.y0 - y, 0.0, y - box.y1)))


def _leader(box: Any, point: tuple[float, float]) -> np.ndarray:
    """The line joining a label's text (from its middle) to its spike, in pixels."""
    return np.array([[(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2], point])


def _crosses(segment: np.ndarray, box: Any) -> bool:
    from matplotlib.path import Path

    return bool(Path(segment).intersects_bbox(box, filled=True))


def _apart(box: Any, other: Any, gap: float) -> bool:
    """Whether two boxes stand at least ``gap`` apart."""
    return bool(
        box.x1 + gap <= other.x0
        or other.x1 + gap <= box.x0
        or box.y1 + gap <= other.y0
        or other.y1 + gap <= box.y0
    )


def _join(
    drawn: Any, label: Any, point: tuple[float, float], others: list[tuple[float, float]]
) -> None:
    """A thin line from ``label`` to its spike (``point``) when it stands away from it, or
    when another spike's dot (``others``) is as near its text: which dot it tells must not
    be guessed (none when it is beside its own alone: a line would only cross its text)."""
    from matplotlib.patches import FancyArrowPatch

    box = _box(label)
    near = _distance(box, point)
    far = near * 72 / drawn.dpi > NEAR or any(_distance(box, p) <= near + 4 for p in others)
    label.arrowprops = dict(LEADER) if far else None
    label.arrow_patch = FancyArrowPatch((0, 0), (1, 1), **LEADER) if far else None
    # From the middle of the text's side nearest the spike: what matplotlib sets when an
    # annotation is made with a line (it is made without one, and most need none).
    label._arrow_relpos = (0.5, 0.5)


def _headroom(drawn: Any, ax: Any, label: Any, rows: int) -> bool:
    """Raise the y axis so that ``rows`` labels' height stands free over the highest line
    (the plot keeps at least a third of its height for the data); False when it cannot."""
    frame = ax.get_window_extent()
    high = max((float(np.nanmax(np.asarray(line.get_ydata(), float))) for line in
                ax.get_lines() if len(line.get_ydata())), default=None)  # fmt: skip
    if high is None:
        return False
    need = rows * (_box(label).height + 12 * drawn.dpi / 72)
    share = 1 - need / frame.height
    low, top = ax.get_ylim()
    if share < 1 / 3 or (high - low) / (top - low) <= share:
        return False
    ax.set_ylim(low, low + (high - low) / share)
    drawn.draw_without_rendering()
    return True


def _above(drawn: Any, ax: Any, label: Any, room: float) -> None:
    """``label`` centred over its spike, with the y axis raised until it fits under the
    frame's top (a phone's narrow plot has no room beside a spike in its middle)."""
    label.set_horizontalalignment("center")
    label.set_verticalalignment("bottom")
    label.xyann = (0, 6)
    drawn.draw_without_rendering()
    frame, box = ax.get_window_extent(), _box(label)
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
