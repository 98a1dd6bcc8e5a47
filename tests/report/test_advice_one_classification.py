"""One bounce is not "temporary: these pass with time" in a rate finding and dead or held
back in a spike's (issue 33, ninth review, F8): "550 5.1.1 rate limited, try again later"
(the code calls the mailbox bad, the words a rate) and a "554 Transaction failed" the API
called hard were told to pass with time, while the fix held both back. The advice reads
them as the remediation does: the first with the dead mailboxes, the second as a hard
bounce naming no cause that passes."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe.reporting.rate_findings import bounce_rate_finding
from mmframe.reporting.servers_said import servers_said
from tests.report.test_bounce_advice import ACCOUNT, DEAD, _periods

pytestmark = pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")

MIXED = "550 5.1.1 rate limited, try again later"
FAILED = "554 Transaction failed"
FULL = "452 4.2.2 Mailbox over quota"
AT = pd.Timestamp("2026-09-10T12:00:00", tz="UTC")


def _bounces(texts: list[tuple[str, str]]) -> pd.DataFrame:
    return mm.triage(
        pd.DataFrame(
            {
                "account": ACCOUNT,
                "email": [f"u{i}@gmail.com" for i in range(len(texts))],
                "domain": "gmail.com",
                "bounced_at": [AT + pd.Timedelta(minutes=i) for i in range(len(texts))],
                "bounce_type": [kind for _text, kind in texts],
                "message": [text for text, _kind in texts],
            }
        )
    )


def test_the_advice_reads_a_bounce_as_the_fix_does():
    texts = [(DEAD, "hard")] * 20 + [(MIXED, "hard")] * 4 + [(FAILED, "hard")] * 4
    texts += [(FULL, "soft")] * 3
    bounces = _bounces(texts)
    advice = bounce_rate_finding(ACCOUNT, _periods(24), bounces).advice
    assert "24 of the 31 called the mailbox dead" in advice, advice
    assert "4 of the 31 the API called hard, in words naming no cause that passes" in advice
    assert "3 of the 31 were temporary: these pass with time" in advice, advice
    # The fix, on the same bounces: none of the 8 is put back.
    rows = bounces[["account", "email", "domain"]].assign(suppressed_at=AT + pd.Timedelta(hours=1))
    fix = mm.remediation_candidates(rows.assign(reason="bounce"), bounces=bounces)
    held = fix[fix["email"].isin(bounces.loc[20:27, "email"])]
    assert (held["verdict"] != "reactivate").all(), held[["verdict", "cause", "evidence"]]


def test_a_spike_day_names_its_kind_as_the_advice_does():
    bounces = _bounces([(MIXED, "hard")] * 5 + [(FULL, "soft")] * 2)
    rows = bounces[["email"]].assign(suppressed_at=AT + pd.Timedelta(hours=1))
    said = servers_said(bounces, AT.normalize(), rows)
    assert "addresses whose mailboxes a server called dead" in said, said
