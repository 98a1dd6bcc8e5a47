"""What a chart shows that no finding judges is said under it (issue 33, fourth review B11)."""

from __future__ import annotations

import pandas as pd

from mmframe.analysis.rates import add_rates
from mmframe.reporting.chart_notes import unjudged_over


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
