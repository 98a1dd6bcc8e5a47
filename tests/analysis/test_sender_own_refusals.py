"""A refusal of the sender's own address, domain, HELO name, account or identity is the
sender's, however it is worded (twelfth review, A1-4 and A1-4 continued; A1-2b): a storm of
"450 4.1.8 <news@...>: Sender address rejected: Domain not found" (the sender's DNS broke
for an hour) was held whole under ``hostunknown``, so the report counted 60 good recipients
among the dead mailboxes and advised deleting them. Such a storm is put back, never kept and
never held under a dead-mailbox cause. But a dead recipient said beside the sender's words,
in a clause of its own, still holds the address."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.dead_signals import MIXED_STATUS
from mmframe.analysis.triage import ADDRESS_REASONS

from .test_sender_refusal_storms import _storm_of

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

#: The sender's own address, domain, HELO name, account, identity or quota refused, and
#: its IP blocked or throttled, as servers word it (Postfix's reject_unknown_sender_domain,
#: reject_unknown_helo_hostname and reject_unlisted_sender; Amazon SES's unverified
#: identity; Exchange Online's submission quota; Cloudmark's reset-request link; a Polish
#: rate).
SENDERS_OWN = (
    "450 4.1.8 <news@n.acme.io>: Sender address rejected: Domain not found",
    "553 5.1.8 <news@n.acme.io>: Sender address rejected: Domain does not exist",
    "450 4.7.1 <mta1.acme.io>: Helo command rejected: Host not found",
    "550 5.1.0 <news@n.acme.io>: Sender address rejected: User unknown in local recipient table",
    "550 5.7.1 Your sending account is disabled due to abuse",
    "550 5.7.1 Sender unknown: your domain has no valid MX or A record",
    "550 5.7.1 Unknown or invalid sender address news@n.acme.io",
    "550 5.1.7 Invalid sender address: mailbox does not exist",
    "550 5.7.1 The sender's domain is not found on the allowed list",
    "451 4.7.1 Your account has been temporarily disabled for sending too much mail",
    "550 5.7.1 Message rejected: sender's mailbox is disabled",
    "550 5.1.7 The sender's mailbox does not exist",
    "450 4.1.8 Domain not found",
    "550 5.7.1 Message rejected: Email address is not verified. The following identities "
    "failed the check in region US-EAST-1: news@acme.io",
    "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to "
    "process message due to a permanent exception with message Cannot submit message.",
    "550 5.7.1 Rejected: 192.0.2.1 - Please visit "
    "https://csi.cloudmark.com/reset-request/?ip=192.0.2.1",
    "554 5.7.1 https://csi.cloudmark.com/reset-request/?ip=192.0.2.1",
    "421 4.7.0 Przekroczono limit wysyłanych wiadomości z Twojego adresu IP, spróbuj "
    "ponownie później",
    "450 4.7.1 Zbyt wiele wiadomości z Twojego adresu IP. Spróbuj ponownie później",
)

#: The dead-mailbox causes: a row held for one is counted among the dead mailboxes.
DEAD_CAUSES = frozenset(ADDRESS_REASONS | {MIXED_STATUS})


@pytest.mark.parametrize("text", SENDERS_OWN)
def test_a_storm_of_the_senders_own_refusal_is_put_back(text):
    out = _storm_of(text)
    assert (out["verdict"] == "reactivate").all(), (
        out["verdict"].iloc[0],
        out["cause"].iloc[0],
        out["evidence"].iloc[0],
    )
    assert not out["cause"].isin(list(DEAD_CAUSES)).any(), out["cause"].iloc[0]


#: What a server says of the sender, each a clause whose dead words (if any) are the sender's.
SENDER_CLAUSES = (
    "450 4.1.8 <news@n.acme.io>: Sender address rejected: Domain not found",
    "553 5.1.8 Sender address rejected: Domain does not exist",
    "450 4.7.1 <mta1.acme.io>: Helo command rejected: Host not found",
    "Sender address rejected: User unknown in local recipient table",
    "Your sending account is disabled due to abuse",
    "sender verify failed",
    "Invalid sender address: mailbox does not exist",
    "The sender's domain is not found on the allowed list",
    "550 5.1.7 The sender's mailbox does not exist",
)
#: A dead recipient in a clause that names the recipient or opens with its own reply code.
NAMED_DEAD = (
    "550 5.1.1 <p0@web.example>: Recipient address rejected: User unknown",
    "recipient mailbox does not exist",
    "the recipient's mailbox is disabled",
    "Recipient <p0@web.example> unknown",
    "550 5.1.1 User unknown",
    "550 Mailbox does not exist",
    "addressee unknown",
)
#: A dead mailbox with no subject: the sender's only where it shares the sender's clause.
BARE_DEAD = ("User unknown", "mailbox does not exist", "mailbox disabled", "no such user")
#: What parts clauses: a reply code or a recipient noun parts them whatever stands between.
CLAUSE_JOINTS = ("; ", ". ", "\n", ", ", " - ", " (", ";")
ANY_JOINTS = (*CLAUSE_JOINTS, " ", " and ", ": ")


@st.composite
def sender_then_dead(draw: st.DrawFn) -> str:
    """A sender's clause and a recipient's dead clause, in either order."""
    sender = draw(st.sampled_from(SENDER_CLAUSES))
    if draw(st.booleans()):
        dead, joint = draw(st.sampled_from(NAMED_DEAD)), draw(st.sampled_from(ANY_JOINTS))
    else:
        dead, joint = draw(st.sampled_from(BARE_DEAD)), draw(st.sampled_from(CLAUSE_JOINTS))
    dead = draw(st.sampled_from((dead, dead.upper(), dead.lower())))
    return f"{sender}{joint}{dead}" if draw(st.booleans()) else f"{dead}{joint}{sender}"


@settings(deadline=None, max_examples=120)
@given(text=sender_then_dead())
def test_a_dead_recipient_beside_the_senders_words_stays_held(text):
    out = _storm_of(text, size=30)
    first = out.iloc[0]
    assert first["verdict"] in ("keep", "review"), (text, first["verdict"], first["cause"])
    assert first["cause"] in DEAD_CAUSES or first["cause"] == "unread", (text, first["cause"])


@pytest.mark.parametrize(
    "text",
    [
        "450 4.1.8 <news@n.acme.io>: Sender address rejected: Domain not found; 550 5.1.1 "
        "<p0@web.example>: Recipient address rejected: User unknown",
        "550 5.7.1 sender verify failed: recipient mailbox does not exist",
        "550 5.7.1 Sender address rejected: Domain not found, user unknown",
        "553 5.1.8 Domain of sender address does not exist. Mailbox disabled",
        "450 4.7.1 Helo command rejected: Host not found; Recipient address rejected: User unknown",
        "550 5.1.1 Sender address rejected: Domain not found",
        "550 5.7.1 Sender address rejected: Domain not found and user unknown",
        "550 5.7.1 Invalid sender or user unknown",
        "550 5.7.1 Mail from news@acme.io (HELO mta1.acme.io) user unknown",
    ],
)
def test_the_reviewers_mixed_texts_stay_held(text):
    out = _storm_of(text)
    assert out["verdict"].iloc[0] in ("keep", "review"), (out["cause"].iloc[0], text)
    assert out["cause"].iloc[0] in DEAD_CAUSES, out["cause"].iloc[0]
