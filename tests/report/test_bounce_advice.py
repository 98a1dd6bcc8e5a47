"""What to do about bounces is read from what the servers said (issue 33, second review:
609 "550-5.7.26 ... unauthenticated" refusals at gmail.com were told "hard bounces stay
suppressed and say the list needs cleaning", and a storm's fix put back addresses refused
for authentication without saying to fix it first: they would bounce again)."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe.reporting.rate_findings import bounce_rate_finding
from mmframe.reporting.spike_findings import spike_finding

# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")

ACCOUNT = "alerts@corp.example"
UNAUTHENTICATED = (
    "550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and "
    "Gmail users, and has been blocked. The sender must authenticate with at least one of "
    "SPF or DKIM."
)
DEAD = "550-5.1.1 The email account that you tried to reach does not exist."


def _periods(hard: int, sent: int = 1000) -> pd.DataFrame:
    start = pd.Timestamp("2026-09-01", tz="UTC")
    frame = pd.DataFrame(
        {
            "account": ACCOUNT, "by": "domain", "group": "gmail.com", "start": [start],
            "end": [start + pd.Timedelta(days=30)], "sent": [sent], "delivered": [sent - hard],
            "complaints": [0], "hard_bounces": [hard], "soft_bounces": [0],
            "is_complete": [True], "span": "period",
        }
    )  # fmt: skip
    frame["bounce_rate"] = frame["hard_bounces"] / frame["sent"]
    frame["complaint_rate"] = 0.0
    return frame


def _bounces(texts: list[str]) -> pd.DataFrame:
    at = pd.Timestamp("2026-09-10T12:00:00", tz="UTC")
    frame = pd.DataFrame(
        {
            "account": ACCOUNT,
            "email": [f"u{i}@gmail.com" for i in range(len(texts))],
            "domain": "gmail.com",
            "bounced_at": [at + pd.Timedelta(minutes=i) for i in range(len(texts))],
            "message": texts,
        }
    )
    return mm.triage(frame)


def test_authentication_refusals_say_fix_authentication_not_clean_the_list() -> None:
    bounces = _bounces([UNAUTHENTICATED] * 60 + [DEAD] * 4)
    found = bounce_rate_finding(ACCOUNT, _periods(64), bounces)
    advice = found.advice.lower()
    assert "list needs cleaning" not in advice
    assert "authentication" in advice and "dkim" in advice
    assert "60 of the 64" in advice  # counted from the texts read
    assert "4 of the 64" in advice and "unknown or disabled" in advice


def test_dead_addresses_say_clean_the_list() -> None:
    found = bounce_rate_finding(ACCOUNT, _periods(50), _bounces([DEAD] * 50))
    assert "cleaning" in found.advice.lower() and "authentication" not in found.advice.lower()


def test_no_texts_read_says_so() -> None:
    found = bounce_rate_finding(ACCOUNT, _periods(50), _bounces([]))
    assert "no bounce text" in found.advice.lower()


def test_a_storm_fix_of_authentication_refusals_says_to_fix_it_first() -> None:
    day = pd.Timestamp("2026-09-10", tz="UTC")
    bounces = _bounces([UNAUTHENTICATED] * 60)
    rows = pd.DataFrame(
        {
            "account": ACCOUNT,
            "email": bounces["email"],
            "domain": "gmail.com",
            "suppressed_at": bounces["bounced_at"] + pd.Timedelta(seconds=1),
            "reason": "bounce",
        }
    )
    fix = mm.remediation_candidates(rows, bounces=bounces, storm_size=50)
    assert (fix["verdict"] == "reactivate").all()  # the addresses are not at fault
    spike = pd.Series({"group": ACCOUNT, "start": day, "count": 60, "baseline": 1.0, "ratio": 60.0})
    found = spike_finding(spike, fix, bounces, scope=[ACCOUNT])
    assert "authentication" in found.advice.lower() and "first" in found.advice.lower()


def test_one_kept_and_one_other_domain_are_told_in_the_singular() -> None:
    # Third review: "Keep the 1 others: 1 refused as unknown or disabled mailboxes" and "the
    # rest spread over 1 other domain"; "mailboxfull" counted among refusals that "say
    # nothing of the mailbox".
    day = pd.Timestamp("2026-09-10", tz="UTC")
    texts = ["452 4.2.2 The email account that you tried to reach is over quota."] * 59
    bounces = _bounces([*texts, DEAD])
    bounces.loc[59, ["email", "domain"]] = ["z@yahoo.com", "yahoo.com"]
    rows = pd.DataFrame(
        {
            "account": ACCOUNT, "email": bounces["email"], "domain": bounces["domain"],
            "suppressed_at": bounces["bounced_at"] + pd.Timedelta(seconds=1), "reason": "bounce",
        }
    )  # fmt: skip
    fix = mm.remediation_candidates(rows, bounces=bounces, storm_size=50)
    spike = pd.Series({"group": ACCOUNT, "start": day, "count": 60, "baseline": 1.0, "ratio": 60.0})
    found = spike_finding(spike, fix, bounces, scope=[ACCOUNT])
    said = " ".join([*found.said, found.advice])
    assert "1 others" not in said and "1 other domain" not in said, said
    # Issue 33, eighth review, 11: in the page's one vocabulary (the verdict line's words).
    assert "Keep the 1 other: 1 whose mailbox a server called dead" in said, said
    assert "the rest at one other domain, yahoo.com" in said, said
    assert "refusals that pass, or say nothing of the mailbox" in said, said


def test_a_storm_fix_of_block_list_and_content_refusals_says_what_to_fix_first() -> None:
    # Third review: Spamhaus blocks and spam-content refusals in a storm were put back with
    # no "fix first", unlike authentication failures.
    day = pd.Timestamp("2026-09-10", tz="UTC")
    blocked = "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Spamhaus"
    spam = "550 5.7.1 Our system has detected that this message is likely unsolicited mail."
    bounces = _bounces([blocked] * 30 + [spam] * 30)
    rows = pd.DataFrame(
        {
            "account": ACCOUNT, "email": bounces["email"], "domain": "gmail.com",
            "suppressed_at": bounces["bounced_at"] + pd.Timedelta(seconds=1), "reason": "bounce",
        }
    )  # fmt: skip
    fix = mm.remediation_candidates(rows, bounces=bounces, storm_size=50)
    reactivated = fix[fix["verdict"] == "reactivate"]
    assert len(reactivated) == 60, fix["verdict"].value_counts()
    spike = pd.Series({"group": ACCOUNT, "start": day, "count": 60, "baseline": 1.0, "ratio": 60.0})
    advice = spike_finding(spike, fix, bounces, scope=[ACCOUNT]).advice.lower()
    assert "first" in advice and "block list" in advice and "content" in advice, advice


def test_temporary_refusals_all_suppressed_point_at_the_fix() -> None:
    # Third review, D6: deferrals that each ended in a suppression were said to "pass with
    # time". Over a range long enough to judge spikes, the fix is remediation_candidates.
    busy = "451 4.7.500 Server busy. Please try again later from [198.51.100.23]."
    bounces = _bounces([busy] * 30)
    rows = pd.DataFrame(
        {"email": bounces["email"].str.upper(), "reason": "bounce",
         "suppressed_at": bounces["bounced_at"] + pd.Timedelta(seconds=1)}
    )  # fmt: skip
    found = bounce_rate_finding(ACCOUNT, _periods(30), bounces, suppressed=rows)
    assert "all 30 ended in suppressions, which do not pass with time" in found.advice
    assert "mm.remediation_candidates" in found.advice and "pass with time;" not in found.advice
    earlier = rows.assign(suppressed_at=bounces["bounced_at"] - pd.Timedelta(days=1))
    found = bounce_rate_finding(ACCOUNT, _periods(30), bounces, suppressed=earlier)
    assert "30 of the 30 were temporary: these pass with time" in found.advice, found.advice


def _said_that_day(texts: list[str]) -> str:
    """What a spike's finding says the servers said on the day of ``texts``' bounces."""
    day = pd.Timestamp("2026-09-10", tz="UTC")
    bounces = _bounces(texts)
    rows = pd.DataFrame(
        {
            "account": ACCOUNT, "email": bounces["email"], "domain": "gmail.com",
            "suppressed_at": bounces["bounced_at"] + pd.Timedelta(seconds=1), "reason": "bounce",
        }
    )  # fmt: skip
    fix = mm.remediation_candidates(rows, bounces=bounces, storm_size=50)
    spike = pd.Series({"group": ACCOUNT, "start": day, "count": 60, "baseline": 1.0, "ratio": 60.0})
    said = spike_finding(spike, fix, bounces, scope=[ACCOUNT]).said
    return next(s for s in said if s.startswith("The receiving servers"))


def test_one_status_code_is_named_only_when_all_share_it() -> None:
    # Third review, D10: "the most common reason, userunknown (status 5.1.1), in 25" where
    # those 25 carried 5.1.1, 5.7.1 and 5.4.1 (Outlook's "Access denied. AS(201806281)").
    denied = "Recipient address rejected: Access denied. AS(201806281)"
    said = _said_that_day([DEAD] * 18 + [f"550 5.7.1 {denied}"] * 5 + [f"550 5.4.1 {denied}"] * 2)
    assert "(status 5.1.1)" not in said, said
    assert "in 25 (status 5.1.1 in 18, 5.7.1 in 5 and 5.4.1 in 2)" in said, said
    said = _said_that_day([DEAD] * 25)
    # The kind in the page's words, not the reason's name (eighth review, 11).
    assert "in 25 (all status 5.1.1): addresses whose mailboxes a server called dead" in said
    assert "userunknown" not in said, said


def test_one_temporary_refusal_is_told_in_the_singular() -> None:
    # Fifth review's rep_many_a: "1 of the 75 were temporary".
    temporary = "421 4.7.0 Try again later, closing connection."
    found = bounce_rate_finding(ACCOUNT, _periods(50), _bounces([DEAD] * 49 + [temporary]))
    assert "1 of the 50 was temporary" in found.advice, found.advice


def test_a_bounce_finding_judged_over_the_range_names_bounces_alone() -> None:
    # Fifth review's rep_many_a: a bounce finding said "no single period had the 5
    # complaints or 20 bounces a period is judged on alone": complaints judge nothing there.
    periods = _periods(30).assign(span="range")
    said = " ".join(bounce_rate_finding(ACCOUNT, periods, _bounces([DEAD] * 30)).said)
    assert "20 bounces a period is judged on alone" in said, said
    assert "complaints" not in said, said
