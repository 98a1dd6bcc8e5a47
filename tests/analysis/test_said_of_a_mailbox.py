"""A mailbox called moved, relocated, dead or no more in plain English under a 4xx, or any
short statement of a mailbox no phrase family reads ("Recipient address is not in the list
of valid recipients", "Mailbox busy"), is never put back by a storm (thirty-ninth review,
B2: each was judged ``reactivate`` on its 4xx; fortieth, B-1: nouns such as "email",
"username", "alias", "correo", "courriel"). A statement of a mailbox the families read
as a cause that passes (a full mailbox, a rate), or says it holds for a while ("mailbox
busy, try again"), still goes back with its storm (fortieth review, O-1 to O-6)."""

from __future__ import annotations

import pytest

from tests.analysis.storms import all_put_back, none_put_back

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

HELD = (
    "450 Mailbox moved", "450 4.1.0 Mailbox moved", "451 4.3.0 Mailbox moved",
    "451 4.3.0 User has relocated", "451 4.3.0 Mail box not exist", "451 4.3.0 Subscriber unknown",
    "451 4.3.0 Recipient address is not in the list of valid recipients",
    "451 4.3.0 Mailbox is dead", "451 4.3.0 The mailbox is no more",
    "451 4.3.0 Address rejected: unrouteable", "450 4.2.0 recipient deleted",
    "421 4.7.0 Too many connections; inbox unknown", "450 Mailbox vanished",
    "452 Your recipient's account is purged",
    # Fortieth review, B-1: nouns the tables did not name, in English and the languages.
    "450 email does not exist", "450 username unknown", "450 username disabled",
    "450 alias does not exist", "450 no such alias", "450 no such login", "450 login disabled",
    "450 email unknown", "450 email deleted", "450 email id invalid", "450 maildrop unknown",
    "450 member does not exist", "450 customer unknown", "450 person does not exist",
    "450 4.2.0 el correo no existe", "450 4.2.0 el correo electrónico no existe",
    "450 4.2.0 correo inexistente", "450 4.2.0 o email não existe",
    "450 4.2.0 l'email non esiste", "450 4.2.0 courriel inconnu",
    "421 4.7.0 Too many connections, el correo no existe",
    "451 4.7.1 Rate limit exceeded E-Mail existiert nicht",
    "451 4.7.1 Rate limit exceeded indirizzo non esistente",
    "451 4.7.1 Rate limit exceeded mail inesistente",
    "451 4.7.1 Rate limit exceeded e-mail bestaat niet",
    # Forty-first review: a dead word before the noun (B1), a name in brackets between
    # them (B3), an ASCII ellipsis (B4), a long clause (B6), more nouns (B7), Catalan,
    # Galician and Czech beside words the tables share (B8).
    "451 4.3.0 closed mailbox", "451 4.3.0 purged mailbox", "451 4.3.0 removed user",
    "451 4.3.0 retired address", "451 4.3.0 terminated account", "450 cancelled account",
    "452 4.2.2 decommissioned mailbox", "421 4.7.0 defunct address",
    "450 4.2.0 unregistered user", "451 unrecognized recipient",
    "451 4.3.0 user (jsmith) unknown", "451 4.3.0 Mailbox [jsmith] disabled",
    "451 4.3.0 account (ID 12345) closed",
    "421 4.7.0 Too many connections; user (jsmith) unknown",
    "451 4.3.0 user... unknown", "451 4.3.0 user ... unknown",
    "451 4.3.0 mailbox... does not exist",
    "451 4.3.0 The account you are trying to send your message to was closed by its owner last"
    " year",
    "451 4.3.0 The mailbox of the person you tried to reach with your message is dormant now",
    "451 4.3.0 local part does not exist", "451 4.3.0 mail id unknown",
    "451 4.7.1 The person you are trying to reach is no longer at this company",
    "451 4.3.0 L'usuari no existeix", "451 4.3.0 La bústia no existeix",
    "451 4.3.0 Usuari inexistent", "451 4.3.0 O enderezo non existe",
    "451 4.3.0 E-mail neexistuje", "421 4.7.0 Too many connections; L'usuari no existeix",
    # Forty-second review: a mailbox disabled for a while and to be deleted (B1), a mailbox
    # and its domain said together beside a rate or a block list (B2, cPanel's words), a
    # subject left out (B3), joined words (B4), more nouns (B5).
    "450 Account temporarily disabled, will be deleted",
    "450 4.2.1 Account temporarily disabled, will be deleted",
    "450 Account temporarily suspended; scheduled for closure",
    "450 Mailbox temporarily disabled and will be removed",
    "421 4.7.0 Too many connections; Mailbox temporarily disabled; it will be deleted tomorrow",
    "421 4.7.0 Too many connections; The account or domain may not exist",
    "450 The mail server could not deliver mail to t@web.example.  The account or domain may"
    " not exist, they may be blacklisted, or missing the proper dns entries.",
    "450 Too many connections, and does not exist",
    "450-4.2.1 The user you are trying to contact is receiving mail too quickly, and does not"
    " exist.",
    "450 user*unknown", "450 user~unknown", "450 nouser", "450 E_NOUSER",
    "450 Destination unknown", "450 4.2.1 Destination unknown", "450 Maildir does not exist",
    "450 Mail folder not found",
    # Forty-fourth review: a dead word alone after a reply code, in braces or brackets (B1);
    # a mailbox disabled for a while, then deleted (B2); a domain expired or parked (B3);
    # a mailbox blocked by its administrator, a recipient blacklisted (B4).
    "421 4.7.0 Too many connections; 550 unknown", "421 4.7.0 Too many connections; 550 closed",
    "421 4.7.0 Too many connections (dead)", "421 4.7.0 Too many connections {unknown}",
    "450 This mailbox was temporarily disabled and has now been deleted",
    "450 4.2.1 Mailbox temporarily disabled, now deleted",
    "450 4.2.1 Mailbox temporarily disabled. Purged.",
    "450 4.2.1 Mailbox temporarily disabled; closed", "550 Domain expired",
    "421 4.7.0 Too many connections; recipient domain has expired",
    "421 4.7.0 Too many connections; domain is parked", "550 Mailbox blocked by administrator",
    "451 4.7.1 Mailbox blocked by administrator", "550 Recipient is blacklisted",
)  # fmt: skip
PASSING = (
    "452 4.2.2 Mailbox full",
    "452-4.2.2 The recipient's inbox is out of storage space",
    "421 4.7.0 Too many connections; users over quota",
    "450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents"
    " additional messages from being delivered",
    "450 4.2.0 <a@x.com>: Recipient address rejected: Greylisted",
    "451 Mailbox temporarily disabled",
    "452 4.5.3 Too many recipients",
    "Your message cannot be delivered to the following recipients: Recipient address:"
    " a@mac.example Reason: Over quota",
    # Fortieth review, O-1 to O-6: ordinary passing causes the rule had held.
    "451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP"
    " reputation. For e-mail delivery information, see https://postmaster.live.com (S775)",
    "452 4.2.2 user has exceeded quota", "452 4.2.2 the user has exceeded the quota",
    "452 4.2.2 recipient has exceeded quota", "450 4.2.1 recipient deferred",
    "452 4.5.3 Too many recipients; Recipient <bob@web.example> deferred",
    "451 4.2.0 mailbox busy, try again", "450 mailbox in use, try later", "450 Mailbox busy",
    "451 4.3.0 the mail system is under maintenance", "452 boîte aux lettres pleine",
    # Forty-first review, O2 and O4: the sender's reverse DNS, a migration asked to retry.
    "451 4.7.1 Reverse DNS lookup failed for host 192.0.2.1: host not found",
    "421 4.7.1 Your IP 192.0.2.1 has no PTR record: host not found",
    "451 4.2.0 Mailbox is being migrated, try again later",
    "Your mail sent on: Thu, 29 Apr 2013 00:00:00 +0900 Could not be delivered to:"
    " <a@web.example> As their mailbox is full.",
    "5.7.322 certificate-expired: Destination mail server's certificate is expired.",
    "421 smtp.orange.fr [192.0.2.1] Emetteur invalide, Veuillez verifier la configuration"
    " SPF/DNS de votre nom de domaine. Invalid Sender. SPF check failed, please verify the"
    " SPF/DNS configuration for your domain name.",
    "450 4.2.1 Mailbox temporarily disabled, try again later",
)  # fmt: skip


def test_a_statement_of_a_mailbox_no_rule_reads_as_passing_is_never_put_back():
    none_put_back(HELD)


def test_a_mailbox_full_or_rated_still_goes_back_with_its_storm():
    all_put_back(PASSING)
