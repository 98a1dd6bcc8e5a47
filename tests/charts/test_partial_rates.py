"""A rate chart draws a partial period as partial, and says so (issue 33, eighth review, 15:
the report's bounce- and complaint-rate charts drew December 1 to 5 as a solid step like the
whole months, while every table and sentence called that period "partial"). A period is
partial when it is still running, and also when the range's start or end cuts it: its
counts are not a whole period's though it is over (``is_complete`` is then true)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from mmframe import charts
from mmframe.analysis.rates import add_rates

pytestmark = pytest.mark.clock  # add_rates is given a now; no test reads the clock


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _rates(start: str, end: str, *, now: str = "2027-01-01", whole: bool = False) -> pd.DataFrame:
    """Monthly complaint rates of one account over ``[start, end)``, cut where the range
    cuts the months, as read_rates gives them (its attrs say the frequency); with
    ``whole``, the report's ``whole`` column instead of the attrs."""
    first, stop = pd.Timestamp(start, tz="UTC"), pd.Timestamp(end, tz="UTC")
    edges = [first, *pd.date_range(first.ceil("D"), stop, freq="MS", inclusive="neither"), stop]
    edges = sorted(set(edges))
    n = len(edges) - 1
    frame = pd.DataFrame(
        {
            "account": "a@x.com",
            "start": edges[:-1],
            "end": edges[1:],
            "sent": pd.array([1000] * n, dtype="Int64"),
            "delivered": pd.array([1000] * n, dtype="Int64"),
            "complaints": pd.array([2 + i % 3 for i in range(n)], dtype="Int64"),
        }
    ).assign(hard_bounces=0, soft_bounces=0, unique_opens=0, unique_clicks=0)
    frame = add_rates(frame, now=pd.Timestamp(now, tz="UTC"))
    if whole:
        from mmframe.dates import whole_periods

        frame["whole"] = whole_periods(frame["start"], frame["end"], "MS").to_numpy()
    else:
        frame.attrs["mmframe"] = {"kind": "rates", "query": {"freq": "MS"}}
    return frame


def _hatched(ax) -> list[tuple[float, float]]:
    """The x spans of the hatched patches drawn behind the data."""
    return [
        (p.get_x(), p.get_x() + p.get_width())
        for p in ax.patches
        if isinstance(p, Rectangle) and p.get_hatch()
    ]


def _legend(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


@pytest.mark.parametrize("whole", [False, True], ids=["read_rates", "report"])
def test_a_last_month_the_range_cuts_is_drawn_and_named_partial(whole):
    # The review's rep2: a range to 2026-12-05, its December 1 to 5 over (is_complete).
    from matplotlib.dates import date2num

    rates = _rates("2026-09-01", "2026-12-05", whole=whole)
    assert rates["is_complete"].all()
    ax = charts.plot_rates(rates, ax=Figure().subplots())
    (solid,) = [line for line in ax.get_lines() if line.get_label() == "a@x.com"]
    dashed = [line for line in ax.get_lines() if line.get_label() == "_partial"]
    assert len(dashed) == 1 and dashed[0].get_linestyle() == "--"
    assert to_hex(dashed[0].get_color()) == to_hex(solid.get_color())
    december = date2num(pd.Timestamp("2026-12-01", tz="UTC"))
    assert max(date2num(x) for x in solid.get_xdata()) <= december
    spans = _hatched(ax)
    assert spans == [pytest.approx((december, date2num(pd.Timestamp("2026-12-05", tz="UTC"))))]
    assert any("partial" in text for text in _legend(ax)), _legend(ax)


def test_whole_months_draw_no_partial_mark():
    ax = charts.plot_rates(_rates("2026-09-01", "2026-12-01"), ax=Figure().subplots())
    assert [line for line in ax.get_lines() if line.get_label() == "_partial"] == []
    assert _hatched(ax) == [] and not any("partial" in t for t in _legend(ax))


@settings(max_examples=40, deadline=None)
@given(
    start=st.integers(0, 120), days=st.integers(1, 200), running=st.booleans(), whole=st.booleans()
)
def test_every_partial_period_is_hatched_and_every_whole_one_is_not(start, days, running, whole):
    first = pd.Timestamp("2026-01-01") + pd.Timedelta(days=start)
    end = first + pd.Timedelta(days=days)
    now = (end - pd.Timedelta(days=1)) if running else end
    rates = _rates(f"{first:%Y-%m-%d}", f"{end:%Y-%m-%d}", now=f"{now:%Y-%m-%d}", whole=whole)
    ax = charts.plot_rates(rates, ax=Figure().subplots())
    from matplotlib.dates import date2num

    spans = _hatched(ax)
    for row in rates.itertuples(index=False):
        whole_ = (
            row.start == row.start.normalize()
            and row.start.day == 1
            and row.end == row.start + pd.DateOffset(months=1)
            and bool(row.is_complete)
        )
        middle = date2num(row.start + (row.end - row.start) / 2)
        covered = any(a <= middle <= b for a, b in spans)
        assert covered != whole_, (row.start, row.end, row.is_complete, spans)
    assert bool(spans) == any("partial" in t for t in _legend(ax))
