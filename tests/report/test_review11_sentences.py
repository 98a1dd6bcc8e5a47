"""The page's sentences the eleventh review (A5) found unclear: "nothing of theirs" of one
account, and "until 14:30 UTC, where the range ends, where the account's usual day has
none"."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from mmframe.reporting.limits import thin
from mmframe.reporting.spike_findings import _cut, _usual

DAY = pd.Timestamp("2026-11-19", tz="UTC")


def _evidence(accounts: list[str]) -> SimpleNamespace:
    covered = pd.DataFrame({"news@acme.io": [1.0] * 30}, index=pd.date_range(DAY, periods=30))
    return SimpleNamespace(accounts=accounts, covered=covered, rates=pd.DataFrame())


def test_one_account_without_data_is_said_in_the_singular():
    said = " ".join(thin(_evidence(["news@acme.io", "x@acme.io"]), 14))  # type: ignore[arg-type]
    assert "No data in this range for 1 account (x@acme.io): nothing of its own" in said
    assert "theirs" not in said
    many = " ".join(thin(_evidence(["news@acme.io", "x@acme.io", "y@acme.io"]), 14))  # type: ignore[arg-type]
    assert "for 2 accounts (x@acme.io, y@acme.io): nothing of their own" in many


def test_a_day_cut_by_the_range_and_a_quiet_usual_day_are_not_two_where_clauses():
    until = DAY + pd.Timedelta(hours=14, minutes=30)
    for baseline in (0.0, 0.5, 3.0):
        spike = pd.Series({"baseline": baseline, "ratio": 20.0})
        said = f"70 suppressions on 2026-11-19{_cut(DAY, None, until)}, {_usual(spike)}"
        assert said.count("where") <= 1, said
    spike = pd.Series({"baseline": 0.0, "ratio": 70.0})
    assert "none" in _usual(spike) and "usual day" in _usual(spike)
    assert "14:30 UTC" in _cut(DAY, None, until) and "range" in _cut(DAY, None, until)


def _account_periods(rates: list[tuple[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"account": "shop@acme.io", "by": "account", "group": "shop@acme.io",
          "start": pd.Timestamp(start, tz="UTC"),
          "end": pd.Timestamp(start, tz="UTC") + pd.DateOffset(months=1), "span": "period",
          "complaint_rate": rate, "complaints": 42, "delivered": 10000}
         for start, rate in rates]
    )  # fmt: skip


def test_the_accounts_whole_mail_is_not_named_as_the_range_as_a_whole_is():
    # Eleventh review, A5: "shop@acme.io's complaint rate over the range as a whole is
    # 0.18%" stood beside "also over it: the account as a whole (0.42%)", which meant
    # November: one phrase for the whole range and for one account's mail in one period.
    from mmframe.reporting.group_names import where
    from mmframe.reporting.rate_findings import _complaint_summary

    assert "as a whole" not in where("account", "shop@acme.io")
    assert where("account", "shop@acme.io") == "all of the account's mail"
    domain = _account_periods([("2026-11-01", 0.6)]).assign(by="domain", group="gmail.com")
    groups = [("domain", "gmail.com", domain),
              ("account", "shop@acme.io", _account_periods([("2026-11-01", 0.0042)]))]  # fmt: skip
    said = _complaint_summary("shop@acme.io", groups)
    assert "as a whole" not in said, said
    assert "also over it: all of the account's mail (0.42% in November)" in said, said
