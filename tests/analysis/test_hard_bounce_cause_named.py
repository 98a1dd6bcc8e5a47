"""A row held back for a hard bounce naming no cause that passes is held under a cause of
its own (adv9, F7): rows another account hard-bounced with no words were labelled with
the storm's cause (``speeding``, "refused for the sending rate": the same words as the 324
to reactivate), counted as "evidence missing or mixed", and released in the panel by the
confirm box alone. Their cause now says what holds them (``hardelsewhere``; on this
account, ``hardbounced``), it condemns them like a dead mailbox, and the report's verdict
table, sentences and advice name it in the one vocabulary."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.never_back import CONDEMNING
from mmframe.analysis.remediation import remediation_candidates
from mmframe.reporting.cause_words import kinds, words
from mmframe.reporting.review_words import held_back, review_advice, verdict_table

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

RETAIL, ALERTS = "retail@acme.example", "alerts@acme.example"
DAY = pd.Timestamp("2026-11-17 08:00", tz="UTC")
STORM = (
    "421-4.7.28 [203.0.113.5 15] Our system has detected an unusual rate of unsolicited mail "
    "originating from your IP address. To protect our users from spam, mail sent from your "
    "IP address has been temporarily rate limited."
)
#: A hard bounce's words that name no cause that passes (the review's three kinds).
NO_CAUSE = (None, "", "554 Transaction failed", "550", "Undeliverable")


def _frames(n: int, hard: dict[int, tuple[str, str | None]]) -> dict[str, pd.DataFrame]:
    """A storm of ``n`` rate-limit deferrals on retail@, each row suppressed; ``hard[i] =
    (account, words)``: address i hard-bounced on that account in October in those words."""
    emails = [f"s{i}@gmail.com" for i in range(n)]
    at = [DAY + pd.Timedelta(seconds=60 * i) for i in range(n)]
    sup = pd.DataFrame({"account": RETAIL, "email": emails, "domain": "gmail.com",
                        "suppressed_at": at, "reason": "bounce"})  # fmt: skip
    storm = sup.assign(bounced_at=[x - pd.Timedelta(seconds=30) for x in at],
                       bounce_type="soft", message=STORM)  # fmt: skip
    storm = storm.drop(columns=["suppressed_at", "reason"])
    old = [
        {"account": acc, "email": emails[i], "domain": "gmail.com", "bounce_type": "hard",
         "bounced_at": pd.Timestamp("2026-10-20 10:00", tz="UTC"), "message": text}
        for i, (acc, text) in sorted(hard.items())
    ]  # fmt: skip
    earlier = [pd.DataFrame(old, columns=storm.columns)] if old else []
    bounces = pd.concat([storm, *earlier], ignore_index=True)
    return {"suppressions": sup, "bounces": bounces}


@settings(max_examples=40, deadline=None)
@given(
    n=st.sampled_from([3, 60]),  # a lone deferral, or a storm the storm rule clears
    hard=st.dictionaries(
        st.integers(0, 59), st.tuples(st.sampled_from([RETAIL, ALERTS]), st.sampled_from(NO_CAUSE))
    ),
)
def test_a_hard_bounce_naming_no_passing_cause_holds_its_row_under_its_own_cause(n, hard):
    hard = {i: v for i, v in hard.items() if i < n}
    f = _frames(n, hard)
    fix = remediation_candidates(f["suppressions"], bounces=f["bounces"])
    for i, row in fix.iterrows():
        if i not in hard:
            assert row["verdict"] == "reactivate", row["evidence"]
            continue
        account, _text = hard[i]
        assert row["verdict"] == "review", row["evidence"]
        want = "hardbounced" if account == RETAIL else "hardelsewhere"
        assert row["cause"] == want and want in CONDEMNING, (row["cause"], row["evidence"])
    held = fix[fix["verdict"] == "review"]
    # The page names them by what holds them, never by the storm's rate.
    table = verdict_table(fix)
    said = " | ".join(table.loc[table["verdict"] == "review", "cause"])
    assert "sending rate" not in said, said
    for cause in held["cause"].unique():
        assert words(str(kinds(pd.Series([cause])).iloc[0]), 2) in said or cause in said, said
    if len(held):
        parts = held_back(held)
        assert parts and not any("missing or mixed" in p for p in parts), parts
        advice = " ".join(review_advice(held))
        assert "Leave suppressed the" in advice and "Look at" not in advice, advice


def test_the_reviewers_twelve_are_named_as_hard_bounced_on_another_account():
    # r1: "review | refused for the sending rate | 12"; now their own words.
    f = _frames(60, {i: (ALERTS, NO_CAUSE[i % 3]) for i in range(12)})
    fix = remediation_candidates(f["suppressions"], bounces=f["bounces"])
    assert fix["cause"].value_counts().to_dict() == {"speeding": 48, "hardelsewhere": 12}
    table = verdict_table(fix)
    review = table[table["verdict"] == "review"]
    assert review["rows"].tolist() == ["12"], table
    (said,) = review["cause"]
    assert "hard-bounced on another account" in said, said
    assert "hard-bounced on another account" in words("hardelsewhere", 12)
    assert "hard-bounced" in words("hardbounced", 1)
    assert "incomplete" in words("incomplete", 2)
