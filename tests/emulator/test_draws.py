"""The seed's weighted draw is ``random.choices``' own: the same items from the same
stream, so a seed value gives the same dataset as before it was made faster."""

from __future__ import annotations

import random
from itertools import accumulate

from hypothesis import given
from hypothesis import strategies as st

from mmframe.emulator.draws import pick


@given(
    weights=st.lists(st.floats(0.01, 100), min_size=1, max_size=40),
    seed=st.integers(0, 2**32),
)
def test_a_pick_is_the_draw_choices_makes(weights: list[float], seed: int) -> None:
    population = list(range(len(weights)))
    cum = list(accumulate(weights))
    ours, theirs = random.Random(seed), random.Random(seed)
    for _ in range(20):
        assert pick(ours, population, cum) == theirs.choices(population, cum_weights=cum)[0]
    assert ours.random() == theirs.random()  # the streams stay in step
