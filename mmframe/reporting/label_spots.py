"""Every place a spike's label may take near its spike, ranked at once.

The places are a grid over the plot (a few thousand on a phone's), so each rule is one
array operation over all of them, not a loop: a label's box against the other labels'
boxes, against every line drawn, and its joining line against the other labels.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: A line crossing a label weighs as much as this many points of distance from its spike;
#: another label's joining line through it (or its own through another label), twice that.
CROSSING = 60.0
#: The farthest a label's text stands from its spike, in points (joined to it by a line):
#: further off, it reads as no spike's.
FARTHEST = 88.0
#: The grid's step, in points.
STEP = 4.0


def best_spot(
    frame: Any,
    size: tuple[float, float],
    point: tuple[float, float],
    pt: float,
    *,
    taken: list[tuple[Any, np.ndarray]],
    paths: list[np.ndarray],
) -> tuple[float, float, int] | None:
    """The lower left corner of the best place for a label of ``size`` (pixels) inside
    ``frame`` (3 points in), within :data:`FARTHEST` of its spike at ``point``, 2 points
    clear of each ``taken`` label (its box and joining line) and of every mark (``paths``
    of one point); ranked by the lines its text meets (the other ``paths``, with a few
    pixels' margin) and joining lines crossed, then by its distance; with how many it
    meets. None when no place is clear. ``pt``: pixels a point."""
    x, y, near = _grid(frame, size, point, pt)
    width, height = size
    low, high = np.stack([x, y], axis=1), np.stack([x + width, y + height], axis=1)
    clear = near <= FARTHEST * pt
    middle = (low + high) / 2
    crossed = np.zeros(len(x), dtype=int)
    for box, leader in taken:
        gap = 2 * pt
        clear &= (
            (high[:, 0] + gap <= box.x0) | (box.x1 + gap <= low[:, 0])
            | (high[:, 1] + gap <= box.y0) | (box.y1 + gap <= low[:, 1])
        )  # fmt: skip
        mine = meets(
            middle, np.array(point), np.array([box.x0, box.y0]), np.array([box.x1, box.y1])
        )
        crossed += mine | meets(leader[0], leader[1], low, high)
    dots = [path for path in paths if len(path) == 1]  # a mark: never under a label
    for dot in dots:
        clear &= _touches(low, high, dot) == 0
    lines = sum((_touches(low, high, path) for path in paths if len(path) > 1),
                np.zeros(len(x), dtype=int))  # fmt: skip
    met = lines + 2 * crossed
    rank = np.where(clear, met * CROSSING * pt + near, np.inf)
    if not len(rank) or not np.isfinite(rank.min()):
        return None
    best = int(np.argmin(rank))  # the first of the best: the nearest
    return float(x[best]), float(y[best]), int(met[best])


def _grid(
    frame: Any, size: tuple[float, float], point: tuple[float, float], pt: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The lower left corners a box of ``size`` may take inside ``frame`` (3 points in) on
    a grid of :data:`STEP` points round ``point``, nearest first, and how far each is."""
    far, room, (width, height) = FARTHEST * pt, 3 * pt, size
    xs = np.arange(max(frame.x0 + room, point[0] - far - width),
                   min(frame.x1 - room - width, point[0] + far) + 1e-6, STEP * pt)  # fmt: skip
    ys = np.arange(max(frame.y0 + room, point[1] - far - height),
                   min(frame.y1 - room - height, point[1] + far) + 1e-6, STEP * pt)  # fmt: skip
    x, y = (a.ravel() for a in np.meshgrid(xs, ys))
    dx = np.maximum(np.maximum(x - point[0], point[0] - x - width), 0.0)
    dy = np.maximum(np.maximum(y - point[1], point[1] - y - height), 0.0)
    near = np.hypot(dx, dy)
    order = np.argsort(near, kind="stable")
    return x[order], y[order], near[order]


def _touches(low: np.ndarray, high: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Whether the polyline ``points`` (or the dot, when one point) meets each box, grown
    6 pixels for the line's width and a mark's radius (as 0 or 1)."""
    points = points[np.isfinite(points).all(axis=1)]
    low, high = low - 6, high + 6
    if len(points) == 0:
        return np.zeros(len(low), dtype=int)
    if len(points) == 1:
        return np.asarray(((points[0] >= low) & (points[0] <= high)).all(axis=1), dtype=int)
    # Every segment against every box at once: segments down, boxes across.
    met = meets(points[:-1, None, :], points[1:, None, :], low[None], high[None])
    return np.asarray(met.any(axis=0), dtype=int)


def meets(start: np.ndarray, end: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Whether each segment ``start``-``end`` meets each box ``low``-``high`` (corners; the
    arrays broadcast, the last axis x and y): Liang and Barsky's clipping of the segment."""
    start, end = np.broadcast_arrays(np.asarray(start, float), np.asarray(end, float))
    low, high = np.asarray(low, float), np.asarray(high, float)
    step = end - start
    first = np.zeros(np.broadcast_shapes(start.shape, low.shape)[:-1])
    last = np.ones_like(first)
    for axis in (0, 1):
        d, s = step[..., axis], start[..., axis]
        lo, hi = low[..., axis], high[..., axis]
        flat = d == 0
        with np.errstate(divide="ignore", invalid="ignore"):
            t0, t1 = (lo - s) / d, (hi - s) / d
        inside = (s >= lo) & (s <= hi)
        enter = np.where(flat, np.where(inside, -np.inf, np.inf), np.minimum(t0, t1))
        leave = np.where(flat, np.where(inside, np.inf, -np.inf), np.maximum(t0, t1))
        first, last = np.maximum(first, enter), np.minimum(last, leave)
    return np.asarray(first <= last)
