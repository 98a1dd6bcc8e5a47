"""How a mix of kinds is counted in words (issue 33, fourth review, A8: "3 networkerror and
3 of 1 other kinds")."""

from __future__ import annotations

import pandas as pd

from mmframe.reporting.finding import mix


def test_one_kind_left_over_is_named_and_several_are_counted_in_good_grammar():
    five = pd.Series(["a"] * 9 + ["b"] * 7 + ["c"] * 5 + ["d"] * 4 + ["e"] * 3)
    assert mix(five) == "9 a, 7 b, 5 c, 4 d and 3 e"
    six = pd.Series(list(five) + ["f"] * 2)
    assert mix(six) == "9 a, 7 b, 5 c, 4 d and 5 of 2 other kinds"
    assert mix(pd.Series(["a"] * 2 + ["b"])) == "2 a and 1 b"
