"""Dead words beside a passing cause are held wherever they stand and however they are
written (issue 33, eleventh review, A1): the tenth review's fix read a clause only between
semicolons, full stops and line breaks, so "..., Konto nie istnieje", "(Okänd mottagare)", a
clause first ("Konto nie istnieje / Too many connections"), RFC 2047 words, Latin-1
quoted-printable, URL and JSON escapes, joined tokens ("NoSuchUser", "mailbox_not_found",
"userunknown"), letters spaced out and plain English ("This person no longer works here")
were put back by a storm."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.remediation import remediation_candidates
from mmframe.analysis.triage import triage

from .test_unread_words import STORM, _judge, _storm, foreign_clauses

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

#: How a clause may stand beside the storm's words: after a comma, a colon, a slash, in
#: brackets, or first.
PLACES = (
    "{storm}, {x}",
    "{storm}: {x}",
    "{storm} ({x})",
    "{storm} [{x}]",
    "{storm} / {x}",
    "421 4.7.0 {x} / {storm}",
    "421 4.7.0 {x}, {storm}",
)


@settings(deadline=None, max_examples=80)
@given(clause=foreign_clauses(), place=st.sampled_from(PLACES))
def test_an_unread_clause_is_held_wherever_it_stands(clause, place):
    own = place.format(storm=STORM, x=clause)
    out = _judge(*_storm(own))
    row = out.iloc[0]
    assert row["verdict"] == "review", (own, row["verdict"], row["cause"], row["evidence"])
    assert (out["verdict"].iloc[1:] == "reactivate").all()  # the storm itself is put back


NOUNS = ("user", "mailbox", "recipient", "account", "address")
PREDICATES = (("unknown",), ("not", "found"), ("disabled",), ("invalid",), ("does", "not", "exist"))


@st.composite
def joined_tokens(draw: st.DrawFn) -> str:
    """A mailbox noun and what is said of it, written as one token, as servers and MTAs'
    error names write them: camel case, snake case, kebab case, dotted, glued, in capitals;
    the predicate after the noun or before it ("NoSuchUser", "InvalidRecipient")."""
    noun = draw(st.sampled_from(NOUNS))
    words = [noun, *draw(st.sampled_from(PREDICATES))]
    if draw(st.booleans()):
        words = [*draw(st.sampled_from((("no", "such"), ("invalid",), ("unknown",)))), noun]
    how = draw(st.sampled_from(("camel", "snake", "kebab", "dot", "glued", "upper")))
    if how == "camel":
        return "".join(w.capitalize() for w in words)
    if how == "snake":
        return "_".join(words)
    if how == "kebab":
        return "-".join(words)
    if how == "dot":
        return ".".join(words)
    if how == "upper":
        return "_".join(words).upper()
    return "".join(words)


@settings(deadline=None, max_examples=80)
@given(token=joined_tokens(), place=st.sampled_from(("{storm}; {x}", *PLACES)))
def test_a_joined_token_of_a_dead_mailbox_is_never_put_back(token, place):
    own = place.format(storm=STORM, x=token)
    row = _judge(*_storm(own)).iloc[0]
    assert row["verdict"] != "reactivate", (own, row["cause"], row["evidence"])


@pytest.mark.parametrize(
    "x",
    [  # the eleventh review's texts (A1), beside the storm's words in each place
        "Konto nie istnieje",
        "KONTO_NIE_ISTNIEJE",
        "Konto-nie-istnieje",
        "=?ISO-8859-2?Q?Konto_nie_istnieje?=",
        "=?UTF-8?Q?Empf=C3=A4nger_unbekannt?=",
        "=?UTF-8?B?RW1wZsOkbmdlciB1bmJla2FubnQ=?=",
        "Empf=E4nger unbekannt",
        "Bo=EEte aux lettres inexistante",
        "Empf%C3%A4nger unbekannt",
        "Empf\\u00e4nger unbekannt",
        "NoSuchUser",
        "no-such-user",
        "mailbox_not_found",
        "MailboxNotFound",
        "UnknownRecipient",
        "InvalidRecipient",
        "NoSuchMailbox",
        "user.unknown",
        "userunknown",
        "u s e r  u n k n o w n",
        "U s e r   u n k n o w n",
        "Adresse ungültig",
        "Die Adresse ist ungültig",
        "Diese E-Mail-Adresse ist nicht vergeben",
        "This person no longer works here",
        "Nobody here by that name",
        "recipient is deceased",
        "address discontinued",
        "The mailbox you tried to reach has been shut down",
        "The account is dormant",
        "mailbox gone",
        "User nieznany",
        "Account nieaktywne",
        "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302)",
    ],
)
@pytest.mark.parametrize("place", ["{storm}, {x}", "{storm} ({x})", "421 4.7.0 {x} / {storm}"])
def test_the_eleventh_reviews_texts_are_not_put_back(x, place):
    own = place.format(storm=STORM, x=x)
    row = _judge(*_storm(own)).iloc[0]
    assert row["verdict"] != "reactivate", (own, row["cause"], row["evidence"])


@pytest.mark.parametrize(
    "x",
    ["NoSuchUser", "Die Adresse ist ungültig", "u s e r  u n k n o w n", "Konto nie istnieje"],
)
def test_on_another_accounts_hard_bounce_too(x):
    """Another account's hard bounce of a block list beside the dead words holds the row."""
    sup, bounces = _storm(STORM)
    other = pd.DataFrame({"account": "shop@example.com", "email": ["p0@web.example"],
                          "domain": "web.example",
                          "bounced_at": [pd.Timestamp("2026-10-01T10:00:00Z")],
                          "message": [f"550 5.7.1 Blocked by SpamCop; {x}"]})  # fmt: skip
    out = remediation_candidates(sup, bounces=pd.concat([bounces, other], ignore_index=True))
    assert out["verdict"].iloc[0] != "reactivate", (out["cause"].iloc[0], out["evidence"].iloc[0])


@pytest.mark.parametrize(
    "own",
    [  # real sender-side refusals the rule must not hold for words it cannot read (A3)
        "550 5.7.0 Local Policy Violation - AntiSpam CMAE-2.0.0 iprep [203.0.113.5]",
        "421 Kontingent überschritten / Quota exceeded, try again later",
        "421 4.7.0 Too many connections, Message-ID <a1b2@example.com>, try again later",
        "421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred due to unexpected "
        "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
        "451 4.7.500 Server busy. Please try again later from [203.0.113.5]. (AS843) "
        "SuspiciousRemoteServerError",
    ],
)
def test_sender_side_refusals_in_mail_jargon_are_read(own):
    """Mail's jargon ("AntiSpam", "iprep") is no clause triage cannot read: a 4xx refusal of
    the sender is put back with its storm, a 5xx one judged by its own cause."""
    row = _judge(*_storm(own)).iloc[0]
    assert row["cause"] != "unread", row["evidence"]
    if own.startswith("4"):
        assert row["verdict"] == "reactivate", (row["cause"], row["evidence"])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("451 4.4.1 Connection timed out (SuspiciousRemoteServerError)", "networkerror"),
        ("450 Could not connect: lost connection (SuspiciousRemoteServerError)", "networkerror"),
        ("550 5.1.1 NoSuchUser", "userunknown"),
        ("550 RecipientNotFound", "userunknown"),
    ],
)
def test_the_prose_decides_before_a_joined_token(text, reason):
    """An error name ("SuspiciousRemoteServerError") read as words would be spam's: the
    prose decides first, and a token read as words decides only where the prose is silent."""
    assert str(triage(pd.Series([text], name="message"))["reason"].iloc[0]) == reason
