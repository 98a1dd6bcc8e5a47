"""A rate finding's summary names the worst rate it lists (issue 33, ninth review, F18):
"complaint rate up to 12.00% at domain gmail.com ... and 2 more" while the finding listed
X-Campaign at 34.33%, the group that explained every complaint; "bounce rate up to 50.9% at
domain gmail.com" beside X-Campaign bf-2026 at 62.6%."""

from __future__ import annotations

import pandas as pd

from mmframe.reporting.rate_findings import bounce_rate_finding, complaint_finding

ACCOUNT = "inj@acme.io"
START = pd.Timestamp("2026-10-01", tz="UTC")


def _periods(groups: list[tuple[str, str, int, int]], metric: str) -> pd.DataFrame:
    """One period per group: (by, group, events, mail)."""
    rows = []
    for by, group, events, mail in groups:
        complaints = events if metric == "complaint_rate" else 0
        bounces = events if metric == "bounce_rate" else 0
        rows.append(
            {"account": ACCOUNT, "by": by, "group": group, "start": START,
             "end": START + pd.Timedelta(days=31), "sent": mail, "delivered": mail - bounces,
             "complaints": complaints, "hard_bounces": bounces, "soft_bounces": 0,
             "is_complete": True, "span": "period",
             "complaint_rate": complaints / (mail - bounces), "bounce_rate": bounces / mail}
        )  # fmt: skip
    return pd.DataFrame(rows)


def test_the_complaint_summary_leads_with_the_worst_group():
    periods = _periods(
        [("domain", "gmail.com", 12, 100), ("sender", "n@acme.io", 12, 100),
         ("X-Campaign", "spring", 12, 35)],
        "complaint_rate",
    )  # fmt: skip
    none = pd.DataFrame({"complained_at": pd.Series(dtype="datetime64[ns, UTC]")})
    found = complaint_finding(ACCOUNT, periods, none, scope=None)
    assert found.summary.startswith(f"{ACCOUNT}: complaint rate up to 34.29% at X-Campaign spring")
    assert "domain gmail.com (12.00% in October)" in found.summary, found.summary


def test_the_bounce_summary_leads_with_the_worst_group():
    periods = _periods(
        [("domain", "gmail.com", 51, 100), ("X-Campaign", "bf-2026", 57, 91)], "bounce_rate"
    )
    found = bounce_rate_finding(ACCOUNT, periods, pd.DataFrame())
    assert found.summary.startswith(
        f"{ACCOUNT}: bounce rate up to 62.6% at X-Campaign bf-2026 (57 hard, 0 soft, in the "
        "periods over the line)"
    ), found.summary
