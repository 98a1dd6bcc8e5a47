"""A dead mailbox said beside a sender-side word is still a dead mailbox (issue 33, seventh
review, 1 and 4): "550 5.2.1 Mailbox <x@y> disabled; too many connections" was read as a
rate, and a storm put it back. The address in the words ("Mailbox <addr> unknown") split
the dead words apart, and a sender-side phrase ("rate limited", "DKIM signature invalid",
"SPF failure", "too many connections") won. Whatever else a bounce names and whatever
reason wins, evidence that the address itself cannot receive keeps it (or sends it to
review): in triage, in ``remediation_candidates`` alone, in a storm and on another account.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.remediation import remediation_candidates
from mmframe.analysis.triage import ADDRESS_REASONS, triage

# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

DEFERRAL = (
    "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume "
    "or user complaints"
)
#: How an address stands in a server's words: bare, in angle brackets, quoted, as a subject.
ADDRESS_FORMS = ("{e}", "<{e}>", '"{e}"', "({e})", "{e}:", "<{e}>:", "<{e}>...")
#: Who cannot receive, and what is said of it (noun, then predicate), as servers word it.
NOUNS = ("Mailbox", "Recipient", "User", "Account", "Addressee", "mailbox", "The recipient")
PREDICATES = (
    "unknown",
    "disabled",
    "does not exist",
    "not found",
    "is disabled",
    "has been disabled",
    "is inactive",
    "has been deleted",
    "has been closed",
    "DISABLED",
)
#: Sender-side words: a rate, connections, authentication, a block list, greylisting.
SENDER_SIDE = (
    "too many connections",
    "rate limited",
    "DKIM signature invalid",
    "Message rejected due to SPF failure",
    "message failed DMARC",
    "your IP is listed on zen.spamhaus.org",
    "greylisted, try again later",
    "daily sending quota exceeded",
    "connection rate limit exceeded",
    "sender reputation too low",
    "421 too many concurrent SMTP connections from this IP",
)
CODES = ("550 5.1.1", "550 5.2.1", "550", "554 5.1.1", "550-5.1.1", "", "450 4.1.1", "452 4.2.1")


@st.composite
def mixed_texts(draw: st.DrawFn) -> str:
    """A bounce that says the address cannot receive and also names a sender-side cause,
    in either order, with the address inside the dead words, any casing of the sender's."""
    email = draw(st.sampled_from(("x@example.org", "Jo.Doe+tag@Mail.Example.COM", "p2@yahoo.com")))
    form = draw(st.sampled_from(ADDRESS_FORMS)).format(e=email)
    dead = f"{draw(st.sampled_from(NOUNS))} {form} {draw(st.sampled_from(PREDICATES))}"
    sender = draw(st.sampled_from(SENDER_SIDE))
    sender = draw(st.sampled_from((sender, sender.upper(), sender.capitalize())))
    joint = draw(st.sampled_from(("; ", ". ", " (", ", ", " - ", "\n")))
    first, second = (dead, sender) if draw(st.booleans()) else (sender, dead)
    code = draw(st.sampled_from(CODES))
    return f"{code} {first}{joint}{second}".strip()


def _storm(text: str, *, size: int = 60, account: str | None = None):
    """``size`` suppressions at one domain on one day, the first with ``text`` as its own
    bounce and the rest a Yahoo TSS04 deferral (a storm of them)."""
    emails = [f"p{i}@example.org" for i in range(size)]
    at = pd.Timestamp("2026-06-09T10:00:00Z") + pd.to_timedelta(range(size), unit="s")
    sup = pd.DataFrame({"email": emails, "domain": "example.org", "suppressed_at": at,
                        "reason": "bounce"})  # fmt: skip
    bounces = pd.DataFrame({"email": emails, "domain": "example.org",
                            "bounced_at": at - pd.Timedelta(seconds=1),
                            "message": [text] + [DEFERRAL] * (size - 1)})  # fmt: skip
    return sup, bounces


@settings(deadline=None, max_examples=150)
@given(text=mixed_texts())
def test_dead_words_beside_a_sender_side_word_are_read_as_a_dead_address(text):
    found = triage(pd.Series([text])).iloc[0]
    assert found["reason"] in ADDRESS_REASONS, (text, found["reason"], found["evidence"])
    assert bool(found["permanent"])


@settings(deadline=None, max_examples=80)
@given(text=mixed_texts(), storm=st.booleans())
def test_a_dead_mailbox_beside_a_sender_side_word_is_never_put_back(text, storm):
    sup, bounces = _storm(text, size=60 if storm else 1)
    out = remediation_candidates(sup, bounces=bounces)
    first = out.iloc[0]
    assert first["verdict"] == "keep", (text, first["verdict"], first["evidence"])
    if storm:  # the storm itself is still put back: the rule is about the address
        assert (out["verdict"].iloc[1:] == "reactivate").all()


@settings(deadline=None, max_examples=60)
@given(text=mixed_texts())
def test_another_accounts_mixed_dead_bounce_sends_the_row_to_review(text):
    sup, bounces = _storm(DEFERRAL)
    sup = sup.assign(account="news@example.com")
    theirs = pd.DataFrame({"account": "promo@example.com", "email": ["p0@example.org"],
                           "domain": "example.org",
                           "bounced_at": [pd.Timestamp("2026-05-01T10:00:00Z")],
                           "message": [text]})  # fmt: skip
    bounces = pd.concat([bounces.assign(account="news@example.com"), theirs], ignore_index=True)
    out = remediation_candidates(sup, bounces=bounces)
    assert out["verdict"].iloc[0] == "review", (text, out["evidence"].iloc[0])
    assert (out["verdict"].iloc[1:] == "reactivate").all()


#: RFC 3463 statuses whose subject is the recipient's address or mailbox: bad destination
#: mailbox, system, syntax; mailbox moved; null MX; mailbox disabled.
ADDRESS_STATUSES = ("5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10", "5.2.1")


@settings(deadline=None, max_examples=80)
@given(
    status=st.sampled_from(ADDRESS_STATUSES),
    reply=st.sampled_from(("550", "554", "553", "")),
    sender=st.sampled_from(SENDER_SIDE),
    storm=st.booleans(),
)
def test_an_address_status_under_a_5xx_reply_is_not_overruled_by_sender_words(
    status, reply, sender, storm
):
    """The status says the mailbox is bad, the words a sender-side cause: the evidence is
    mixed, so a person decides (never ``reactivate``, in a storm or alone)."""
    text = f"{reply} {status} {sender}".strip()
    sup, bounces = _storm(text, size=60 if storm else 1)
    first = remediation_candidates(sup, bounces=bounces).iloc[0]
    assert first["verdict"] in ("keep", "review"), (text, first["verdict"], first["evidence"])
    if first["verdict"] == "review":
        assert status in first["evidence"], first["evidence"]


@pytest.mark.parametrize(
    "text",
    [
        "550 5.2.1 Mailbox <p0@yahoo.com> disabled; too many connections",
        "550 5.1.1 Mailbox <p1@yahoo.com> unknown (rate limited)",
        "550 5.1.1 Recipient p2@yahoo.com unknown. Message rejected due to SPF failure",
        "550 5.1.1 Mailbox <x@example.org> unknown; DKIM signature invalid",
        "550 mailbox x@example.org: DISABLED",
        "450 4.1.1 User <x@example.org> unknown",
        "450 4.1.1 <x@example.org>: unknown",
        "451 4.1.1 Recipient x@example.org unknown, try again later",
        "452 4.2.1 Mailbox <x@example.org> disabled",
        "450 4.2.1 Mailbox x@example.org inactive",
        "450 User <x@example.org> unknown",
    ],
)
def test_the_reviewers_texts_are_kept(text):
    sup, bounces = _storm(text)
    first = remediation_candidates(sup, bounces=bounces).iloc[0]
    assert first["verdict"] == "keep", (first["cause"], first["evidence"])
    assert "storm" not in first["evidence"]


@pytest.mark.parametrize(
    "text",
    [
        "450 4.1.8 <news@example.com>: Sender address rejected: Domain not found",
        "553 5.1.8 <root@host.example>... Domain of sender address root@host.example does "
        "not exist",
        "550 5.7.1 Sender <news@example.com> unknown",
    ],
)
def test_the_senders_own_address_refused_is_not_read_as_the_recipients(text):
    assert triage(pd.Series([text]))["reason"].iloc[0] == "rejected"
