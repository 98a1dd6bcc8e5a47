"""A dead mailbox on the line after the sender's clause, or beside a rate, is still the
recipient's (thirty-seventh review, 3): "451 4.7.1 <news@x>: Sender address rejected:
Greylisted\\n550 5.1.1 <a@x>: User unknown" was reactivated (the address between them
took the line break with it, so the sender's clause ran on over "User unknown"), and so
was "421 4.7.28 rate limited; recipient mailbox deleted" (a mailbox "deleted" was not
read, though the guide says it is dead)."""

from __future__ import annotations

import pandas as pd
import pytest

from mmframe.analysis.triage import ADDRESS_REASONS, triage
from tests.analysis.storms import judged_storm

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

RATE = "421-4.7.28 Our system has detected an unusual rate of unsolicited mail"
SENDERS = (
    "451 4.7.1 <news@acme.example>: Sender address rejected: Greylisted",
    "553 5.7.1 <news@acme.example>: Sender address rejected: not owned by user news@acme.example",
    "450 4.1.8 <news@acme.example>: Sender address rejected: Domain not found",
)
DEAD_LINES = (
    "550 5.1.1 <{e}>: User unknown",
    "550 5.1.1 <{e}>: Recipient address rejected: User unknown in virtual mailbox table",
    "550-5.1.1 The email account that you tried to reach does not exist",
    "550 <{e}> mailbox deleted",
)
#: The recipient named on the sender's clause's own line (thirty-eighth review, B1): an
#: address opening a statement ("<a@x>: User unknown"), an address and a mailbox noun,
#: a double dash set off by blanks, a folded line.
SAME_LINE = (
    " <{e}>: User unknown",
    " <{e}> mailbox disabled",
    " -- User unknown",
    "\r\n User unknown",
    "\n\tUser unknown",
)
BESIDE_A_RATE = (
    "421 4.7.28 rate limited; recipient mailbox deleted",
    "421 4.7.0 too many connections; mailbox removed",
    "451 4.7.1 Greylisted, try again later; account deleted",
)


def _own_bounce_in_a_storm(text: str) -> pd.DataFrame:
    return judged_storm(text, RATE, domain="gmail.com")


@pytest.mark.parametrize("dead", DEAD_LINES)
@pytest.mark.parametrize("sender", SENDERS)
def test_a_dead_mailbox_on_the_line_after_the_senders_clause_is_never_put_back(sender, dead):
    out = _own_bounce_in_a_storm(f"{sender}\n{dead}")
    first = out.iloc[0]
    assert first["verdict"] != "reactivate", first["evidence"]
    assert (out["verdict"].iloc[1:] == "reactivate").all()


@pytest.mark.parametrize("dead", SAME_LINE)
@pytest.mark.parametrize("sender", SENDERS)
def test_a_dead_mailbox_after_the_senders_clause_on_its_line_is_never_put_back(sender, dead):
    out = _own_bounce_in_a_storm(f"{sender}{dead}")
    first = out.iloc[0]
    assert first["verdict"] != "reactivate", first["evidence"]


@pytest.mark.parametrize(
    "text",
    [
        "450 4.1.8 <news@acme.example>: Sender address rejected: Domain not found",
        "450 Sender address <news@acme.example> rejected: Domain not found",
        "450 4.1.8 Sender address rejected: Domain not found (in reply to RCPT TO command)",
    ],
)
def test_the_senders_own_address_in_its_clause_still_puts_a_storm_back(text):
    # The sender's own address beside its words ends nothing: a storm of them is the
    # sender's broken DNS, put back once fixed.
    out = judged_storm(text, text, domain="gmail.com")
    assert (out["verdict"] == "reactivate").all(), out["evidence"].iloc[0]


@pytest.mark.parametrize("text", BESIDE_A_RATE)
def test_a_mailbox_deleted_or_removed_beside_a_rate_is_never_put_back(text):
    first = _own_bounce_in_a_storm(text).iloc[0]
    assert first["verdict"] != "reactivate", first["evidence"]


@pytest.mark.parametrize(
    "text",
    ["550 mailbox deleted", "550 5.2.1 Account removed", "554 The mailbox has been deleted",
     "550 user deleted"],
)  # fmt: skip
def test_a_mailbox_deleted_or_removed_is_dead(text):
    assert str(triage(pd.Series([text]))["reason"].iloc[0]) in ADDRESS_REASONS
