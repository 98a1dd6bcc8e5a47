"""A spike of mixed causes built as frames (no server): each row's bounce text drawn from a
pool of the servers' words, some rows complained to the account before, some with no
event at all; the finding and the candidates, as the report makes them."""

from __future__ import annotations

import pandas as pd

import mmframe as mm
from mmframe.reporting.findings import Finding
from mmframe.reporting.spike_findings import spike_finding
from tests.evidence_record import whole

ACCOUNT = "news@brand.example.org"
DAY = pd.Timestamp("2026-06-09", tz="UTC")
#: The servers' words, by what they say.
TEXTS = {
    "volume": "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to "
    "unexpected volume or user complaints - 4.16.55.1",
    "block": "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Spamhaus",
    "auth": "550-5.7.26 This mail is unauthenticated, which poses a security risk to the "
    "sender and Gmail users, and has been blocked.",
    "content": "550 5.7.1 Our system has detected that this message is likely unsolicited mail.",
    "dead": "550 5.1.1 <{e}>: Recipient address rejected: User unknown in virtual mailbox table",
    "disabled": "554 5.2.1 The email account that you tried to reach is disabled.",
    "full": "452 4.2.2 The email account that you tried to reach is over quota.",
    "grey": "450 4.2.0 <{e}>: Recipient address rejected: Greylisted",
    "congested": "421 4.4.5 Try again later, closing connection (IronPort)",
    "lone": "550 5.0.0 Delivery failed",
}


def mixed_spike(
    texts: list[str], complained: set[int] = frozenset(), silent: set[int] = frozenset()
) -> tuple[Finding, pd.DataFrame]:
    """A day of ``len(texts)`` bounce suppressions on :data:`ACCOUNT` at one domain, row i
    refused with ``TEXTS[texts[i]]``; rows in ``complained`` complained 40 days before, rows
    in ``silent`` have no bounce at all. Returns the spike's finding and its candidates."""
    n = len(texts)
    emails = [f"u{i}@yahoo.example" for i in range(n)]
    at = [DAY + pd.Timedelta(hours=10, seconds=30 * i) for i in range(n)]
    loud = [i for i in range(n) if i not in silent]
    bounces = mm.triage(
        pd.DataFrame(
            {
                "account": ACCOUNT,
                "email": [emails[i] for i in loud],
                "domain": "yahoo.example",
                "bounced_at": [at[i] for i in loud],
                "message": [TEXTS[texts[i]].format(e=emails[i]) for i in loud],
            }
        )
    )
    rows = pd.DataFrame(
        {"account": ACCOUNT, "email": emails, "domain": "yahoo.example",
         "suppressed_at": [t + pd.Timedelta(seconds=1) for t in at], "reason": "bounce"}
    )  # fmt: skip
    complaints = pd.DataFrame(
        {
            "account": ACCOUNT,
            "email": [emails[i] for i in sorted(complained)],
            "complained_at": pd.Series(
                [DAY - pd.Timedelta(days=40)] * len(complained), dtype="datetime64[ns, UTC]"
            ),
        }
    )
    # The list is all of this account's list (no opt-outs): given as such, so the verdict
    # is judged on every piece of evidence and says nothing of what was not read.
    fix = mm.remediation_candidates(
        rows, bounces=whole(bounces), complaints=whole(complaints), opt_outs=whole(rows),
        storm_size=20,
    )  # fmt: skip
    spike = pd.Series({"group": ACCOUNT, "start": DAY, "count": n, "baseline": 1.0, "ratio": n})
    return spike_finding(spike, fix, bounces, scope=[ACCOUNT]), fix
