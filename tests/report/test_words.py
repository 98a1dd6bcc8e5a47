"""The words of the rate findings: each number says what it is, and a trend compares rates."""

from __future__ import annotations

import pandas as pd

from mmframe.reporting import render
from mmframe.reporting.rate_findings import complaint_finding, range_totals


def _periods(rows: list[tuple[str, int, int, bool]], group: str = "hotmail.com") -> pd.DataFrame:
    """Complaint-rate periods of one domain: (start, delivered, complaints, is_complete)."""
    starts = pd.to_datetime([r[0] for r in rows], utc=True)
    frame = pd.DataFrame(
        {
            "account": "steady@corp.example",
            "by": "domain",
            "group": group,
            "start": starts,
            "end": starts + pd.Timedelta(days=7),
            "sent": [r[1] for r in rows],
            "delivered": [r[1] for r in rows],
            "complaints": [r[2] for r in rows],
            "hard_bounces": 0,
            "soft_bounces": 0,
            "is_complete": [r[3] for r in rows],
            "span": "period",
        }
    )
    frame["complaint_rate"] = frame["complaints"] / frame["delivered"]
    frame["bounce_rate"] = 0.0
    return frame


def _said(periods: pd.DataFrame) -> str:
    found = complaint_finding("steady@corp.example", periods, pd.DataFrame(), scope=None)
    return " ".join(found.said)


def test_the_worst_rate_and_the_totals_each_say_what_they_are() -> None:
    said = _said(_periods([("2026-09-07", 1000, 20, True), ("2026-09-14", 1000, 5, True)]))
    # 2.00% is the week of 09-07 alone; 25 over 2,000 is 1.25%: never one beside the other.
    assert "up to 2.00% (25 complaints over 2,000 delivered)" not in said
    assert "the worst 2.00% in the week of 2026-09-07" in said
    assert "over those periods: 25 complaints over 2,000 delivered (1.25%)" in said


def test_a_trend_compares_rates_and_names_a_partial_period() -> None:
    # A flat 5% rate: 12 complaints in a whole week, 6 in a partial one. Not "fell 50%".
    said = _said(_periods([("2026-09-21", 240, 12, True), ("2026-09-28", 120, 6, False)]))
    assert "fell" not in said and "rose" not in said
    assert "held level" in said and "partial" in said


def test_a_rate_that_rose_is_told_as_a_rate() -> None:
    said = _said(_periods([("2026-09-21", 1000, 10, True), ("2026-09-28", 1000, 30, True)]))
    assert "complaint rate at domain" in said and "rose" in said
    assert "1.00%" in said and "3.00%" in said


def test_the_range_as_a_whole_names_its_group() -> None:
    weeks = _periods([("2026-09-07", 1000, 4, True), ("2026-09-14", 1000, 3, True)])
    whole = range_totals(weeks.drop(columns=["span", "complaint_rate", "bounce_rate"]))
    said = _said(whole)
    assert (
        said.startswith("Complaint rate") and "At domain hotmail.com: the range as a whole" in said
    )
    # Its tally once: the trend's sentence said it again (thirteenth review, R5).
    assert said.count("7 complaints over 2,000 delivered (0.35%)") == 1, said


def test_the_share_of_complaints_says_its_basis() -> None:
    periods = _periods([("2026-09-07", 1000, 20, True)])
    complaints = pd.DataFrame(
        {"sender": ["news@corp.example"] * 20, "x_campaign": ["deals"] * 18 + ["other"] * 2}
    )
    said = " ".join(complaint_finding("steady@corp.example", periods, complaints, scope=None).said)
    # The share's basis is said: which complaints, where, when (not the periods' totals).
    # The last day included named as such (eighth review, 15).
    basis = (
        "Of the 20 complaints at domain hotmail.com from 2026-09-07 to 2026-09-13 inclusive, 20 "
        "(100%)"
    )
    assert (
        basis in said and "Of those 20 complaints, 18 (90%) were about mail with X-Campaign" in said
    )


def test_one_finding_is_not_told_as_a_list_largest_first() -> None:
    template = render._environment().get_template("report.html.j2")
    source = template.environment.loader.get_source(template.environment, "report.html.j2")[0]
    # The summary's lead-in, rendered for one finding and for two.
    lead = source.split("{% if findings %}\n")[1].split("\n")[0]
    one = template.environment.from_string(lead).render(findings=[1])
    two = template.environment.from_string(lead).render(findings=[1, 2])
    assert "largest first" not in one and "1 finding" in one
    assert "2 findings, largest first" in two
