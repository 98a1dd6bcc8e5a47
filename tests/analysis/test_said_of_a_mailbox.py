"""A mailbox called moved, relocated, dead or no more in plain English under a 4xx, or any
short statement of a mailbox no phrase family reads ("Recipient address is not in the list
of valid recipients", "Mailbox busy"), is never put back by a storm (thirty-ninth review,
B2: each was judged ``reactivate`` on its 4xx). A statement of a mailbox the families read
as a cause that passes (a full mailbox, a rate) still goes back with its storm."""

from __future__ import annotations

import pytest

from tests.analysis.storms import judged_targets

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

RATE = "421 4.7.0 [TSS04] Messages from 192.0.2.9 temporarily deferred due to unexpected volume"
HELD = (
    "450 Mailbox moved", "450 4.1.0 Mailbox moved", "451 4.3.0 Mailbox moved",
    "451 4.3.0 User has relocated", "451 4.3.0 Mail box not exist", "451 4.3.0 Subscriber unknown",
    "451 4.3.0 Recipient address is not in the list of valid recipients",
    "451 4.3.0 Mailbox is dead", "451 4.3.0 The mailbox is no more",
    "451 4.3.0 Address rejected: unrouteable", "450 4.2.0 recipient deleted",
    "421 4.7.0 Too many connections; inbox unknown", "450 Mailbox busy",
    "452 Your recipient's account is purged",
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
)


def test_a_statement_of_a_mailbox_no_rule_reads_as_passing_is_never_put_back():
    out = judged_targets(list(HELD), RATE, domain="web.example")
    targets = out.iloc[: len(HELD)].assign(text=HELD)
    put_back = targets[targets["verdict"] == "reactivate"]
    assert put_back.empty, put_back[["text", "cause", "evidence"]].to_string()
    assert (out["verdict"].iloc[len(HELD) :] == "reactivate").all()


def test_a_mailbox_full_or_rated_still_goes_back_with_its_storm():
    out = judged_targets(list(PASSING), RATE, domain="web.example")
    targets = out.iloc[: len(PASSING)].assign(text=PASSING)
    held = targets[targets["verdict"] != "reactivate"]
    assert held.empty, held[["text", "cause", "evidence"]].to_string()
