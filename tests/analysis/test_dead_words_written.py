"""Dead words are read however the server spaced, folded or worded them (issue 33, twelfth
review, A1): "User  unknown" with two spaces, a tab, a no-break space or a folded DSN line
was put back beside a rate (58 of 60 phrases), and with nothing else said too; so were
an address noun in the tables' languages ("La dirección no existe"), a key and its value
("recipient: disabled"), a quoted "550 5.1.1" inside a 421, Postfix's "undeliverable
address" and a person gone said a little otherwise ("has left the company")."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.triage import ADDRESS_REASONS, triage

from .test_unread_words import STORM, _judge, _storm, never_put_back

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

#: Dead-mailbox phrases the tables read as written, one space between words.
DEAD = (
    "User unknown",
    "No such user",
    "recipient not found",
    "Recipient address rejected: User unknown in local recipient table",
    "mailbox does not exist",
    "account terminated",
    "mailbox has been terminated",
    "this account has been disabled or discontinued",
    "recipient has left the company",
    "this person is no longer with the organization",
    "Mailbox disabled",
    "unknown recipient",
)
#: What servers put between words: spaces doubled, a tab, a no-break space (typed, or as
#: HTML and quoted-printable give it), a line folded as a DSN folds it, thin spaces.
GAPS = ("  ", "\t", "\u00a0", "\r\n ", "\r\n\t", " \u00a0 ", "\u2009", "\u3000", "&nbsp;")


@st.composite
def spaced(draw: st.DrawFn) -> str:
    words = draw(st.sampled_from(DEAD)).split(" ")
    gaps = [draw(st.sampled_from((" ", *GAPS))) for _ in words[1:]]
    text = words[0] + "".join(g + w for g, w in zip(gaps, words[1:], strict=True))
    return draw(st.sampled_from((text, text.upper())))


@settings(deadline=None, max_examples=80)
@given(dead=spaced(), place=st.sampled_from(("{storm}; {x}", "{storm}, {x}", "{x} / {storm}")))
def test_dead_words_however_spaced_beside_a_passing_cause_are_never_put_back(dead, place):
    own = place.format(storm=STORM, x=dead)
    row = _judge(*_storm(own)).iloc[0]
    assert row["verdict"] != "reactivate", (own, row["cause"], row["evidence"])


@settings(deadline=None, max_examples=60)
@given(dead=spaced(), reply=st.sampled_from(("450 4.1.1 ", "450 ", "451 4.3.0 ", "550 5.1.1 ")))
def test_dead_words_however_spaced_are_read_alone(dead, reply):
    """Nothing else said: the words, not the spacing, decide."""
    reason = str(triage(pd.Series([reply + dead], name="message"))["reason"].iloc[0])
    assert reason in ADDRESS_REASONS, (reply + dead, reason)


@pytest.mark.parametrize(
    "x",
    [  # the twelfth review's texts (A1-3, A1-6 to A1-10)
        "La dirección no existe",
        "L'indirizzo non esiste",
        "Die Adresse existiert nicht",
        "Dit adres bestaat niet",
        "Endereço inexistente",
        "Boîte introuvable",
        "user\u2010unknown",
        "user\u2013unknown",
        "u-s-e-r u-n-k-n-o-w-n",
        "U.s.e.r u.n.k.n.o.w.n",
        "mailbox is permanently unavailable",
        "this address does not receive mail",
        "recipient: nonexistent",
        "recipient: invalid",
        "recipient: disabled",
        "mailbox: gone",
        "user no existe",
        "550 5.1.1",
        "Status: 550 5.1.1",
        "Recipient address rejected: undeliverable address",
        "Adresse nicht gültig",
        "Benutzer ist nicht mehr vorhanden",
        "no longer employed here",
        "has left the company",
        "passed away",
        "deceased",
        "수신자 없음",
        "recipient not in directory",
        "The email address you entered couldn't be found",
        "mail box does not exist",
        "recipient no longer has a mailbox here",
        "this address isn't valid anymore",
        "<p0@web.example>: unknown",
        "user \u2014 unknown",
        "email address no existe",
    ],
)
def test_the_twelfth_reviews_texts_are_not_put_back(x):
    never_put_back(x, "{storm}; {x}", "{storm} ({x})")


@pytest.mark.parametrize(
    "text",
    [
        "450 4.1.1 User  unknown",
        "450 4.2.1 Mailbox  disabled",
        "451 4.3.0 Mailbox  does not exist",
        "450 User\tunknown",
        "450 4.1.1 <a0@yahoo.com>: Recipient address rejected: undeliverable address",
    ],
)
def test_a_4xx_saying_only_a_dead_mailbox_is_not_put_back(text):
    row = _judge(*_storm(text)).iloc[0]
    assert row["verdict"] != "reactivate", (text, row["cause"], row["evidence"])


@pytest.mark.parametrize(
    "own",
    [  # an IP address is the sender's: its words never make a recipient dead
        "450 4.7.1 Ihre IP-Adresse ist gesperrt, bitte später erneut versuchen",
        "421 4.7.0 Su dirección IP está bloqueada temporalmente",
        "421 4.7.0 Too many connections from your IP address, try again later",
    ],
)
def test_an_ip_address_is_no_mailbox(own):
    reason = str(triage(pd.Series([own], name="message"))["reason"].iloc[0])
    assert reason not in ADDRESS_REASONS, (own, reason)
