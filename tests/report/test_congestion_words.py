"""A receiving system's congestion is told as a deferral that passes (issue 33, sixth
review, a matter of taste): IronPort's "421 4.4.5 Try again later" is ``systemfull``, RFC
3463's "mail system congestion", and passes; told by the reason's name alone ("59
systemfull") it reads like a full disk. The name stays in the candidates (reasons are
public); the page says what it is in words alone (eighth review, 11: no raw names)."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe.reporting.spike_findings import spike_finding

# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")

ACCOUNT = "store@brand.example.org"
CONGESTED = "421 4.4.5 Try again later, closing connection (IronPort)"


def _storm(texts: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    at = pd.Timestamp("2026-09-16T10:05:00", tz="UTC")
    bounces = mm.triage(
        pd.DataFrame(
            {
                "account": ACCOUNT,
                "email": [f"z{i:05d}@ironbare.example.com" for i in range(len(texts))],
                "domain": "ironbare.example.com",
                "bounced_at": [at + pd.Timedelta(seconds=i) for i in range(len(texts))],
                "message": texts,
            }
        )
    )
    rows = pd.DataFrame(
        {
            "account": ACCOUNT, "email": bounces["email"], "domain": bounces["domain"],
            "suppressed_at": bounces["bounced_at"] + pd.Timedelta(seconds=1), "reason": "bounce",
        }
    )  # fmt: skip
    return bounces, mm.remediation_candidates(rows, bounces=bounces, storm_size=50)


def test_congestion_is_told_as_a_deferral_that_passes() -> None:
    bounces, fix = _storm([CONGESTED] * 60)
    assert set(fix["cause"].astype(str)) == {"systemfull"}  # the public name stays
    day = pd.Timestamp("2026-09-16", tz="UTC")
    spike = pd.Series({"group": ACCOUNT, "start": day, "count": 60, "baseline": 1.0, "ratio": 60.0})
    found = spike_finding(spike, fix, bounces, scope=[ACCOUNT])
    said = " ".join([*found.said, found.advice])
    assert "systemfull" not in said, said
    told = [part for part in said.split(". ") if "congest" in part]
    assert told, said
    for sentence in told:  # wherever the congestion is told, the words say it passes
        assert "passes" in sentence, sentence
