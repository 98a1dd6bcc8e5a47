"""The twelfth review, R6: a bounce-rate finding on a key whose 84 bounces all said "user
unknown" and none was suppressed said "84 of the 84 called the mailbox dead ...: they stay
suppressed" (the page: "0 suppressions"), "of the 84 bounces read, most (84) ...", counted
the weeks over the line in a summary that did not say so, and "the other 1 are one line"."""

from __future__ import annotations

import pandas as pd

import mmframe as mm
from mmframe.reporting.bounce_advice import advice_parts, bounce_advice, most_said
from mmframe.reporting.chart_notes import drawn_by_name
from mmframe.reporting.rate_findings import _bounce_summary

DAY = pd.Timestamp("2026-05-04", tz="UTC")


def _dead(n: int) -> pd.DataFrame:
    raw = pd.DataFrame(
        {
            "email": [f"d{i}@gmail.com" for i in range(n)],
            "bounced_at": [DAY + pd.Timedelta(hours=i) for i in range(n)],
            "bounce_type": "hard",
            "message": "550 5.1.1 user unknown",
        }
    )
    return mm.triage(raw)


def _suppressed(emails: list[str]) -> pd.DataFrame:
    at = [DAY + pd.Timedelta(days=1)] * len(emails)
    return pd.DataFrame({"email": emails, "suppressed_at": pd.to_datetime(at, utc=True)})


def test_dead_mailboxes_none_suppressed_are_not_said_to_stay_suppressed():
    said = bounce_advice(_dead(4), suppressed=_suppressed([]))
    assert "stay suppressed" not in said, said
    assert "none of them is suppressed" in said, said


def test_dead_mailboxes_all_suppressed_stay_suppressed():
    said = bounce_advice(_dead(3), suppressed=_suppressed([f"d{i}@gmail.com" for i in range(3)]))
    assert "they stay suppressed" in said, said


def test_dead_mailboxes_some_suppressed_are_counted():
    said = bounce_advice(_dead(3), suppressed=_suppressed(["d0@gmail.com"]))
    assert "1 of them is suppressed" in said and "stay suppressed" not in said, said


def test_all_of_them_is_not_most():
    said = most_said(advice_parts(_dead(4)))
    assert said.startswith("of the 4 bounces read, all 4 called the mailbox dead"), said


def test_the_summary_counts_are_said_of_the_periods_over_the_line():
    rows = pd.DataFrame({"bounce_rate": [0.075, 0.06], "hard_bounces": [50, 34], "soft_bounces": 0})
    said = _bounce_summary("acct0", [("domain", "gmail.com", rows)])
    assert "(84 hard, 0 soft, in the periods over the line)" in said, said


def test_one_group_folded_is_one_line():
    rates = pd.DataFrame(
        {"domain": [f"d{i}.com" for i in range(9)], "sent": range(100, 109), "bounce_rate": 0.0}
    )
    said = drawn_by_name(rates, by="domain", metric="bounce_rate", top=8)
    assert said is not None and said.endswith('the other 1 is one line, "other".'), said
