"""Microsoft's and Google's notices of an address not found, a past perfect, a mailbox that
ceased to exist, the same notices in the tables' languages, a Cyrillic look-alike letter in
a mailbox noun: each was put back beside a rate (issue 33, fourteenth review, A1-14a to e);
and a mailbox locked or a server not accepting mail "right now" is held no longer."""

from __future__ import annotations

import pytest

from .test_unread_words import _judge, _storm, never_put_back

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]


@pytest.mark.parametrize(
    "x",
    [
        "Your message to bob@yahoo.com couldn't be delivered. bob wasn't found at yahoo.com.",
        "Your message wasn't delivered to bob@yahoo.com because the address couldn't be found, "
        "or is unable to receive mail.",
        "Your message couldn't be delivered because the recipient's email address wasn't found",
        "The email address couldn't be found.",
        "We couldn't find the recipient",
        "The mailbox you tried to reach is unable to receive mail",
        "Recipient cannot receive mail",
        "the account had been deleted",
        "the mailbox had been disabled",
        "the mailbox has ceased to exist",
        "is not an existing account",
        "Dead mailbox",
        "this user is no longer here",
        "Error: no valid recipients",
        "Votre message à bob@yahoo.com n'a pas pu être remis. bob est introuvable sur yahoo.com.",
        "Tu mensaje no se ha entregado a bob@yahoo.com porque no se ha encontrado la dirección "
        "o no puede recibir correo.",
        "M\u0430ilbox does not exist",  # a Cyrillic a
        "\u0415rror: Us\u0435r unknown",
        # the fifteenth review's (W-15c)
        "Domain example.com does not accept mail (nullMX)",
        "556 Recipient domain does not accept mail",
        "domain has a null MX",
        "bob does not have a mailbox here.",
        "does not have an account here",
    ],
)
def test_the_fourteenth_reviews_texts_are_not_put_back(x):
    never_put_back(x, "{storm}; {x}", "{x} ({storm})")


@pytest.mark.parametrize(
    "own",
    [
        "450 4.2.0 Mailbox locked, try again later",
        "451 4.3.2 Recipient server is not accepting mail for this user right now, please try "
        "again later",
        "451 4.3.0 Mailbox database is offline, try again later",
    ],
)
def test_a_mailbox_away_for_now_goes_back_with_its_storm(own):
    row = _judge(*_storm(own, rest=own, typed=True)).iloc[0]
    assert row["verdict"] == "reactivate", (own, row["cause"], row["evidence"])


def test_an_addressee_after_an_ip_over_a_line_break_is_still_the_recipient():
    """A line break read as a space joined "from this IP\\nAddressee ... unknown" into an IP
    address's noun, and the dead mailbox was no longer read as the row's own (the
    oldest-versions step's Hypothesis example)."""
    text = (
        "550 5.1.1 421 too many concurrent SMTP connections from this IP\n"
        "Addressee x@example.org unknown"
    )
    row = _judge(*_storm(text, size=1)).iloc[0]
    assert row["verdict"] == "keep", (row["cause"], row["evidence"])
