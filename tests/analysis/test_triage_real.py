# ruff: noqa: E501  (bounce texts are quoted whole, as servers send them)
"""Triage and remediation on real servers' words (issue 20): Sisimai's labelled texts of 41
mail systems (``bounce_dev/sisimai.csv``), with the figures asserted as floors, and the remediation
policy on hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from tests.analysis.bounce_dev import load, score

# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")

SISIMAI = load().query("set == 'sisimai'").reset_index(drop=True)
SCORE = score(SISIMAI)
#: Reasons of 8 or more scored texts, and the recall each must keep. Sisimai's filtered
#: labels on user-unknown words ("This user doesn't have a ... account") depend on the SMTP
#: command or the Status: field, not on the text: those four are context_only (issue 30).
FLOORS = {
    "userunknown": 0.90,
    "mailboxfull": 0.95,
    "rejected": 0.70,
    "expired": 0.95,
    "policyviolation": 0.70,
    "hostunknown": 0.90,
    "spamdetected": 0.90,
    "blocked": 0.70,
    "networkerror": 0.70,
    "systemerror": 0.70,
}


def test_the_development_set_is_whole():
    cases = SISIMAI
    assert len(cases) == 291 and cases["scored"].sum() == 265
    assert set(FLOORS) == set(SCORE.recall.index[SCORE.recall["cases"] >= 8])


@pytest.mark.parametrize("reason", sorted(FLOORS))
def test_recall_per_reason(reason):
    row = SCORE.recall.loc[reason]
    wrong = SCORE.cases[SCORE.cases["scored"] & (SCORE.cases["reason"] == reason)]
    wrong = wrong[~wrong["right"]][["got", "diagnostic"]].to_dict("records")
    assert row["recall"] >= FLOORS[reason], wrong


def test_accuracy_where_the_wording_decides():
    assert SCORE.accuracy >= 0.90


def test_no_dead_address_is_reactivated_and_nearly_all_are_kept():
    assert SCORE.dead_reactivated == 0
    assert SCORE.dead_kept / SCORE.dead >= 0.95


def test_message_level_refusals_are_not_kept():
    assert SCORE.message_level_kept / SCORE.message_level <= 0.05


def test_every_text_says_how_it_was_decided():
    decided = SCORE.cases["decided_by"]
    assert set(decided) <= {"phrase", "status", "reply", "none"}
    assert (SCORE.cases.loc[decided == "none", "got"] == "undefined").all()


# --- the remediation policy on hand-made frames -------------------------------------------


def _judge(texts: list[str], *, domain: str = "x.example", storm_size: int = 50) -> pd.DataFrame:
    emails = [f"u{i}@{domain}" for i in range(len(texts))]
    at = pd.Timestamp("2026-03-03T12:00:00Z")
    sup = pd.DataFrame({"email": emails, "domain": domain, "suppressed_at": at, "reason": "bounce"})
    bounces = pd.DataFrame(
        {
            "email": emails,
            "domain": domain,
            "bounced_at": at - pd.Timedelta(minutes=1),
            "message": texts,
        }
    )
    return mm.remediation_candidates(sup, bounces=bounces, storm_size=storm_size)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        pytest.param("450 4.1.1 <a@x.example>: Recipient address rejected: User unknown in "
                     "virtual alias table", "keep", id="a-4xx-user-unknown-is-kept"),
        pytest.param("421 4.2.1 The user's account is disabled", "keep", id="4xx-disabled"),
        pytest.param("The recipient could not be reached", "review", id="no-code-no-phrase"),
        pytest.param("552 something went wrong", "review", id="transient-by-reply-alone"),
        pytest.param("452 4.2.2 Mailbox full", "reactivate", id="4xx-full-mailbox"),
        pytest.param("552 5.2.2 Mailbox full", "reactivate", id="5xx-full-mailbox-by-phrase"),
        pytest.param("554 5.7.1 Message rejected as spam", "review", id="5xx-spam"),
        pytest.param("451 4.7.1 Greylisted, try again", "reactivate", id="4xx-greylisting"),
    ],
)  # fmt: skip
def test_the_verdict_of_one_bounce(text, verdict):
    assert _judge([text])["verdict"].tolist() == [verdict]


def test_a_storm_never_lifts_an_address_level_or_unreadable_bounce():
    dead = ["550 5.1.1 <u@x.example>: User unknown"] * 60
    assert set(_judge(dead)["verdict"]) == {"keep"}
    assert not _judge(dead)["storm"].any()
    mute = ["Delivery failed"] * 60  # no code, no known reason: nothing to lift it on
    assert set(_judge(mute)["verdict"]) == {"review"}
    blocks = ["554 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org"] * 60
    stormed = _judge(blocks)
    assert set(stormed["verdict"]) == {"reactivate"} and stormed["storm"].all()
    mixed = _judge(blocks[:55] + dead[:5])
    assert mixed["verdict"].tolist() == ["reactivate"] * 55 + ["keep"] * 5


#: The wording of major receivers and MTAs, written out for this project from their
#: postmaster pages and public bounce samples (not from the development set): each names
#: one cause, in Sisimai's reason names.
WORDINGS = [
    (
        "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos",
        "userunknown",
    ),
    (
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
        "userunknown",
    ),
    ("550 5.5.0 Requested action not taken: mailbox unavailable", "userunknown"),
    (
        "554 delivery error: dd Sorry your message to x@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1062.mail.gq1.yahoo.com",
        "suspend",
    ),
    ("550 5.2.1 The email account that you tried to reach is disabled.", "suspend"),
    ("552 5.2.2 The email account that you tried to reach is over quota.", "mailboxfull"),
    ("452 4.2.2 The email account that you tried to reach is over quota.", "mailboxfull"),
    (
        "550 5.7.1 Unfortunately, messages from [1.2.3.4] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
        "blocked",
    ),
    (
        "550 5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked.",
        "spamdetected",
    ),
    (
        "550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.",
        "authfailure",
    ),
    (
        "421 4.7.0 [TSS04] Messages from 1.2.3.4 temporarily deferred due to unexpected volume or user complaints",
        "badreputation",
    ),
    (
        "553 5.7.1 [BL21] Connections will not be accepted from 1.2.3.4, because the ip is in Spamhaus's list",
        "blocked",
    ),
    ("554 5.7.9 Message not accepted for policy reasons.", "policyviolation"),
    ("550 5.7.1 Service unavailable, Client host [1.2.3.4] blocked using Spamhaus", "blocked"),
    ("550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", "userunknown"),
    (
        "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.",
        "blocked",
    ),
    ("452 4.5.3 Too many recipients", "toomanyconn"),
    ("550 #5.1.0 Address rejected.", "userunknown"),
    ("554 5.7.1 <x@y.com>: Relay access denied", "norelaying"),
    ("550 5.7.1 Sender ID (PRA) Not Permitted", "authfailure"),
    ("550 Requested action not taken: mailbox unavailable (mail quota exceeded)", "mailboxfull"),
    ("Remote host said: 550 No such user (x@example.com)", "userunknown"),
    (
        "This message was created automatically by mail delivery software. A message that you sent could not be delivered to one or more of its recipients. This is a permanent error. The following address(es) failed: x@example.com retry timeout exceeded",
        "expired",
    ),
    (
        "This message was created automatically by mail delivery software. A message that you sent could not be delivered to one or more of its recipients. This is a permanent error. The following address(es) failed: x@example.com Unrouteable address",
        "hostunknown",
    ),
    ("x@example.com: mailbox is full: retry timeout exceeded", "mailboxfull"),
    ("Sorry, I couldn't find any host named example.invalid. (#5.1.2)", "hostunknown"),
    ("Sorry, no mailbox here by that name. (#5.1.1)", "userunknown"),
    (
        "This is the mail system at host mx. I'm sorry to have to inform you that your message could not be delivered to one or more recipients. <x@example.com>: host mx.example.com[1.2.3.4] said: 550 5.1.1 <x@example.com>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)",
        "userunknown",
    ),
    (
        "<x@example.com>: host mx.example.com[1.2.3.4] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command)",
        "mailboxfull",
    ),
    (
        "Delivery to the following recipient has been delayed: x@example.com Message will be retried for 2 more day(s)",
        "expired",
    ),
    ("Your message could not be delivered for more than 5 days", "expired"),
    (
        "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.",
        "suppressed",
    ),
    ("550 5.7.1 Email rejected per DMARC policy for example.com", "authfailure"),
    ("550 5.7.350 Remote server returned message detected as spam", "spamdetected"),
    ("554 5.2.0 STOREDRV.Deliver.Exception:QuotaExceededException", "mailboxfull"),
    ("User unknown", "userunknown"),
    ("Host unknown (Name server: example.com: host not found)", "hostunknown"),
    ("550 5.3.4 Message size exceeds fixed limit", "mesgtoobig"),
    ("552 5.3.4 Message size exceeds fixed maximum message size", "mesgtoobig"),
    ("451 Temporary local problem - please try later", "systemerror"),
    ("421 Too many concurrent SMTP connections; please try again later.", "toomanyconn"),
    ("554 5.7.1 Message blocked due to spam content in the message.", "spamdetected"),
    ("550 High probability of spam", "spamdetected"),
    ("550 Virus found in message", "virusdetected"),
    ("550 5.7.1 Relaying denied", "norelaying"),
    ("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", "norelaying"),
    ("550 Administrative prohibition", "rejected"),
    (
        "550-Verification failed for <bounce@sender.example> 550-Called: 1.2.3.4 550 Sender verify failed",
        "rejected",
    ),
    ("宛先のメールアドレスが存在しません", "userunknown"),
    ("メールボックスの容量が一杯です", "mailboxfull"),
    ("Почтовый ящик переполнен", "mailboxfull"),
    ("Адресат не существует", "userunknown"),
    ("Le destinataire n'existe pas", "userunknown"),
]


@pytest.mark.parametrize(("text", "reason"), WORDINGS)
def test_the_wording_of_major_receivers(text, reason):
    assert mm.triage(pd.Series([text]))["reason"].iloc[0] == reason
