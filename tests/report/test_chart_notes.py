"""What a chart shows that no finding judges is said under it (issue 33, fourth review B11)."""

from __future__ import annotations

import re

import numpy as np
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
    # Every period drawn over the limit, not the worst alone (sixth review, defect 8).
    assert "mc-customer.example.co.uk (3.33% in September, 3.23% in October, 1 complaint each)" in (
        said
    )
    assert "yahoo.com (2.29% in November, 3 complaints)" in said
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


def _dots(rates: pd.DataFrame) -> dict[str, list[tuple[pd.Timestamp, float]]]:
    """What the complaint chart draws as dots over the limit, read off the drawn Axes: each
    named line's (period start, rate), the dot matched to its line by colour."""
    from matplotlib import colors as mcolors
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure

    from mmframe import charts

    ax = Figure().subplots()
    charts.plot_rates(rates, by="series", ax=ax)
    lines = {
        mcolors.to_hex(line.get_color()): str(line.get_label())
        for line in ax.get_lines()
        if not str(line.get_label()).startswith("_") and "%" not in str(line.get_label())
    }
    starts = sorted(set(rates["start"]))
    drawn: dict[str, list[tuple[pd.Timestamp, float]]] = {}
    for dots in ax.collections:
        offsets = np.asarray(dots.get_offsets())
        if not len(offsets):
            continue
        name = lines[mcolors.to_hex(dots.get_facecolor()[0])]
        for x, y in offsets:
            middle = pd.Timestamp(mdates.num2date(x))
            start = max(s for s in starts if s <= middle)  # the period the dot sits in
            drawn.setdefault(name, []).append((start, float(y)))
    return drawn


def test_the_note_names_every_period_the_chart_draws_over_the_limit_that_no_finding_judges():
    # Sixth review, defect 8: the note named only each domain's worst period (yahoo.com's
    # September, not its October) and nothing of gmail.com's October and November (2
    # complaints each, dots over the limit), judged only as part of the range as a whole.
    rates = _rates(
        {
            "gmail.com": [(600, 1), (345, 2), (340, 2)],  # the range as a whole: 5, 0.39%
            "yahoo.com": [(136, 2), (141, 2), (2000, 0)],
            "ipt.example.com": [(66, 1), (138, 2), (500, 0)],
            "hotmail.com": [(239, 5), (239, 5), (239, 5)],  # each period judged alone
            **{f"big{i}.example": [(3000, 0)] * 3 for i in range(9)},
        }
    )
    said = unjudged_over(rates, by="series")
    assert said is not None
    drawn = _dots(rates)
    assert {"gmail.com", "yahoo.com", "ipt.example.com", "hotmail.com"} <= set(drawn), drawn
    rows = rates.set_index(["series", "start"])
    told = 0
    for name, dots in drawn.items():
        named = re.search(re.escape(name) + r" \(([^)]*)\)", said)
        for start, rate in dots:
            judged = int(rows.loc[(name, start), "complaints"]) >= 5
            assert named is not None or judged, (name, said)
            if judged:  # a finding judges this period: the note does not
                assert named is None or f"in {start:%B}" not in named.group(1), said
                continue
            assert f"{rate:.2%} in {start:%B}" in named.group(1), (name, start, said)
            told += 1
    # Nothing is named that the chart does not draw over the limit.
    assert len(re.findall(r"\d\.\d\d% in [A-Z]", said)) == told, said
    assert "gmail.com (0.58% in October, 0.59% in November, 2 complaints each)" in said, said
    # gmail.com's range as a whole is judged (a finding names it): said so, not denied.
    assert "gmail.com is over the limit over the range as a whole" in said, said
