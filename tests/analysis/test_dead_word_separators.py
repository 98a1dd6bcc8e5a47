"""A dead word said of the recipient however the clause is set off (forty-fourth to
forty-sixth reviews): on a line of its own, as a quoted value, after the recipient's own
address or local part, with a verb or a hedge, or beside a passing state the text then
calls permanent.

Each text below says the recipient cannot receive beside a cause that passes; none may be
put back, whatever the storm beside it. The passing texts of real servers, on several
lines, must still go back with theirs.
"""

from __future__ import annotations

import pytest

from tests.analysis.storms import all_put_back, none_put_back

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

HELD = (
    # A line of its own, with or without a reply code.
    "421 4.7.0 Too many connections\n550 unknown", "421 4.7.0 Too many connections\nnot found",
    "421 4.7.0 Too many connections\n----- t29@web.example -----\n550 unknown",
    "452 4.2.2 Over quota\r\n551 does not exist",
    # A quoted value, a key's value after the recipient's own address.
    '421 4.7.0 Too many connections {"user": "unknown"}',
    "421 4.7.0 Too many connections {'mailbox': 'inactive'}",
    "421 4.7.0 Too many connections for t10@web.example: unknown",
    "421 4.7.0 Too many connections {t31@web.example: unknown}",
    # Moved and unroutable alone; the recipient refused.
    "421 4.7.0 Too many connections; moved", "421 4.7.0 Too many connections; unrouteable",
    "421 4.7.0 Too many connections; relocated",
    "421 4.7.0 Too many connections; recipient rejected",
    # A local part, or any name, called dead.
    "421 4.7.0 Too many connections; t18 not found",
    "452 4.2.2 Over quota; jdoe99 does not exist",
    "450 4.1.8 Sender address rejected: Domain not found and t29 unknown",
    "450 4.1.8 Sender address rejected: Domain not found; t30 unknown",
    # No longer, or never, one of the server's.
    "421 4.7.0 Too many connections; not a customer here",
    "421 4.7.0 Too many connections; no longer a subscriber",
    "452 4.2.2 Over quota; not a user of this system",
    # A passing state the text calls permanent.
    "450 4.2.1 Mailbox temporarily disabled - permanently",
    "450 4.2.1 Mailbox temporarily disabled (actually permanently)",
    "450 4.2.1 Mailbox temporarily disabled; will never return",
    "450 Mailbox locked and will not be reopened", "450 Mailbox locked; expired",
    "450 4.2.1 Mailbox temporarily disabled; afterwards removed",
    "450 Mailbox temporarily disabled for the last 3 years, considered abandoned",
    # Forty-fifth review: a local part with a verb or a hedge (B1), after "which" or "who"
    # (B2), after a sender's refusal (B3), a dead word before its noun (B4), a passing state
    # then called deleted or permanent (B5), a service ended, a recipient not valid (B6).
    "421 4.7.0 Too many connections; t0 has been deleted",
    "421 4.7.0 Too many connections; t0 is gone",
    "421 4.7.0 Too many connections; john.smith has been deleted",
    "421 4.7.0 Too many connections; t0 was deleted by the administrator",
    "421 4.7.0 Too many connections\nt0 has been deleted",
    "421 4.7.0 Too many connections (t0 has been deleted)",
    "421 4.7.0 Too many connections; T0 HAS BEEN DELETED",
    "421 4.7.0 Too many connections; t0 may not exist",
    "421 4.7.0 Too many connections; t0 probably doesn't exist",
    "421 4.7.0 Too many connections; t0 doesn\u2019t exist here",
    "421 4.7.0 Too many connections; t0 is unable to receive mail",
    "421 4.7.0 Too many connections for t0@web.example which does not exist",
    "450 4.1.8 Sender address rejected: Domain not found for t0@web.example which is disabled",
    "450 4.1.8 Sender address rejected: rate limit exceeded for t0 who is unknown",
    "450 4.1.8 Sender address rejected: Domain not found; note t0 is unknown",
    "421 4.7.0 Too many connections; inexistent recipients",
    "421 4.7.0 Too many connections; non existing recipient",
    "421 4.7.0 Too many connections; unused address",
    "452 4.2.2 Mailbox temporarily disabled; now permanently disabled",
    "450 4.2.1 The mailbox is temporarily disabled. It was then deleted.",
    "450 4.2.1 Mailbox temporarily disabled; permanent",
    "450 4.2.1 Mailbox temporarily disabled. Deletion pending.",
    "450 4.2.1 Mailbox temporarily disabled. The disablement is permanent.",
    "450 4.2.1 Mailbox temporarily disabled, but deleted since",
    "421 4.7.0 Too many connections; service terminated for this customer",
    "421 4.7.0 Too many connections; t0@web.example isn't valid",
    # Forty-sixth review: a 5xx reply quoted on a line of its own (B1); the person left,
    # someone deleted the mailbox, gone for good, died (B2 to B5).
    "421 4.7.0 Too many connections from your IP, try again later\n550 5.1.1",
    "421 4.7.0 Too many connections\r\n550 5.5.0 Requested action not taken: mailbox unavailable",
    "451 4.7.650 The mail server [192.0.2.10] has been temporarily rate limited due to IP"
    " reputation.\n550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302).",
    "421 4.7.0 Too many connections; t0 left the company", "421 Too many connections; t0 has left",
    "421 Too many connections; t0 is no longer with x.com",
    "421 4.7.0 Too many connections; t0 no longer works at x.com",
    "421 4.7.0 Too many connections; The owner deleted this mailbox",
    "421 4.7.0 Too many connections; The user you are trying to reach has deleted their account",
    "421 Too many connections; Mailbox locked permanently",
    "421 4.7.0 Too many connections; the mailbox has been permanently shut down",
    "421 4.7.0 Too many connections; the person has died",
    # Forty-seventh review: a dead word alone on the next line of the same reply.
    "421-4.7.0 Too many connections, try again later\n421 4.7.0 unknown",
    "421-4.7.0 Too many connections, try again later\r\n421 4.7.0 deleted",
    "421-4.7.0 Too many connections, try again later\n421-4.7.0 Purged.",
    "421-4.7.0 Too many connections, try again later\n421-4.7.0 now deleted",
    "421-4.7.0 Too many connections, try again later\n421-4.7.0 no existe",
    "421-4.7.0 Too many connections, try again later\n421-4.7.0 unknown\n421 4.7.0 a1si - gsmtp",
    "421-4.7.0 Too many connections, try again later\n421 4.7.0 cannot receive mail",
    "421-Too many connections, try again later\n421 inexistent",
    # The lines of one reply read as one sentence still end the sender's clause.
    "450-4.1.8 <a@x.com>: Sender address rejected: Domain not found\n450 4.1.8 User unknown",
)  # fmt: skip
PASSING = (
    "421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of\n421-4.7.28 unsolicited"
    " mail originating from your IP address. To protect our users from\n421 4.7.28 spam, mail"
    " sent from your IP address has been temporarily rate limited. gsmtp",
    "451 4.7.1 Greylisting in action, please come back later\n(in reply to RCPT TO command)",
    "452 4.2.2 Mailbox full; try again later",
    "421 4.7.0 Too many connections from your IP\n421 try again later",
    "451 Temporary local problem - please try later; cause unknown",
    "450 4.2.1 Mailbox temporarily disabled, try again later",
    # Forty-fifth review: what a server says of its own connection or session.
    "421 4.7.0 Too many connections; connection closed", "451 4.4.2 Timeout; session expired",
    "421 4.7.0 [TSS04] Messages from 192.0.2.9 temporarily deferred due to user complaints",
    "550 5.7.1 [CS01] Message rejected due to local policy, try again later",
    "451 4.7.500 Server busy. Please try again later. [BN1NAM02FT053.eop-nam02.prod]",
    # Forty-sixth review: Microsoft's full mailbox "now" (O2); Postfix's client with no
    # reverse DNS, "unknown[IP]" (O3).
    "552 5.2.2 The recipient's mailbox is full and can't accept messages now.",
    "The recipient's mailbox is full and can't accept messages now. Please try resending"
    " your message later, or contact the recipient directly.",
    "450 4.7.1 <unknown[192.0.2.10]>: Client host rejected: Try again later",
    "421 4.7.0 unknown[192.0.2.10]: too many connections, try again later",
    # Gmail's over-quota reply, broken mid-sentence over lines of one reply (O1).
    "452-4.2.2 The email account that you tried to reach is over quota. Please direct\n452-4.2.2"
    " the recipient to\n452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp",
    "552-5.2.2 The email account that you tried to reach is over quota. Please direct\n552-5.2.2"
    " the recipient to\n552 5.2.2  https://support.google.com/mail/?p=OverQuotaPerm x.410 - gsmtp",
    "452-4.2.2 The recipient's inbox is out of storage space. Please direct the\n452-4.2.2"
    " recipient to\n452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp",
)  # fmt: skip


def test_a_dead_word_set_off_any_way_is_never_put_back():
    none_put_back(HELD)


def test_passing_texts_on_several_lines_still_go_back_with_their_storm():
    all_put_back(PASSING)
