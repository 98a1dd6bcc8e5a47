"""An earlier bounce the API called hard keeps its address out of any reactivation unless
its own words name a cause of the sender's or the message's that passes (issue 33, fourth
review, A1: "554 Transaction failed", "421 Service not available", "550 5.7.0 Rejected",
called hard in April, were put back by a deferral storm in August)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.remediation import remediation_candidates

pytestmark = pytest.mark.invariants

#: Reply codes and enhanced statuses as servers put them before generic words.
CODES = ("", "421", "450", "451", "550", "554", "421 4.3.0", "451 4.0.0", "550 5.0.0",
         "554 5.0.0", "550 5.7.0", "550 5.7.1", "554 5.7.1", "5.0.0")  # fmt: skip
#: Words that name no cause: RFC 5321's generic replies and the like, as servers word them.
GENERIC = (
    "", "Transaction failed", "Service not available", "Service unavailable", "Rejected",
    "Requested action not taken", "Delivery failed", "Unknown error", "Message rejected",
    "Error", "Temporary failure", "Requested action aborted: local error in processing",
    "Internal server error", "Server busy", "Message not accepted", "Permanent failure",
    "Undeliverable", "Service not available, closing transmission channel",
    "Mail delivery failed", "Try again later", "Temporary local problem - please try later",
    "Connection timed out", "Transaction failed; please try again",
)  # fmt: skip
#: Deferrals that pass, as a storm or a lone later bounce says them.
LATER = (
    "451 4.7.500 Server busy. Please try again later.",
    "421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating "
    "from your IP address. To protect our users from spam, mail sent from your IP address "
    "has been temporarily rate limited.",
    "452 4.2.2 Mailbox full",
    "421 4.7.0 [TS01] Messages from 192.0.2.1 temporarily deferred due to user complaints",
)


def _frames(emails: list[str], earlier: list[str], later: str) -> tuple[pd.DataFrame, ...]:
    sup = pd.DataFrame({"email": emails, "reason": "bounce"})
    sup["suppressed_at"] = pd.Timestamp("2026-08-12T12:00:00Z")
    sup["domain"] = sup["email"].str.split("@").str[1]
    rows = [(e, "2026-04-10T09:00:00", t, "hard") for e, t in zip(emails, earlier, strict=True)]
    rows += [(e, "2026-08-12T11:59:00", later, "soft") for e in emails]
    bounces = pd.DataFrame(rows, columns=["email", "bounced_at", "message", "bounce_type"])
    bounces["bounced_at"] = pd.to_datetime(bounces["bounced_at"], utc=True)
    bounces["domain"] = bounces["email"].str.split("@").str[1]
    return sup, bounces


@settings(max_examples=60, deadline=None)  # each example triages up to 60 texts
@given(
    codes=st.lists(st.sampled_from(CODES), min_size=1, max_size=6),
    words=st.lists(st.sampled_from(GENERIC), min_size=1, max_size=6),
    later=st.sampled_from(LATER),
    storm=st.booleans(),
)
def test_an_earlier_hard_bounce_in_words_that_name_no_passing_cause_is_never_put_back(
    codes, words, later, storm
):
    """Whatever generic words and codes the API's hard bounce has, and whatever storm or
    lone deferral comes after it, the address is not in the reactivate set."""
    size = 60 if storm else 1
    emails = [f"u{i}@gmail.example" for i in range(size)]
    earlier = [f"{codes[i % len(codes)]} {words[i % len(words)]}".strip() for i in range(size)]
    sup, bounces = _frames(emails, earlier, later)
    out = remediation_candidates(sup, bounces=bounces)
    put_back = out[out["verdict"] == "reactivate"]
    assert put_back.empty, list(zip(put_back["email"], earlier, strict=False))[:3]
    assert out["evidence"].str.contains("2026-04-10").all()


#: Hard bounces whose words name a cause of the sender's or the message's that passes.
NAMED = (
    "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
    "550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and "
    "Gmail users, and has been blocked. The sender must authenticate with at least one of "
    "SPF or DKIM.",
    "550 5.7.1 Message rejected as spam by Content Filtering",
    "550 5.7.1 Your daily sending quota is exceeded",
)


@pytest.mark.parametrize("said", NAMED)
def test_an_earlier_hard_bounce_that_names_a_passing_cause_leaves_the_deferral_to_decide(said):
    """The rule is not "hard means never": the API's word is outweighed when the text
    itself names the sender's block, authentication, content or rate."""
    emails = [f"u{i}@gmail.example" for i in range(60)]
    sup, bounces = _frames(emails, [said] * 60, LATER[1])
    out = remediation_candidates(sup, bounces=bounces)
    assert (out["verdict"] == "reactivate").all(), out[["verdict", "evidence"]].head(2)
