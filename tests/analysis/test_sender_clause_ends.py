"""The recipient's dead words after the sender's clause, however they are joined to it
("&", "plus", "also", "as well as", "nor", a comma before "the rcpt", another script, or
nothing at all), hold the row: the sender's clause says one thing of the sender, and a
second statement that an address cannot receive is another's (thirty-ninth review, B3: a
storm of each was put back). The sender's refusal alone still goes back with its storm."""

from __future__ import annotations

import pytest

from tests.analysis.storms import judged_targets, none_put_back

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

S = "450 4.1.8 Sender address rejected: Domain not found"
HELD = (
    S + ", the rcpt is unknown", S + " & user unknown", S + " plus mailbox does not exist",
    S + " as well as mailbox does not exist", S + " also user unknown",
    S + " nor does the mailbox exist", S + " 用户不存在", S + " user unknown",
    S + " / mailbox disabled", S + " then recipient not found", S + ' "user unknown"',
    S + " >> user unknown", S + " : user unknown",
    "450 4.1.8 Sender address rejected: user unknown (also for recipient)",
    "450 4.1.8 Sender address rejected: mailbox does not exist. Recipient too.",
    # Fortieth review, B-2: the recipient's own address, a noun opening its own statement,
    # the recipient's word in the tables' languages, a plural.
    S + " <t000@web.example> does not exist", S + " t001@web.example unknown",
    "450 4.1.7 sender verify failed <t002@web.example> does not exist",
    "450 4.1.7 sender verify failed the user you are sending to does not exist",
    "450 4.1.7 sender verify failed target mailbox does not exist",
    "450 4.1.7 sender verify failed Empfänger unbekannt",
    "450 4.1.7 sender verify failed destinatario desconocido",
    "450 4.1.7 sender verify failed destinataire inconnu",
    "450 4.1.7 sender verify failed ontvanger onbekend",
    "450 4.1.7 sender verify failed usuario no existe",
    S + " user does not exist", S + " mailboxes do not exist", S + " users unknown",
    "450 4.1.7 Sender address rejected: unverified address users unknown",
    # Forty-first review, B2: the recipient's statement opening with its predicate.
    *(
        f"450 4.1.8 <news@x.example>: {S[10:]} {said}"
        for said in (
            "no such user", "unknown user", "unknown recipient", "invalid recipient",
            "nonexistent user", "deleted mailbox", "disabled account", "closed account",
            "dead mailbox", "there is no such user", "not a valid recipient", "NoSuchUser",
            "<a@web.example> no such user",
        )
    ),
    "451 4.1.8 Sender verify failed no such user",
    "451 4.1.8 Sender verify failed invalid recipient",
    # Forty-third review: a sender word beside the recipient's dead words, which a reading
    # of them as the sender's own refusal put back (that reading was withdrawn).
    "550 Sender OK: user unknown", "550 Sender accepted: mailbox does not exist",
    "550 sender verified: unknown local part", "550 Sender OK :: user unknown",
    "Your message to t000@web.example from sender news@x.example: user unknown",
    "550 Mail from sender <news@x.example>: mailbox does not exist",
    "550 Envelope sender news@x.example: user unknown",
    "Delivery to t000@web.example failed (sender news@x.example): User unknown",
    "550 Sender news@x.example: <t000@web.example> user unknown",
    "550 Sender news@x.example: addressee unknown", "Sender news@x.example user unknown",
    "550 Sender news@x.example: usuario no existe",
    "550 Sender news@x.example: Benutzer unbekannt",
    # A dead statement on the line before the sender's (the sender's adjective is on its
    # own line only: "Invalid Sender."); a property of test_sender_own_refusals found it.
    "User unknown\n450 4.1.8 <news@n.acme.io>: Sender address rejected: Domain not found",
    "Recipient <t002@web.example> unknown Sender address rejected: User unknown in local"
    " recipient table",
    # Forty-fourth review, B5.
    S + " <t001@web.example> closed", S + "; closed", S + "; 550 unknown",
)  # fmt: skip
SENDERS = (
    S, S + " (in reply to RCPT TO command)", "450 4.1.8 <s@x.example>: " + S[10:],
    "550 5.1.7 Invalid sender address: mailbox does not exist",
    "450 4.1.7 <s@x.example>: Sender address rejected: User unknown in local recipient table",
    "451 Your sender's mailbox is disabled",
    "553 5.7.1 <s@x.example>: Sender address rejected: not owned by user jdoe@x.example",
)  # fmt: skip


def test_the_recipient_called_dead_after_the_senders_clause_is_held():
    none_put_back(HELD)


@pytest.mark.parametrize("text", SENDERS)
def test_a_storm_of_the_senders_refusal_alone_goes_back(text):
    out = judged_targets([], text, domain="web.example")
    assert (out["verdict"] == "reactivate").all(), out["evidence"].iloc[0]
