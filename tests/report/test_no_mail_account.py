"""An account with no mail (issue 33, ninth review, F9): its bounce-rate chart was drawn
empty on a 1970 time axis, the account named in the legend with no line; the checked line
said "(up to 25; 1 group)" though no rate could be computed; and "The accounts have no
approved sender." of one account."""

from __future__ import annotations

import pandas as pd

from mmframe.reporting.evidence import Evidence
from mmframe.reporting.plans import bounce_rated, chart_plans
from mmframe.reporting.senders import judge

QUIET, BUSY = "quiet@acme.io", "retail@acme.io"
START, END = pd.Timestamp("2026-10-01", tz="UTC"), pd.Timestamp("2026-12-01", tz="UTC")


def _rates(accounts: dict[str, int]) -> pd.DataFrame:
    rows = []
    for account, sent in accounts.items():
        for start in (START, pd.Timestamp("2026-11-01", tz="UTC")):
            bounced = sent // 40
            rows.append(
                {"account": account, "by": "account", "group": account, "start": start,
                 "end": start + pd.offsets.MonthBegin(1), "sent": sent, "delivered": sent - bounced,
                 "complaints": 0, "hard_bounces": bounced, "soft_bounces": 0,
                 "bounce_rate": bounced / sent if sent else float("nan"),
                 "complaint_rate": 0.0 if sent else float("nan"), "is_complete": True}
            )  # fmt: skip
    return pd.DataFrame(rows)


def _evidence(accounts: dict[str, int]) -> Evidence:
    days = pd.date_range(START, END, freq="D", inclusive="left")
    counts = pd.DataFrame(
        [{"account": a, "start": d, "count": 4 * (d == START)} for a in accounts for d in days]
    )
    return Evidence(START, END, END, list(accounts), counts, pd.DataFrame(), _rates(accounts), "MS")


def test_no_bounce_rate_chart_for_an_account_with_no_mail():
    names = [name for name, _title, _draw in chart_plans(_evidence({QUIET: 0}))]
    assert "bounce_rates" not in names, names


def test_the_bounce_rate_chart_names_only_accounts_with_a_rate():
    mine = _rates({QUIET: 0, BUSY: 4000})
    assert set(bounce_rated(mine)["account"]) == {BUSY}


def test_the_checked_line_counts_no_group_where_no_rate_could_be_computed():
    checked = _evidence({QUIET: 0}).checked
    assert "1 group" not in checked, checked
    assert "up to 25; none had mail to rate" in checked, checked
    assert "up to 25; 1 group)" in _evidence({BUSY: 4000}).checked


def test_one_account_is_said_in_the_singular():
    none = pd.DataFrame(columns=["account", "sender", "ready", "spf", "dkim", "seeding"])
    assert judge(none, [QUIET]).said == ["The account has no approved sender."]
    assert judge(none, None).said == ["The account has no approved sender."]
    assert judge(none, [QUIET, BUSY]).said == ["The accounts have no approved sender."]
