"""A throttle a receiver applies for the sender's standing waits for the sender (issue 33,
ninth review, F6): Gmail's 421-4.7.28 "unusual rate of unsolicited mail" was put back at
once as a mere sending rate, though it is Yahoo's TSS04's kin (deferred for the volume sent
or its complaints), which waits. The rule reads the words (spam, unsolicited, reputation,
complaints) or RFC 3463's X.7.28 ("mail flood detected") beside a rate; a rate that names
none of them (the recipient's own rate, a relay quota, too many connections) still passes."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe.reporting.cause_words import kinds

# The frames are built here, whole by construction: no record of a read to warn of.
pytestmark = pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")

#: Throttles for the sender's standing, in the words of several receivers and MTAs.
STANDING = [
    pytest.param(
        "421-4.7.28 [203.0.113.5      15] Our system has detected an unusual rate of "
        "unsolicited mail originating from your IP address. To protect our users from spam, "
        "mail sent from your IP address has been temporarily rate limited.",
        id="gmail-4.7.28-ip",
    ),
    pytest.param(
        "421 4.7.28 Gmail has detected an unusual rate of email originating from your DKIM "
        "domain example.com. To protect our users from spam, email sent from your domain has "
        "been temporarily rate limited.",
        id="gmail-4.7.28-dkim-domain",
    ),
    pytest.param(
        "SMTP error from remote mail server after end of data: 421-4.7.0 [192.0.2.80 15] Our "
        "system has detected an unusual rate of 421-4.7.0 unsolicited mail originating from "
        "your IP address.",
        id="gmail-through-exim",
    ),
    pytest.param(
        "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected "
        "volume or user complaints",
        id="yahoo-tss04",
    ),
    pytest.param(
        "451 4.7.650 The mail server [192.0.2.3] has been temporarily rate limited due to IP "
        "reputation.",
        id="outlook-4.7.650",
    ),
    pytest.param("450 4.7.1 Throttled: too many spam reports from your network", id="throttled"),
    pytest.param("421 4.7.0 Sending rate exceeded for senders with poor reputation", id="rate"),
    pytest.param("451 Rate limit: recipients complained of your mail, slow down", id="complaints"),
]
#: Rates that say nothing of the sender's standing: they pass by retrying.
RATE_ALONE = [
    pytest.param(
        "450 4.2.1 The user you are trying to contact is receiving mail at a rate that "
        "prevents additional messages from being delivered.",
        id="gmail-recipient-rate",
    ),
    pytest.param(
        "450 4.2.1 Peak SMTP relay limit exceeded for this customer. This is a temporary error.",
        id="relay-limit",
    ),
    pytest.param("421 4.7.0 mx.example.net Error: too many connections from 192.0.2.9", id="conn"),
    pytest.param("452 4.5.3 Too many recipients", id="recipients"),
    pytest.param(  # a filtering product's name says who answered, not why
        "451 4.7.1 Please try again later (SpamTitan rate control)", id="product-name"
    ),
]


def _fix(texts: list[str]) -> pd.DataFrame:
    """One bounce suppression per text, judged alone (no complaint, no opt-out)."""
    at = pd.Timestamp("2026-11-17T12:00:00Z")
    emails = [f"u{i}@gmail.com" for i in range(len(texts))]
    rows = pd.DataFrame(
        {"email": emails, "domain": "gmail.com", "suppressed_at": at, "reason": "bounce"}
    )
    bounces = pd.DataFrame(
        {
            "email": emails,
            "domain": "gmail.com",
            "bounced_at": at - pd.Timedelta(seconds=30),
            "message": texts,
        }
    )
    none = pd.DataFrame(
        {"email": pd.Series(dtype=str), "complained_at": pd.Series(dtype="datetime64[ns, UTC]")}
    )
    return mm.remediation_candidates(rows, bounces=bounces, complaints=none, opt_outs=rows)


@pytest.mark.parametrize("text", STANDING)
def test_a_throttle_for_the_senders_standing_waits_for_the_sender(text):
    fix = _fix([text] * 60)  # a storm: put back, once the sender slows down
    assert set(fix["verdict"]) == {"reactivate"}
    assert mm.waits_for_sender(fix).all(), fix["cause"].iloc[0]
    said = mm.triage(pd.Series([text]))
    # Said as a deferral for the volume or its complaints, or (a reputation named as the
    # reason) as the sending IP's: either advises to slow down first.
    assert kinds(said["reason"].astype(str), pd.Series([text])).tolist() in (["volume"], ["ip"])


@pytest.mark.parametrize("text", RATE_ALONE)
def test_a_rate_naming_no_standing_passes_by_retrying(text):
    fix = _fix([text])
    assert not mm.waits_for_sender(fix).any(), fix["cause"].iloc[0]
    said = mm.triage(pd.Series([text]))
    assert kinds(said["reason"].astype(str), pd.Series([text])).tolist() != ["volume"]
