"""What a chart shows that no finding judges is said under it (issue 33, fourth review B11)."""

from __future__ import annotations

import pandas as pd

from mmframe.analysis.rates import add_rates
from mmframe.reporting.chart_notes import drawn_by_name, unjudged_over


def _rates(rows: dict[str, list[tuple[int, int]]]) -> pd.DataFrame:
    """Monthly rates of one account's domains: (delivered, complaints) a month from September."""
    starts = pd.date_range("2026-09-01", periods=3, freq="MS", tz="UTC")
    frame = pd.DataFrame(
        [
            {"account": "client03@c03.example.net", "by": "domain", "group": domain,
             "series": domain, "start": start, "end": start + pd.DateOffset(months=1),
             "sent": sent, "delivered": sent, "complaints": complaints}
            for domain, months in rows.items()
            for start, (sent, complaints) in zip(starts, months, strict=True)
        ]
    ).assign(hard_bounces=0, soft_bounces=0, unique_opens=0, unique_clicks=0)  # fmt: skip
    for column in ("sent", "delivered", "complaints"):
        frame[column] = frame[column].astype("Int64")
    return add_rates(frame, now=pd.Timestamp("2026-12-01", tz="UTC"))


def test_a_domain_over_the_limit_on_too_few_complaints_is_said_not_judged():
    # rep_seven: mc-customer.example.co.uk drawn at 3.33% (1 complaint in 30) and yahoo.com
    # at 2.29%, while the finding named gmail.com at 2.09% and nothing said why the others
    # were not judged.
    rates = _rates(
        {
            "gmail.com": [(239, 5), (239, 5), (239, 5)],  # judged: the finding's
            "mc-customer.example.co.uk": [(30, 1), (31, 1), (400, 0)],
            "yahoo.com": [(400, 0), (400, 0), (131, 3)],
            "hotmail.com": [(900, 1), (900, 1), (900, 1)],  # under the limit
        }
    )
    said = unjudged_over(rates, by="series")
    assert said is not None
    assert (
        "mc-customer.example.co.uk (3.33% from 1 complaint, in the period from 2026-09-01)" in said
    )
    assert "yahoo.com (2.29% from 3 complaints, in the period from 2026-11-01)" in said
    assert "gmail.com" not in said and "hotmail.com" not in said
    assert "judged on 5 complaints or more" in said


def test_nothing_is_said_when_every_domain_over_the_limit_is_judged():
    rates = _rates({"gmail.com": [(239, 5), (239, 5), (239, 5)]})
    assert unjudged_over(rates, by="series") is None


def _accounts(sent_and_bounced: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """One month's rates of accounts: (sent, bounces) each."""
    frame = pd.DataFrame(
        [
            {"account": name, "by": "account", "group": name, "start": pd.Timestamp(
                "2026-11-01", tz="UTC"), "end": pd.Timestamp("2026-12-01", tz="UTC"),
             "sent": sent, "delivered": sent - bounced, "hard_bounces": bounced,
             "soft_bounces": 0, "complaints": 0}
            for name, (sent, bounced) in sent_and_bounced.items()
        ]
    ).assign(unique_opens=0, unique_clicks=0)  # fmt: skip
    for column in ("sent", "delivered", "hard_bounces", "soft_bounces", "complaints"):
        frame[column] = frame[column].astype("Int64")
    return add_rates(frame, now=pd.Timestamp("2026-12-05", tz="UTC"))


def test_a_bounce_chart_of_more_accounts_than_it_names_says_how_it_chose_them():
    # Fifth review: "The bounce chart fills its 8 lines with tenant-35, 34, 33, 32 and 31,
    # which look like reverse order, not the next highest": nothing said they were the
    # accounts with the most mail.
    rates = _accounts(
        {f"tenant-{i:02d}@t.example": (100 + 10 * i, 10 if i in (7, 19) else 1)
         for i in range(36)}
    )  # fmt: skip
    said = drawn_by_name(rates, by="account", metric="bounce_rate")
    assert said is not None
    assert "2 over the 2% line, the highest first" in said, said
    assert "then the 6 with the most mail sent" in said, said
    assert 'the other 28 are one line, "other"' in said, said


def test_a_bounce_chart_that_names_every_account_says_nothing_of_choosing():
    rates = _accounts({"a@x.example": (100, 3), "b@x.example": (50, 0)})
    assert drawn_by_name(rates, by="account", metric="bounce_rate") is None
