"""A spike that tells a bounce-rate breach carries it into its summary line (issue 33,
ninth review, F11: the summary read "bounce rate up to 2.3% at X-Campaign Größe-Sale"
while the storm's finding had the campaign at 13.3% and the account at 4.2%: the spike's
line said nothing of the breach it absorbed)."""

from __future__ import annotations

import pandas as pd

from mmframe.reporting.breaches import outside_spikes
from mmframe.reporting.finding import Finding

ACCOUNT = "retail@acme.io"
DAY = pd.Timestamp("2026-11-17", tz="UTC")
NOV, DEC = pd.Timestamp("2026-11-01", tz="UTC"), pd.Timestamp("2026-12-01", tz="UTC")


def _periods(groups: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"account": ACCOUNT, "by": by, "group": group, "start": NOV, "end": DEC,
             "bounce_rate": rate, "hard_bounces": 10, "soft_bounces": 300, "sent": 2300,
             "span": "period", "is_complete": True}
            for by, group, rate in groups
        ]
    )  # fmt: skip


def test_the_spikes_summary_line_carries_the_breach_it_tells():
    spike = Finding(
        kind="spike", title="Suppression spike", account=ACCOUNT, weight=384,
        summary=f"{ACCOUNT}, 2026-11-17: 387 suppressions (129.0x usual).", day=DAY,
    )  # fmt: skip
    periods = _periods([("X-Campaign", "bf-2026", 0.133), ("account", ACCOUNT, 0.042)])
    rest = outside_spikes([spike], ACCOUNT, periods)
    assert rest.empty
    assert spike.summary.startswith(f"{ACCOUNT}, 2026-11-17: 387 suppressions"), spike.summary
    said = "Its bounce rate is over the 2% line: up to 13.3% at X-Campaign bf-2026 (1 more group"
    assert said in spike.summary, spike.summary


def test_a_spike_holding_no_breach_keeps_its_line():
    spike = Finding(
        kind="spike", title="Suppression spike", account=ACCOUNT, weight=384,
        summary=f"{ACCOUNT}, 2026-11-17: 387 suppressions (129.0x usual).", day=DAY,
    )  # fmt: skip
    outside_spikes([spike], ACCOUNT, _periods([("domain", "gmail.com", 0.05)]).iloc[:0])
    assert "bounce rate" not in spike.summary
