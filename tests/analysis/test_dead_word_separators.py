"""A dead word said of the recipient however the clause is set off (forty-fourth review,
still put back at its end): on a line of its own, as a quoted value, after the recipient's
own address or local part, or beside a passing state the text then calls permanent.

Each text below says the recipient cannot receive beside a cause that passes; none may be
put back, whatever the storm beside it. The passing texts of real servers, on several
lines, must still go back with theirs.
"""

from __future__ import annotations

import pytest

from tests.analysis.storms import beside_a_storm, shown

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
)  # fmt: skip


def test_a_dead_word_set_off_any_way_is_never_put_back():
    targets = beside_a_storm(HELD)
    put_back = targets[targets["verdict"] == "reactivate"]
    assert put_back.empty, shown(put_back)


def test_passing_texts_on_several_lines_still_go_back_with_their_storm():
    targets = beside_a_storm(PASSING)
    held = targets[targets["verdict"] != "reactivate"]
    assert held.empty, shown(held)
