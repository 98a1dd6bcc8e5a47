"""The thirteenth review, R3: two accounts at the same complaint rate at yahoo.com in May
(1.98%, 5 over 253 each) were drawn one over the other: the chart showed one account over
the limit where the findings name two. The note under the chart names a line hidden under
another, computed from the rates drawn (never an offset: that would draw values nobody had)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mmframe.reporting import Evidence
from mmframe.reporting.chart_notes import hidden_under
from mmframe.reporting.plans import chart_notes
from tests.report.review13_history import report

pytestmark = [pytest.mark.slow]

HIDDEN = (
    "Drawn one over the other, their rates equal: news@acme.io yahoo.com under "
    "promo@acme.io yahoo.com (1.98% in May)."
)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Evidence, Path]:
    return report(tmp_path_factory.mktemp("review13"))


def test_the_complaint_chart_names_the_line_hidden_under_another(made) -> None:
    evidence, path = made
    note = chart_notes(evidence).get("complaint_rates", "")
    assert HIDDEN in note, note
    assert HIDDEN in path.read_text(encoding="utf-8")


def _rates(rows: list[tuple[str, str, float, int]]) -> pd.DataFrame:
    """``(group, month, rate, complaints)`` rows, 253 delivered each."""
    out = []
    for group, month, rate, complaints in rows:
        start = pd.Timestamp(f"2026-{month}-01", tz="UTC")
        out.append(
            {"series": group, "start": start, "end": start + pd.DateOffset(months=1),
             "sent": 260, "delivered": 253, "complaints": complaints,
             "hard_bounces": 7, "soft_bounces": 0, "bounce_rate": rate,
             "complaint_rate": rate, "above_limit": rate >= 0.003, "is_complete": True}
        )  # fmt: skip
    return pd.DataFrame(out)


def test_lines_equal_only_under_the_limit_are_not_named() -> None:
    rates = _rates([("a", "04", 0.0, 0), ("b", "04", 0.0, 0), ("a", "05", 0.02, 5),
                    ("b", "05", 0.01, 3)])  # fmt: skip
    assert hidden_under(rates, by="series") is None


def test_every_hidden_line_and_period_is_named() -> None:
    rates = _rates([("a", "04", 0.004, 5), ("b", "04", 0.004, 5), ("c", "04", 0.004, 5),
                    ("a", "05", 0.02, 5), ("b", "05", 0.02, 5), ("c", "05", 0.01, 3)])  # fmt: skip
    said = hidden_under(rates, by="series")
    assert said == (
        "Drawn one over the other, their rates equal: a under c (0.40% in April) and under "
        "b (2.00% in May); b under c (0.40% in April)."
    ), said


def test_the_bounce_chart_names_them_too() -> None:
    rates = _rates([("x@acme.io", "05", 0.05, 13), ("y@acme.io", "05", 0.05, 13)])
    said = hidden_under(rates, by="series", metric="bounce_rate")
    assert said == (
        "Drawn one over the other, their rates equal: x@acme.io under y@acme.io (5.00% in May)."
    ), said
