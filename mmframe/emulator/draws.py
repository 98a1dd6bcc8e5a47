"""One weighted draw, as ``random.choices(population, cum_weights=cum)[0]`` makes it.

The same draw from the same random stream (so a seed value still gives the same data),
without ``choices``' list and checks: the demo seed draws 555,000 times.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, population: Sequence[T], cum: Sequence[float]) -> T:
    """``population``'s item drawn by the cumulative weights ``cum``, exactly as
    ``rng.choices(population, cum_weights=cum)[0]`` draws it."""
    return population[bisect(cum, rng.random() * (cum[-1] + 0.0), 0, len(cum) - 1)]
