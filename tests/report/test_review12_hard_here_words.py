"""The twelfth review, R2: "21 hard-bounced here before, with no reason given that passes"
was said of rows whose only hard bounce was the one that suppressed them: the words say
"before" of no bounce, and name the suppressing one as a possibility."""

from __future__ import annotations

import pandas as pd

from mmframe.reporting.review_words import held_back


def test_a_hard_bounce_here_is_not_said_to_be_before():
    review = pd.DataFrame({"cause": ["hardbounced"] * 21, "verdict": "review"})
    said = " ".join(held_back(review))
    assert "before" not in said, said
    assert "21 hard-bounced here" in said and "the bounce that suppressed them" in said, said
