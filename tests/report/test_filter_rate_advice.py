"""A storm of rate deferrals from a filtering service is advised as one, whatever the
service is called (issue 33, fifth review, defect 2): 50 "Please try again later
(Proofpoint Essentials rate control)" were told "refused for the sending IP or domain ...
get it off the block list" and held in the printed fix's later step, on the word
"Proofpoint"."""

from __future__ import annotations

import pytest

from mmframe.reporting.rate_findings import bounce_rate_finding
from tests.report.test_bounce_advice import ACCOUNT, _bounces, _periods
from tests.report.test_refusal_advice import BLOCK, _spike_advice

# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")

RATE_DEFERRALS = (
    "451 4.7.1 Please try again later (Proofpoint Essentials rate control)",
    "421 4.7.0 Mimecast: inbound rate control in effect, please try again later",
    "451 4.7.1 Barracuda: sending rate limit exceeded - try again later",
    "450 Cloudmark: message rate exceeded for 192.0.2.44, deferred",
    "451 4.7.1 Please try again later (Proofpoint Essentials)",  # no cause named: deferred
)


@pytest.mark.parametrize("text", RATE_DEFERRALS)
def test_a_filters_rate_deferral_is_not_advised_as_a_block_list(text: str) -> None:
    advice = _spike_advice([text] * 60).lower()
    assert "block list" not in advice and "sending ip" not in advice, advice
    mixed = _spike_advice([text] * 30 + [BLOCK] * 30).lower()
    assert "30 refused for the sending ip or domain" in mixed, mixed
    rate = bounce_rate_finding(ACCOUNT, _periods(60), _bounces([text] * 60)).advice.lower()
    assert "60 of the 60 were temporary" in rate and "block" not in rate, rate
