"""A bounce-rate finding's advice is read from every bounce the finding covers, not the
titled group's alone (issue 33, fourth review, B4: 102 of an account's 174 bounces were
Gmail's "unauthenticated", but the finding was titled by another domain and its advice
counted that domain's 35, with no "fix the senders' authentication first")."""

from __future__ import annotations

import pandas as pd

import mmframe as mm
from mmframe.reporting.evidence import _in_every_group
from mmframe.reporting.rate_findings import bounce_rate_finding
from tests.report.test_bounce_advice import ACCOUNT, UNAUTHENTICATED, _periods

BLOCKED = "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Proofpoint"


def test_the_advice_counts_every_group_the_finding_lists():
    worst = _periods(35, sent=153).assign(group="pp-customer.example.com")
    gmail = _periods(102, sent=980)
    periods = pd.concat([worst, gmail], ignore_index=True)
    at = pd.Timestamp("2026-09-10T12:00:00", tz="UTC")
    texts = [(BLOCKED, "pp-customer.example.com")] * 35 + [(UNAUTHENTICATED, "gmail.com")] * 102
    texts += [(BLOCKED, "elsewhere.example")] * 7  # a domain not over the line
    events = mm.triage(
        pd.DataFrame(
            {
                "account": ACCOUNT,
                "email": [f"u{i}@{d}" for i, (_, d) in enumerate(texts)],
                "domain": [d for _, d in texts],
                "bounced_at": at,
                "message": [t for t, _ in texts],
            }
        )
    )
    covered = _in_every_group(events, "bounced_at", ACCOUNT, periods, "bounce_rate")
    found = bounce_rate_finding(ACCOUNT, periods, covered)
    assert "pp-customer.example.com" in found.title  # still titled by the worst
    advice = found.advice
    assert "102 of the 137 were refused for failed authentication" in advice, advice
    assert "fix the sender's authentication first" in advice, advice
    assert "domain pp-customer.example.com and domain gmail.com" in advice, advice
