"""A row held back because its bounce gives a dead-mailbox status under a 5xx reply beside
words naming another cause ("550 5.1.1 rate limited, try again later") is named by that
mixed evidence, not as a mailbox a server called dead (tenth review, F6: on the row's own
account a dead mailbox is ``keep``, so the same name under ``review`` read as one reason
giving two verdicts). Only the name changes: the row is still ``review``, held by what
condemns it."""

from __future__ import annotations

import pandas as pd
import pytest

from mmframe.analysis.dead_signals import MIXED_STATUS
from mmframe.analysis.never_back import CONDEMNING
from mmframe.analysis.remediation import remediation_candidates
from mmframe.analysis.triage import ADDRESS_REASONS

pytestmark = pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")

RATE = "421 4.7.0 Too many connections, try again later"


def _storm(first: list[str], *, accounts: tuple[str, str] | None = None):
    """60 suppressions at one domain on one day: the first rows' own bounces ``first``, the
    rest a storm of "too many connections" (``accounts``: the rows' and another one's, the
    first rows' bounces then the other account's, a month before)."""
    n = 60
    emails = [f"p{i}@example.org" for i in range(n)]
    at = pd.Timestamp("2026-06-09T10:00:00Z") + pd.to_timedelta(range(n), unit="s")
    sup = pd.DataFrame({"email": emails, "domain": "example.org", "suppressed_at": at,
                        "reason": "bounce"})  # fmt: skip
    texts = first + [RATE] * (n - len(first))
    bounces = pd.DataFrame({"email": emails, "domain": "example.org",
                            "bounced_at": at - pd.Timedelta(seconds=1),
                            "message": texts})  # fmt: skip
    if accounts is None:
        return sup, bounces
    mine, theirs = accounts
    sup, bounces = sup.assign(account=mine), bounces.assign(account=mine)
    bounces.loc[: len(first) - 1, "message"] = RATE
    other = bounces.iloc[: len(first)].assign(
        account=theirs, message=first, bounced_at=at[0] - pd.Timedelta(days=30)
    )
    return sup, pd.concat([bounces, other], ignore_index=True)


@pytest.mark.parametrize(
    "text",
    [
        "550 5.1.1 rate limited, try again later",
        "554 5.1.1 Rate limit exceeded",
        "550 5.2.1 too many connections",
        "550 5.1.10 message failed DMARC",
    ],
)
@pytest.mark.parametrize("where", ["own", "another account"])
def test_a_dead_status_beside_other_words_is_named_as_mixed(text, where):
    accounts = ("news@example.com", "promo@example.com") if where != "own" else None
    sup, bounces = _storm([text], accounts=accounts)
    first = remediation_candidates(sup, bounces=bounces).iloc[0]
    assert first["verdict"] == "review", (first["cause"], first["evidence"])
    assert first["cause"] == MIXED_STATUS, (first["cause"], first["evidence"])
    assert MIXED_STATUS in CONDEMNING and MIXED_STATUS not in ADDRESS_REASONS


def test_a_dead_mailbox_in_words_keeps_its_reason():
    sup, bounces = _storm(["550 5.1.1 <p0@example.org>: Recipient address rejected: User unknown"])
    first = remediation_candidates(sup, bounces=bounces).iloc[0]
    assert (first["verdict"], first["cause"]) == ("keep", "userunknown")
