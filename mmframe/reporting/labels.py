"""Where a chart's spike labels go: inside the plot, clear of every line drawn and of
each other, as near their spikes as that allows.

A label beside its spike, below the peak, was crossed by the spike's own falling line
("425 (425.0x usual)" struck through); a long name ran past the plot's edge over the axis
title; two adjacent days' labels were drawn over each other, and others floated far from
their dots with nothing joining them. Each label tries places around its spike (beside
it, above, below), takes the nearest inside the plot's frame that no line, mark or
earlier label touches, and, placed away from its dot, is joined to it by a thin line.

Where one finds none (five labels on a phone's plot, which holds one across), every label
is placed anew on a grid of places near its spike (:mod:`.label_spots`), the peaks given
room over them and the figure made taller until each has one clear of the others; a label
that must cross a line stands on a white ground. Where none has a place for every label
even so, the labels become numbers and their words a key under the chart
(:mod:`.label_key`).
"""

from __future__ import annotations

from itertools import product
from typing import Any

import numpy as np

from ..spike_marks import COMPACT
from .label_key import key_out
from .label_spots import CROSSING, FARTHEST, best_spot

#: Offsets from the spike tried beside it, in points (the label's near side facing the
#: spike): how far across, and how far its top is above (+) or below (-) the spike.
ACROSS = (8, 16, 32, 56, 90)
DOWN = (8, 0, -12, -30, -60)
#: Offsets tried over and under it: how far up (its bottom) or down (its top), and across.
UP = (6, 20, 40, 64)
SIDEWAYS = (0, 24, 48, 80)
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
    limits, height = ax.get_ylim(), drawn.get_figheight()
    font = max((float(label.get_fontsize()) for label in labels), default=0.0)
    placed = _beside_each(drawn, ax, labels)
    if drawn.get_figwidth() < COMPACT:
        # A phone's labels beside their own spikes and clear of every line, or numbers: one
        # over lines on a white ground washed the spikes out, one far off with a line to
        # its dot crossed the others' (twenty-fourth review, I1, I2, C1).
        placed = placed and _clean(drawn, ax, labels)
    elif not placed:
        placed = _anywhere(drawn, ax, labels, limits)
    if not placed:  # numbers at the spikes, their words in a key under the chart
        ax.set_ylim(*limits)
        key_out(drawn, labels, height, font)
        if not _beside_each(drawn, ax, labels):
            _anywhere(drawn, ax, labels, ax.get_ylim())
    for label in labels:  # one over a line stands on white: read, not struck through
        if label.get_bbox_patch() is None and _crossing(ax, _box(label)):
            label.set_bbox(dict(GROUND))
    points = [_point(ax, label) for label in labels]
    for label, point in zip(labels, points, strict=True):
        _join(drawn, label, point, [p for p in points if p != point])


def _clean(drawn: Any, ax: Any, labels: list[Any]) -> bool:
    """Whether every label stands clear of every line, within :data:`NEAR` of its spike,
    its own dot the nearest to it (no joining line needed: which spike it tells is seen)."""
    points = [_point(ax, label) for label in labels]
    for label, point in zip(labels, points, strict=True):
        box = _box(label)
        near = _distance(box, point)
        if _crossing(ax, box) or near * 72 / drawn.dpi > NEAR:
            return False
        if any(_distance(box, other) <= near for other in points if other != point):
            return False
    return True


def _crossing(ax: Any, box: Any) -> bool:
    """Whether a line drawn (or a dot) meets ``box``."""
    return any(_touches(box, _path(line)) for line in ax.get_lines() if line.get_visible())


def _beside_each(drawn: Any, ax: Any, labels: list[Any]) -> bool:
    """Each label at its nearest clear place around its spike, in turn, the y axis raised
    over the peaks (a label's height, then two) for one with none; False when one still
    has none (the labels before it placed, it and those after it not)."""
    taken: list[Any] = []
    for label in labels:
        chosen = _nearest_clear(drawn, ax, label, taken)
        for rows in (1, 2):  # no room: room over the peaks, a label's height, then two
            if chosen is not None or not taken or not _headroom(drawn, ax, label, rows):
                break
            taken = [_box(t) for t in labels[: len(taken)]]  # the axis moved them
            chosen = _nearest_clear(drawn, ax, label, taken)
        if chosen is None:
            return False
        taken.append(_box(label))
    return True


#: Inches a figure grows by, in turn, when its labels find no place clear of each other: a
#: phone's narrow plot holds one label across, so they stack (and its page scrolls).
GROW = (0.0, 1.2, 2.4)
#: The smallest a label's text shrinks to where it is wider than the plot, in points:
#: 12.5 CSS px at 100 CSS px an inch (a phone's text must be 12 or more).
LEAST_FONT = 9.0


def _anywhere(drawn: Any, ax: Any, labels: list[Any], limits: tuple[float, float]) -> bool:
    """Every label placed anew, in turn, anywhere clear of the others near its spike
    (:func:`_spot_near`), the y axis raised over the peaks by as many labels' height as it
    takes (the data keeping a third of the plot); where every way crosses lines, the way
    crossing the fewest; where none has a place for every label, the same in a taller
    figure. Five labels on adjacent days overprinted each other on a phone. False when no
    way has a place for every label."""
    height = drawn.get_figheight()
    for grow in GROW:
        ways = []
        for rows in range(len(labels) + 1):
            crossed = _try(drawn, ax, labels, limits, height + grow, rows)
            if crossed == 0:
                return True
            if crossed is not None:
                ways.append((crossed, rows))
        # A place for every label, crossing lines: a taller figure would not cross fewer.
        # The fewest again, else the next (a layout may move the plot a pixel between
        # draws, and a place a pixel from the frame's edge with it).
        for _crossed, rows in sorted(ways) * 2:
            if _try(drawn, ax, labels, limits, height + grow, rows) is not None:
                return True
    return False


def _try(
    drawn: Any, ax: Any, labels: list[Any], limits: tuple[float, float], height: float, rows: int
) -> int | None:
    """Place every label with the figure ``height`` inches tall and ``rows`` labels' height
    over the peaks: how many lines and joining lines their texts cross, None when one has
    no place (or the peaks cannot have that room)."""
    drawn.set_figheight(height)
    ax.set_ylim(*limits)
    drawn.draw_without_rendering()  # laid out anew: each try measures as drawn
    _narrow_enough(drawn, ax, labels)
    tallest = max(_box(label).height for label in labels)
    if rows and _lift(drawn, ax, rows * (tallest + 12 * drawn.dpi / 72)) == "cannot":
        return None
    placed: list[Any] = []
    crossed = 0
    for label in labels:
        lines = _spot_near(drawn, ax, label, placed)
        if lines is None:
            return None
        # Over lines it must cross, on a white ground: the text is read, not struck through.
        label.set_bbox(dict(GROUND) if lines else None)
        crossed += lines
        placed.append(label)
    return crossed


#: The ground of a label set over lines: white, the lines faint through it, a point round.
GROUND: dict[str, Any] = {"boxstyle": "square,pad=0.1", "facecolor": "white",
                          "edgecolor": "none", "alpha": 0.8}  # fmt: skip


def _narrow_enough(drawn: Any, ax: Any, labels: list[Any]) -> None:
    """A label wider than the plot (a long name's line over a phone's plot squeezed by its
    legend) in smaller text, down to :data:`LEAST_FONT`."""
    room = ax.get_window_extent().width - 8 * drawn.dpi / 72
    for label in labels:
        while _box(label).width > room and label.get_fontsize() > LEAST_FONT:
            label.set_fontsize(max(label.get_fontsize() - 0.5, LEAST_FONT))


def _spot_near(drawn: Any, ax: Any, label: Any, placed: list[Any]) -> int | None:
    """Put ``label`` at the best place within :data:`FARTHEST` of its spike, on a grid,
    clear of the ``placed`` labels (:func:`.label_spots.best_spot`): how many lines and
    joining lines it meets there, None (left as it was) when no place is clear."""
    taken = [(_box(other), _leader(_box(other), _point(ax, other))) for other in placed]
    _put(label, ("left", "bottom", 0, 0))
    box, point, pt = _box(label), _point(ax, label), drawn.dpi / 72
    paths = [_path(line) for line in ax.get_lines() if line.get_visible()]
    spot = best_spot(ax.get_window_extent(), (box.width, box.height), point, pt,
                     taken=taken, paths=paths)  # fmt: skip
    if spot is None:
        return None
    x0, y0, met = spot
    _put(label, ("left", "bottom", (x0 - box.x0) / pt, (y0 - box.y0) / pt))
    return met


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
        if _distance(box, point) > FARTHEST * drawn.dpi / 72:
            continue  # a label this far off reads as no spike's
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
    (the plot keeps at least a third of its height for the data); False when it cannot or
    need not."""
    return _lift(drawn, ax, rows * (_box(label).height + 12 * drawn.dpi / 72)) == "raised"


def _lift(drawn: Any, ax: Any, need: float) -> str:
    """Raise the y axis so that ``need`` pixels stand free over the highest line, the plot
    keeping at least a third of its height for the data, and lay the figure out anew:
    ``"raised"``; ``"enough"`` when they stand free already, ``"cannot"`` when they
    cannot."""
    frame = ax.get_window_extent()
    high = max((float(np.nanmax(np.asarray(line.get_ydata(), float))) for line in
                ax.get_lines() if len(line.get_ydata())), default=None)  # fmt: skip
    share = 1 - need / frame.height
    if high is None or share < 1 / 3:
        return "cannot"
    low, top = ax.get_ylim()
    if (high - low) / (top - low) <= share:
        return "enough"
    ax.set_ylim(low, low + (high - low) / share)
    drawn.draw_without_rendering()
    return "raised"


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
