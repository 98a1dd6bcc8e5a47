"""The rows to review held back by a dead-mailbox status beside words naming another cause
("550 5.1.1 rate limited, try again later") are named by that mixed evidence in the verdict
line, the table, What to do and the panel, never as the mailboxes a server called dead that
the same account keeps (tenth review, F6: "keep | whose mailboxes a server called dead | 8"
above "review | whose mailboxes a server called dead | 8")."""

from __future__ import annotations

import pandas as pd
import pytest

from mmframe.analysis.remediation import remediation_candidates
from mmframe.reporting.cause_words import words
from mmframe.reporting.review_words import review_advice, verdict_table
from mmframe.reporting.spike_findings import _verdict_sentences
from mmframe.widgets.panel_held import held_words

pytestmark = pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")

GMAIL_RATE = (
    "421 4.7.28 [203.0.113.9] Our system has detected an unusual rate of unsolicited mail "
    "originating from your IP address."
)
MIXED = "550 5.1.1 rate limited, try again later"
DEAD = "550 5.1.1 The email account that you tried to reach does not exist."
DEAD_WORDS = words("dead", 8)


def _fix() -> pd.DataFrame:
    """A 60-row storm of one account at gmail.com: 8 own bounces mixed, 8 dead, the rest
    Gmail's rate (with the ``domain`` the report's frames carry)."""
    texts = [MIXED] * 8 + [DEAD] * 8 + [GMAIL_RATE] * 44
    emails = [f"g{i}@gmail.com" for i in range(len(texts))]
    at = pd.Timestamp("2026-11-26T14:00:00Z") + pd.to_timedelta(range(len(texts)), unit="s")
    sup = pd.DataFrame({"email": emails, "domain": "gmail.com", "suppressed_at": at,
                        "reason": "bounce"})  # fmt: skip
    bounces = pd.DataFrame(
        {
            "email": emails,
            "domain": "gmail.com",
            "bounced_at": at - pd.Timedelta(seconds=1),
            "message": texts,
        }
    )
    return remediation_candidates(sup, bounces=bounces)


def test_the_mixed_rows_to_review_are_not_named_as_the_dead_ones_kept():
    fix = _fix()
    assert fix["verdict"].astype(str).value_counts().to_dict() == {
        "reactivate": 44, "keep": 8, "review": 8,
    }  # fmt: skip
    table = verdict_table(fix)
    causes = dict(zip(table["verdict"], table["cause"], strict=True))
    assert causes["keep"] == DEAD_WORDS, causes
    assert causes["review"] != DEAD_WORDS and "mixed" in causes["review"], causes
    lines = _verdict_sentences(fix)
    (review,) = [line for line in lines if line.startswith("Review")]
    assert "server called dead" not in review and "mixed" in review, review
    advice = " ".join(review_advice(fix[fix["verdict"] == "review"]))
    assert "server called dead" not in advice and "mixed" in advice, advice
    held = held_words(fix[fix["verdict"] == "review"])
    assert "server called dead" not in held and "dead-mailbox code" in held, held
