"""Timing for the benchmarks: one run, and the best of several taking turns."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
ROUNDS = 3


def timed(load: Callable[[], T]) -> tuple[T, float]:
    """``load()`` and the seconds it took."""
    started = time.perf_counter()
    result = load()
    return result, time.perf_counter() - started


def best_of(*loads: Callable[[], T], rounds: int = ROUNDS) -> list[tuple[T, float]]:
    """Each load's fastest of ``rounds`` runs, the loads taking turns: a shared machine's
    noise slows a run down and never speeds one up, so the fastest is the fairest."""
    best: list[tuple[T, float]] = []
    for _round in range(rounds):
        runs = [timed(load) for load in loads]
        best = (
            runs
            if not best
            else [min(a, b, key=lambda r: r[1]) for a, b in zip(best, runs, strict=True)]
        )
    return best
