"""Timing for the benchmarks: one run, and the best of several taking turns."""

from __future__ import annotations

import sys
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


def uncompiled() -> str | None:
    """A warning where a fresh process compiles the libraries it imports from source:
    installed without byte-compiling (uv's default) on a machine that writes no bytecode
    (``PYTHONDONTWRITEBYTECODE``), each start of pandas and matplotlib costs seconds that
    a user's ``pip install`` (which compiles) never pays; else None."""
    import importlib.util
    import os

    import matplotlib
    import pandas

    missing = [
        module.__name__
        for module in (pandas, matplotlib)
        if not os.path.exists(importlib.util.cache_from_source(str(module.__file__)))
    ]
    if not missing:
        return None
    return (
        f"warning: {', '.join(missing)} not byte-compiled here "
        f"({'no bytecode is written, ' if sys.dont_write_bytecode else ''}every fresh process "
        "compiles them): figures of fresh processes are slower than a pip install's; "
        "python -m compileall the environment's site-packages first"
    )
