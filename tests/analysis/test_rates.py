"""Rates: the arithmetic on hand-made frames, and read_rates against the demo."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe.analysis.rates import COUNTS, SPAM_RATE_LIMIT, SPAM_RATE_TARGET, add_rates

pytestmark = pytest.mark.clock  # reads today's date or the clock

PROMO = "promo@example.org"


def _counts(**columns):
    return pd.DataFrame({k: pd.array(columns[k], dtype="Int64") for k in COUNTS})


def test_rate_arithmetic():
    frame = _counts(
        sent=[10_000, 1000, 0],
        delivered=[9_900, 1000, 0],
        hard_bounces=[60, 0, 0],
        soft_bounces=[40, 0, 0],
        complaints=[30, 1, 0],
        unique_opens=[1980, 100, 0],
        unique_clicks=[99, 3, 0],
    )
    out = add_rates(frame)
    assert out["bounce_rate"].tolist()[:2] == [0.01, 0.0]
    assert out["complaint_rate"].tolist()[:2] == [30 / 9_900, 0.001]
    assert out["open_rate"].tolist()[:2] == [0.2, 0.1] and out["click_rate"][0] == 0.01
    assert out.loc[2, ["bounce_rate", "complaint_rate", "open_rate", "click_rate"]].isna().all()
    assert out["above_limit"].tolist()[:2] == [True, False]  # 0.303 % is above 0.3 %
    assert out["above_target"].tolist()[:2] == [True, True]  # exactly 0.1 % is not below it
    assert out["above_limit"].isna()[2] and str(out["complaint_rate"].dtype) == "Float64"
    assert (SPAM_RATE_TARGET, SPAM_RATE_LIMIT) == (0.001, 0.003)


def test_read_rates_by_account_match_the_counts(demo_session):
    rates = mm.read_rates(
        "2026-06-01", "2026-07-01", freq="W", accounts="all", session=demo_session
    )
    assert list(rates.columns[:4]) == ["account", "start", "end", "sent"]
    assert len(rates) == 5 * 5 and rates["is_complete"].all()
    news = rates[rates["account"] == "news@example.com"].set_index("start")
    counts = mm.read_event_counts(
        "complaints",
        "2026-06-01",
        "2026-07-01",
        freq="W",
        accounts=["news@example.com"],
        session=demo_session,
    )
    assert news["complaints"].tolist() == counts["count"].tolist()
    assert (news["sent"] - news["delivered"] == news["hard_bounces"] + news["soft_bounces"]).all()
    assert rates.attrs["mmframe"]["kind"] == "rates"


def test_read_rates_by_domain_find_the_climb(demo_session):
    rates = mm.read_rates(
        "2026-04-01",
        "2026-11-01",
        freq="MS",
        by="domain",
        top=4,
        accounts=[PROMO],
        session=demo_session,
    )
    assert "domain" in rates.columns and "hotmail.com" in set(rates["domain"])
    hotmail = rates[rates["domain"] == "hotmail.com"].set_index("start")["complaint_rate"]
    assert hotmail.iloc[0] < SPAM_RATE_LIMIT < hotmail.iloc[-1]
    assert hotmail.is_monotonic_increasing
    others = rates[(rates["domain"] != "hotmail.com")]
    assert not others["above_limit"].any()


def test_read_rates_by_campaign_and_sender(demo_session):
    campaigns = mm.read_rates(
        "2026-09-01", "2026-10-01", freq="MS", by="X-Campaign", values=["promo-daily-deals"],
        accounts=[PROMO], session=demo_session,
    )  # fmt: skip
    assert (
        campaigns["x_campaign"].tolist() == ["promo-daily-deals"] and campaigns["above_limit"].all()
    )
    senders = mm.read_rates(
        "2026-09-01", "2026-10-01", freq="MS", by="sender", accounts=[PROMO], session=demo_session
    )
    assert len(senders) == 12 and senders["sent"].sum() > campaigns["sent"].sum()
    assert senders.loc[senders["sender"] == "offers@offers.example.org", "sent"].iloc[0] > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "campaign"}, "X-header name"),
        ({"by": "account", "values": ["x"]}, "values apply"),
        ({"by": "domain", "values": "gmail.com"}, "list of text"),
        ({"by": "domain", "top": 0}, "top must be"),
        ({"freq": "D", "end": None}, "needs both"),
    ],
)
def test_bad_arguments(make_emulator, kwargs, message):
    emulator = make_emulator("empty")
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        emulator.reset_stats()
        end = kwargs.pop("end", "2026-02-01")
        with pytest.raises((ValueError, TypeError), match=message):
            mm.read_rates("2026-01-01", end, session=session, **kwargs)
        assert emulator.stats()["totals"]["requests"] == 0


def test_plot_rates_draws_the_limits(demo_session):
    rates = mm.read_rates(
        "2026-05-01", "2026-11-01", freq="MS", accounts="all", session=demo_session
    )
    ax = mm.plot_rates(rates)
    levels = sorted(
        line.get_ydata()[0]
        for line in ax.get_lines()
        if len(set(line.get_ydata())) == 1 and line.get_label().startswith(("Gmail",))
    )
    assert levels == [0.001, 0.003]
    assert {t.get_text() for t in ax.get_legend().get_texts()} >= {
        "promo@example.org",
        "news@example.com",
    }
    assert "%" in ax.yaxis.get_major_formatter()(0.003, 0)
    with pytest.raises(ValueError, match="metric"):
        mm.plot_rates(rates, metric="sent")


def test_read_rates_by_domain_with_nothing_to_rate_is_an_empty_frame(emulator):
    # No bounce or complaint in the range: no domain to rate. It raised "No objects to
    # concatenate" (found by the report on a quiet account).
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        rates = mm.read_rates("2026-01-01", "2026-03-01", freq="MS", by="domain", session=session)
    assert rates.empty
    assert {"account", "domain", "start", "end", *COUNTS, "complaint_rate"} <= set(rates.columns)
