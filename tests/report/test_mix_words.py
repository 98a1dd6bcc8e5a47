"""How a mix of causes is counted in words (issue 33, fourth review, A8: "3 networkerror and
3 of 1 other kinds"): one cause left over is named, several are counted."""

from __future__ import annotations

import pandas as pd

from mmframe.reporting.cause_words import counted, words
from mmframe.reporting.finding import and_

KINDS = ("volume", "dead", "ip", "content", "greylisting", "mailboxfull")


def test_one_cause_left_over_is_named_and_several_are_counted_in_good_grammar():
    five = pd.Series([k for k, n in zip(KINDS, (9, 7, 5, 4, 3), strict=False) for _ in range(n)])
    said = [f"{n} {words(k, n)}" for k, n in zip(KINDS, (9, 7, 5, 4, 3), strict=False)]
    assert and_(counted(five, limit=4)) == and_(said)
    six = pd.Series(list(five) + ["mailboxfull"] * 2)
    assert and_(counted(six, limit=4)) == and_([*said[:4], "5 for 2 other causes"])
    two = pd.Series(["dead"] * 2 + ["volume"])
    assert counted(two) == [f"2 {words('dead', 2)}", f"1 {words('volume', 1)}"]
