"""A rate that rounds onto its line is shown with enough decimals to tell over from under
(issue 33, ninth review, F10: "2.00% under the 2% line" and "0.10% over the 0.1% aim")."""

from __future__ import annotations

import pandas as pd
import pytest

from mmframe.reporting.headline import _rate
from mmframe.reporting.numbers import rate_beside


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        pytest.param(0.01996, "1.996%", id="just-under-the-bounce-line"),
        pytest.param(0.02003, "2.003%", id="just-over-the-bounce-line"),
        pytest.param(0.02, "2.00%", id="on-the-line"),
        pytest.param(0.001028, "0.103%", id="just-over-the-aim"),
        pytest.param(0.0029996, "0.29996%", id="a-hair-under-the-limit"),
        pytest.param(0.0240, "2.40%", id="clear-of-every-line"),
    ],
)
def test_a_rate_beside_its_line_shows_which_side(rate, shown):
    assert rate_beside(rate, (0.02, 0.001, 0.003)) == shown


def test_the_headline_shows_the_side_it_names():
    row = pd.Series({"sent": 7912, "hard_bounces": 150, "soft_bounces": 8, "delivered": 7754,
                     "complaints": 8})  # fmt: skip
    bounce = _rate("bounce rate", row, None)
    assert (bounce.value, bounce.standing) == ("1.997%", "under the 2% line"), bounce
    complaint = _rate("complaint rate", row, None)
    assert complaint.value == "0.103%", complaint
    assert complaint.standing.startswith("over the 0.1% aim"), complaint
