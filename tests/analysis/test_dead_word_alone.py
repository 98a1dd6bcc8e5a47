"""A dead word with no subject named is not a cause that passes (issue 33, twelfth review,
A1): "error: no existe", "status: inexistent", bare "nicht vergeben", "(RCPT: unknown)",
"refused permanently: gone" beside a rate were put back, as were "this mailbox is no longer
monitored" and "Mailbox full; account will be deleted". A server that says "does not exist"
of nothing named says it of the recipient it was asked for: mixed evidence, held."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.triage import ADDRESS_REASONS, triage

from .test_unread_words import STORM, _judge, _storm, never_put_back

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

#: Does-not-exist, unknown and disabled words of the languages the tables hold, and of
#: English, Chinese and Japanese, said of nothing.
PREDICATES = (
    "no existe", "inexistente", "desconocido", "não existe", "non esiste", "sconosciuto",
    "existiert nicht", "nicht vergeben", "unbekannt", "gelöscht", "n'existe pas",
    "introuvable", "inconnu", "bestaat niet", "onbekend", "unknown", "inexistent",
    "nonexistent", "does not exist", "not found", "gone", "deleted", "disabled",
    "deactivated", "不存在", "存在しません",
)  # fmt: skip
#: What a server writes before such a word: nothing, a key, a bracket.
KEYS = ("", "error: ", "status: ", "result=", "Error - ", "RCPT: ", "rcpt to: ")


@settings(deadline=None, max_examples=80)
@given(
    word=st.sampled_from(PREDICATES),
    key=st.sampled_from(KEYS),
    place=st.sampled_from(("{storm}; {x}", "{storm} ({x})", "{x}, {storm}", "{storm}: {x}")),
)
def test_a_dead_word_of_nothing_named_beside_a_passing_cause_is_never_put_back(word, key, place):
    own = place.format(storm=STORM, x=key + word)
    row = _judge(*_storm(own)).iloc[0]
    assert row["verdict"] != "reactivate", (own, row["cause"], row["evidence"])


@pytest.mark.parametrize(
    "x",
    [  # the twelfth review's texts still put back at its end
        "this mailbox is no longer monitored",
        "nicht vergeben",
        "error: no existe",
        "status: inexistent",
        "recipient rejected (RCPT: unknown)",
        "mail for this address is refused permanently: gone",
        "452 4.2.2 Mailbox full; account will be deleted",
        "address no longer used",
        "this account is no longer maintained",
        "account scheduled for deletion",
        "mailbox will be closed",
        "the mailbox is being deleted",
        "account pending deletion",
        "Status: 5.1.1",  # a DSN's field, qmail's code: an address-level status quoted
        "(#5.1.1)",
        "Action: failed; Status: 5.2.1",
    ],
)
def test_the_twelfth_reviews_last_texts_are_not_put_back(x):
    never_put_back(x, "{storm}; {x}", "{storm} ({x})")


@pytest.mark.parametrize(
    "text",
    [
        "550 5.2.1 This mailbox is no longer monitored",
        "550 5.1.1 RCPT TO: unknown",
        "550 5.2.1 Mailbox will be closed",
        "452 4.2.2 Mailbox full; account will be deleted",
    ],
)
def test_a_mailbox_left_or_closing_is_read_as_dead(text):
    reason = str(triage(pd.Series([text], name="message"))["reason"].iloc[0])
    assert reason in ADDRESS_REASONS, (text, reason)


@pytest.mark.parametrize(
    "own",
    [  # the sender's own, said with such words: the storm's cause, put back
        "421 4.7.0 Too many connections from your IP, try again later (reason: unknown)",
        "451 4.7.1 Your account will be suspended if you keep sending, try again later",
        "421 4.7.0 Too many connections from 10.5.1.1, try again later",
    ],
)
def test_a_dead_word_of_the_senders_own_does_not_hold(own):
    row = _judge(*_storm(own)).iloc[0]
    assert row["verdict"] == "reactivate", (own, row["cause"], row["evidence"])


@pytest.mark.parametrize(
    "own",
    [  # real refusals with a token, a contraction or a URL's words: their storm's cause
        "421-4.7.0 Try again later, closing connection. (EHLO) - gsmtp",
        "421 RP-001 (COL004-MC1F9) Unfortunately, some messages from 192.0.2.1 weren't sent. "
        "Please try again. We have limits for how many messages can be sent per hour and per day.",
        "451 spam message rejected. Please visit http://help.mail.ru/notspam-support/id?c=abc "
        "or report details to abuse@corp.mail.ru. Error code: 12345",
    ],
)
def test_a_token_a_contraction_or_a_urls_words_do_not_hold(own):
    row = _judge(*_storm(own, rest=own)).iloc[0]
    assert row["verdict"] == "reactivate", (own, row["cause"], row["evidence"])


def test_a_short_clause_of_other_words_is_held():
    row = _judge(*_storm(f"{STORM}; ne postoji")).iloc[0]
    assert row["verdict"] == "review" and row["cause"] == "unread", (row["cause"], row["evidence"])
