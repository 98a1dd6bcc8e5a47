"""Refusals of the sending IP are advised by what they say (issue 33, fourth review): A4,
greylisting ("Greylisted for 300 seconds") was told "get it off the block list ...
reputation", though it passes by retrying; A10, Yahoo's TSS04 deferral "due to unexpected
volume or user complaints" was told as a block list, though it asks the sender to slow
down."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe.reporting.rate_findings import bounce_rate_finding
from mmframe.reporting.spike_findings import spike_finding
from tests.report.test_bounce_advice import ACCOUNT, _bounces, _periods

# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")

GREYLISTING = (
    "450 4.2.0 <{e}>: Recipient address rejected: Greylisted for 300 seconds",
    "451 4.7.1 Greylisting in action, please come back later",
    "451 try again later, greylisted",
    "451 4.7.1 Greylisted, try again after some time",
)
VOLUME = (
    "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected "
    "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"
)
BLOCK = "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Spamhaus"


def _spike_advice(texts: list[str]) -> str:
    day = pd.Timestamp("2026-09-10", tz="UTC")
    bounces = _bounces(texts)
    bounces["message"] = [t.format(e=e) for t, e in zip(texts, bounces["email"], strict=True)]
    bounces = mm.triage(bounces)
    rows = pd.DataFrame(
        {
            "account": ACCOUNT, "email": bounces["email"], "domain": "gmail.com",
            "suppressed_at": bounces["bounced_at"] + pd.Timedelta(seconds=1), "reason": "bounce",
        }
    )  # fmt: skip
    fix = mm.remediation_candidates(rows, bounces=bounces, storm_size=50)
    assert (fix["verdict"] == "reactivate").all(), fix["verdict"].value_counts()
    spike = pd.Series({"group": ACCOUNT, "start": day, "count": 60, "baseline": 1.0, "ratio": 60.0})
    return spike_finding(spike, fix, bounces, scope=[ACCOUNT]).advice


@pytest.mark.parametrize("text", GREYLISTING)
def test_greylisting_is_never_advised_as_a_block_list(text: str) -> None:
    advice = _spike_advice([text] * 60).lower()
    assert "block list" not in advice and "reputation" not in advice, advice
    mixed = _spike_advice([text] * 30 + [BLOCK] * 30)
    assert "30 refused for the sending ip or domain" in mixed.lower(), mixed
    rate = bounce_rate_finding(ACCOUNT, _periods(60), _bounces([text] * 60)).advice.lower()
    assert "60 of the 60 were temporary" in rate and "block" not in rate, rate


def test_a_volume_deferral_is_advised_to_slow_down_not_as_a_block_list() -> None:
    advice = _spike_advice([VOLUME] * 60).lower()
    assert "block list" not in advice and "slow" in advice, advice
    assert "volume" in advice and "complaints" in advice, advice
    rate = bounce_rate_finding(ACCOUNT, _periods(60), _bounces([VOLUME] * 60)).advice.lower()
    # Issue 33, eighth review, 10: the same words get the spike's advice (slow down).
    assert "60 of the 60 were deferred for the volume sent" in rate and "slow down" in rate, rate
