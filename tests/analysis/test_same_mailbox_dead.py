"""A mailbox a server called dead under another spelling holds the row back (thirty-seventh
review, 1): a storm row of ``kim2@gmail.com`` was put back though ``k.i.m2@gmail.com`` had
bounced "550-5.1.1 The email account that you tried to reach does not exist", and so were
``kim3@gmail.com`` (dead as ``kim3@googlemail.com`` on another account) and
``kim4@gmail.com`` (as ``kim4+shop@gmail.com``). Complaints and opt-outs were read across
spellings (:mod:`test_same_mailbox`); bounces were read by the exact address alone."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.remediation import remediation_candidates
from tests.analysis.test_same_mailbox import NEWS, SHOP, STORM, _gmail_spelling, _storm

pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

DEAD = "550-5.1.1 The email account that you tried to reach does not exist."
#: What a server says of a dead mailbox, as the API may type it (hard, soft or untyped).
DEAD_SAID = (
    (DEAD, "hard"),
    ("550 5.1.1 <{e}>: Recipient address rejected: User unknown", "soft"),
    ("421 4.7.0 Too many connections; mailbox disabled", None),
    ("550 Das Konto existiert nicht", "hard"),
    ("554 Transaction failed", "hard"),  # the API's "hard" in words that name no cause
)


def _judged(person: str, spelling: str, text: str, kind: str | None, account: str):
    sup, bounces = _storm([person, "frank@example.org"])
    earlier = pd.DataFrame({"account": [account], "email": [spelling],
                            "bounced_at": [STORM - pd.Timedelta(days=20)],
                            "message": [text.format(e=spelling)], "bounce_type": [kind],
                            "domain": [spelling.rpartition("@")[2]]})  # fmt: skip
    both = pd.concat([bounces.assign(bounce_type="soft"), earlier], ignore_index=True)
    return remediation_candidates(sup, bounces=both).set_index("email")


@pytest.mark.parametrize(
    ("spelling", "person"),
    [
        ("k.i.m2@gmail.com", "kim2@gmail.com"),
        ("kim3@googlemail.com", "kim3@gmail.com"),
        ("kim4+shop@gmail.com", "kim4@gmail.com"),
        ("KIM5+X@GoogleMail.com", "kim5@gmail.com"),
        ("dave+news@example.org", "dave@example.org"),
        ("bob@me.com", "bob@icloud.com"),
    ],
)
@pytest.mark.parametrize(("text", "kind"), DEAD_SAID)
@pytest.mark.parametrize("account", [NEWS, SHOP])
def test_a_mailbox_called_dead_under_another_spelling_holds_the_row(
    spelling, person, text, kind, account
):
    judged = _judged(person, spelling, text, kind, account)
    row = judged.loc[person]
    assert row["verdict"] == "review", row.to_dict()
    assert row["cause"] == "samemailbox", row.to_dict()
    assert spelling.lower() in str(row["evidence"]).lower(), row["evidence"]
    assert judged.loc["frank@example.org", "verdict"] == "reactivate"


@pytest.mark.parametrize("spelling", ["kim2@outlook.com", "k.im2@example.org", "kim22@gmail.com"])
def test_another_mailbox_called_dead_holds_nothing_back(spelling):
    judged = _judged("kim2@gmail.com", spelling, DEAD, "hard", SHOP)
    assert judged["verdict"].eq("reactivate").all(), judged[["verdict", "evidence"]]


def test_a_passing_refusal_under_another_spelling_holds_nothing_back():
    rate = "421 4.7.0 [TSS04] Messages temporarily deferred due to unexpected volume"
    judged = _judged("kim2@gmail.com", "k.im2@gmail.com", rate, "soft", SHOP)
    assert judged["verdict"].eq("reactivate").all(), judged[["verdict", "evidence"]]


@settings(max_examples=60, deadline=None)
@given(
    local=st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=2, max_size=10),
    data=st.data(),
    said=st.sampled_from(DEAD_SAID),
    account=st.sampled_from([NEWS, SHOP]),
)
def test_no_spelling_of_a_gmail_mailbox_called_dead_is_put_back(local, data, said, account):
    """Invariant: whatever dots, tag, domain alias and case a dead bounce spells a Gmail
    mailbox with, on either account, that mailbox's storm row is not judged ``reactivate``."""
    spelling = _gmail_spelling(data.draw, local)
    judged = _judged(f"{local}@gmail.com", spelling, said[0], said[1], account)
    assert judged.loc[f"{local}@gmail.com", "verdict"] != "reactivate", judged[["verdict"]]
