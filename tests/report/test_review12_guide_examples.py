"""The twelfth review, D1: three of docs/guide/deliverability.md's examples did not come out
of ``mm.triage`` as the guide said ("Sender address <news@x.com> unknown" kept the sender's
reason, "Barracuda Reputation Block List" was `blocked`, a timed-out connection a network
error): the guide says what triage gives, and triage gives it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mmframe as mm

GUIDE = Path(__file__).parents[2] / "docs" / "guide" / "deliverability.md"


@pytest.mark.parametrize(
    ("text", "reason", "said"),
    [
        ("550 5.1.0 Sender address <news@x.com> unknown", "userunknown", "as `userunknown`"),
        ("550 5.1.0 <news@x.com>: Sender address rejected: User unknown in local recipient "
         "table", "rejected", "table\" is `rejected`"),
        ("554 Barracuda Reputation Block List", "badreputation",
         "by its \"Reputation\" as `badreputation`"),
        ("connect to spam-filter.example.net[192.0.2.1]: Connection timed out", "expired",
         "timed out,\n`expired`"),
    ],
)  # fmt: skip
def test_the_guide_says_what_triage_gives(text, reason, said):
    assert mm.triage(pd.Series([text]))["reason"].iloc[0] == reason
    assert said in GUIDE.read_text(), said
