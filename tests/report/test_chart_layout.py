"""The report's charts as drawn for a phone and a desktop: ticks apart, labels inside."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from mmframe import charts
from mmframe.reporting.render import NARROW, WIDE, figure

DAYS = pd.date_range("2026-04-01", "2026-06-01", freq="D", inclusive="left", tz="UTC")
LONG = "brand03@brand03.example.com"


def _counts(accounts: list[str], spike: str = "2026-05-20") -> pd.DataFrame:
    """Suppressions per day of each account: a few a day, and one spike of ``accounts[0]``."""
    rng = np.random.default_rng(6)
    frames = []
    for account in accounts:
        count = pd.Series(rng.poisson(3, len(DAYS)), index=DAYS)
        if account == accounts[0]:
            count[pd.Timestamp(spike, tz="UTC")] = 400
        frame = pd.DataFrame(
            {"count": count.astype("Int64"), "end": DAYS + pd.Timedelta(days=1),
             "is_complete": True, "account": account},
            index=DAYS,
        )  # fmt: skip
        frames.append(frame)
    both = pd.concat(frames)
    both.index.name = "start"
    both["account"] = both["account"].astype("category")
    return both


def _trend(accounts: list[str], spike: str = "2026-05-20") -> Any:
    data = _counts(accounts, spike)
    return lambda ax: charts.plot_suppression_trend(
        data, by="account", as_of=pd.Timestamp("2026-06-01", tz="UTC"), ax=ax
    )


def _title(drawn: Any, ax: Any) -> Any:
    """The chart's title: over the figure (a phone's) or over the plot."""
    return drawn.texts[0] if drawn.texts else ax.title


def _overlaps(boxes: list[Any]) -> list[tuple[int, int]]:
    ordered = sorted(boxes, key=lambda b: b.x0)
    return [(i, i + 1) for i in range(len(ordered) - 1) if ordered[i].x1 > ordered[i + 1].x0]


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["phone", "desktop"])
@pytest.mark.parametrize("spike", ["2026-04-03", "2026-05-20", "2026-05-31"])
def test_ticks_stay_apart_and_a_spike_label_stays_inside_without_squeezing_the_plot(size, spike):
    # Issue 33.6: at 390 px the x axis read "Apr0815 22May0815 22Jun", and a long spike
    # label squeezed the plot to a third of the figure's width (33.8: or ran into the legend).
    drawn = figure(_trend([LONG, "other@example.com"], spike), "Suppressions per day", size)
    canvas = FigureCanvasAgg(drawn)
    canvas.draw()  # as saving it lays it out
    renderer = canvas.get_renderer()
    (ax,) = drawn.axes
    ticks = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    assert len(ticks) >= 2 and _overlaps(ticks) == []
    # A legend of two columns wider than the phone collapsed the plot to a sliver.
    assert ax.get_window_extent(renderer).width >= 0.5 * drawn.bbox.width
    title = _title(drawn, ax).get_window_extent(renderer)  # wrapped, not cut
    assert drawn.bbox.x0 <= title.x0 and title.x1 <= drawn.bbox.x1, (title, drawn.bbox)
    frame = drawn.bbox
    plot = ax.get_window_extent(renderer)
    assert plot.width >= 0.6 * frame.width, (plot.width, frame.width)
    for text in ax.texts:  # the spike labels: inside the plot's frame, not over its edge
        box = text.get_window_extent(renderer)
        assert plot.x0 <= box.x0 and box.x1 <= plot.x1, (text.get_text(), box, plot)


@pytest.mark.parametrize(
    ("first", "end"), [("2026-04-01", "2026-05-01"), ("2026-01-01", "2026-10-01")]
)
@pytest.mark.parametrize("account", [LONG, "shop@example.com"])
def test_a_rate_chart_s_ticks_stay_apart_on_a_phone(first, end, account):
    # Issue 33.6: the phone's rate charts read "29Apr" and "29May", labels run together.
    from mmframe.analysis.rates import add_rates

    starts = pd.date_range(first, end, freq="W-MON", tz="UTC")
    ends = [*starts[1:], pd.Timestamp(end, tz="UTC")]
    rates = add_rates(
        pd.DataFrame({"account": account, "start": starts, "end": ends,
                      "sent": pd.array([900] * len(starts), dtype="Int64")}).assign(
            delivered=890, hard_bounces=10, soft_bounces=0, complaints=1, unique_opens=0,
            unique_clicks=0),
        now=pd.Timestamp("2027-01-01", tz="UTC"),
    )  # fmt: skip
    drawn = figure(
        lambda ax: charts.plot_rates(rates, metric="bounce_rate", ax=ax),
        "Complaint rate per month, shop@example.com, by recipient domain",
        NARROW,
    )
    canvas = FigureCanvasAgg(drawn)
    canvas.draw()
    renderer = canvas.get_renderer()
    (ax,) = drawn.axes
    ticks = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    assert len(ticks) >= 2 and _overlaps(ticks) == []
    # A legend of two columns wider than the phone collapsed the plot to a sliver.
    assert ax.get_window_extent(renderer).width >= 0.5 * drawn.bbox.width
    title = _title(drawn, ax).get_window_extent(renderer)  # wrapped, not cut
    assert drawn.bbox.x0 <= title.x0 and title.x1 <= drawn.bbox.x1, (title, drawn.bbox)


@pytest.mark.parametrize("chart", ["trend", "rates", "complaints", "series"])
def test_three_accounts_legend_leaves_the_plot_its_room_on_a_phone(chart):
    # Found by test_any_history_more at 320 px: three accounts' legend, one a row, under a
    # title of three lines left the plot no height (constrained layout gave up).
    from mmframe.analysis.rates import add_rates

    names = ["news0@example.com", "news1@example.com", "news2@Example.ORG"]
    starts = pd.date_range("2026-02-01", "2026-05-01", freq="MS", inclusive="left", tz="UTC")
    rates = add_rates(
        pd.DataFrame(
            [{"account": name, "start": start, "end": start + pd.DateOffset(months=1),
              "sent": 1000, "delivered": 990, "hard_bounces": 10}
             for name in names for start in starts]
        ).assign(soft_bounces=0, complaints=1, unique_opens=0, unique_clicks=0),
        now=pd.Timestamp("2026-06-01", tz="UTC"),
    )  # fmt: skip
    for column in ("sent", "delivered", "hard_bounces"):
        rates[column] = rates[column].astype("Int64")
    domains = rates.assign(account="news2@Example.ORG").iloc[: len(starts)]
    domains = pd.concat(domains.assign(domain=d) for d in ("gmail.com", "yahoo.com",
                        "hotmail.com", "example.net", "mail.example.org"))  # fmt: skip
    draw = {
        "trend": _trend(names),
        "rates": lambda ax: charts.plot_rates(rates, metric="bounce_rate", by="account", ax=ax),
        "complaints": lambda ax: charts.plot_rates(domains, by="domain", ax=ax),
        # As the report names them when two accounts are over: "account domain".
        "series": lambda ax: charts.plot_rates(
            domains.assign(series=domains["account"] + " " + domains["domain"]),
            by="series",
            ax=ax,
        ),
    }[chart]
    title = "Complaint rate per month, news2@Example.ORG, by recipient domain"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # constrained layout giving up is a failure
        drawn = figure(draw, title, NARROW)
        canvas = FigureCanvasAgg(drawn)
        canvas.draw()
    plot = drawn.axes[0].get_window_extent(canvas.get_renderer())
    # At least 1.6 in (160 CSS px) high, and half the width: room to read the data.
    assert plot.height >= 1.6 * drawn.dpi and plot.width >= 0.5 * drawn.bbox.width


#: Names as long as the fourth review's (76 and 88 characters).
LONG_NAMES = [
    "team-02-marketing-campaigns@subsidiary-02.international-holdings.example.com",
    "transactional-notifications-eu-west-1@very-long-subdomain.mail.example-corporation.co.uk",
]


def _crossings(box: Any, line: Any) -> bool:
    """Whether ``line`` (as drawn, in display pixels) passes through ``box``."""
    from matplotlib.path import Path as MplPath

    points = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
    if len(points) == 1:  # a mark: its dot
        return bool(box.contains(*points[0]))
    return bool(MplPath(points).intersects_bbox(box, filled=False))


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["phone", "desktop"])
@pytest.mark.parametrize("spike", ["2026-04-03", "2026-05-20", "2026-05-31"])
def test_a_spike_label_with_a_long_name_is_clear_of_every_line_and_inside_the_plot(size, spike):
    # Fourth review A11, B9: "425 (425.0x usual)" drawn across the spike's own line; a long
    # account name ran off the phone's left edge over the y axis title.
    drawn = figure(_trend([*LONG_NAMES, "other@example.com"], spike), "Suppressions", size)
    canvas = FigureCanvasAgg(drawn)
    canvas.draw()
    renderer = canvas.get_renderer()
    (ax,) = drawn.axes
    plot = ax.get_window_extent(renderer)
    (label,) = ax.texts
    box = label.get_window_extent(renderer)
    assert plot.x0 <= box.x0 and box.x1 <= plot.x1 and plot.y0 <= box.y0 and box.y1 <= plot.y1
    crossed = [line.get_label() for line in ax.get_lines() if _crossings(box, line)]
    assert crossed == [], (label.get_text(), crossed)


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["phone", "desktop"])
def test_a_date_axis_has_no_offset_text(size):
    # Fourth review A11: an August range carried an axis offset "2026-Sep"; at 1280 a
    # September-to-December axis ended in "2026-Dec". The title says the range.
    drawn = figure(_trend(["shop@example.com"]), "Suppressions", size)
    FigureCanvasAgg(drawn).draw()
    assert drawn.axes[0].xaxis.get_offset_text().get_text() == ""


def test_a_long_legend_goes_under_the_plot_and_the_title_is_never_cut():
    # Fourth review B8: at 1280 the title read "pressions per day, by account, ..." (its
    # first letters outside the image) and an 88-character legend entry squeezed the plot
    # to about 255 of 1000 px.
    title = "Suppressions per day, by account, 2026-11-01 to 2026-12-05"
    drawn = figure(_trend([*LONG_NAMES, "other@example.com"]), title, WIDE)
    canvas = FigureCanvasAgg(drawn)
    canvas.draw()
    renderer = canvas.get_renderer()
    (ax,) = drawn.axes
    assert ax.get_window_extent(renderer).width >= 0.7 * drawn.bbox.width
    shown = _title(drawn, ax)
    box = shown.get_window_extent(renderer)
    assert shown.get_text().replace("\n", " ") == title
    assert drawn.bbox.x0 <= box.x0 and box.x1 <= drawn.bbox.x1, (box, drawn.bbox)


def _spikes_months_apart() -> pd.DataFrame:
    """Tenth review F2: three accounts of short names (two of them fit a phone's legend
    row only in characters, not in width), spikes of two of them three months apart."""
    days = pd.date_range("2026-08-01", "2026-12-05", freq="D", inclusive="left", tz="UTC")
    frames = []
    spikes = [("news@acme.io", "2026-11-12", 200), ("shop@acme.io", "2026-08-10", 15),
              ("tiny@acme.io", None, 0)]  # fmt: skip
    for account, day, peak in spikes:
        count = pd.Series(0, index=days)
        count.iloc[::9] = 1
        if day is not None:
            count[pd.Timestamp(day, tz="UTC")] = peak
        frames.append(pd.DataFrame({"count": count.astype("Int64"), "end": days + pd.Timedelta(
            days=1), "is_complete": True, "account": account}, index=days))  # fmt: skip
    both = pd.concat(frames)
    both.index.name = "start"
    return both


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["phone", "desktop"])
def test_spikes_months_apart_leave_the_plot_its_room_and_warn_nothing(size):
    # Tenth review F2: the phone's plot was 25 of 576 px wide (its legend of two columns
    # wider than the figure), the month ticks overprinted ("SNov"), the legend ran past the
    # figure's edge ("tiny@acme."), and matplotlib warned on stderr that its layout gave up.
    data = _spikes_months_apart()
    title = "Suppressions per day, by account, 2026-08-01 to 2026-12-04 inclusive"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        drawn = figure(
            lambda ax: charts.plot_suppression_trend(
                data, by="account", as_of=pd.Timestamp("2026-12-05", tz="UTC"), ax=ax
            ),
            title,
            size,
        )
        canvas = FigureCanvasAgg(drawn)
        canvas.draw()
    renderer = canvas.get_renderer()
    (ax,) = drawn.axes
    plot, frame = ax.get_window_extent(renderer), drawn.bbox
    assert plot.width >= 0.6 * frame.width and plot.height >= 1.6 * drawn.dpi, plot
    ticks = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    assert len(ticks) >= 2 and _overlaps(ticks) == []
    legend = ax.get_legend().get_window_extent(renderer)
    assert frame.x0 <= legend.x0 and legend.x1 <= frame.x1, (legend, frame)
    boxes = [text.get_window_extent(renderer) for text in ax.texts]
    assert len(boxes) == 2
    for box in boxes:
        assert plot.x0 <= box.x0 and box.x1 <= plot.x1 and plot.y0 <= box.y0 <= box.y1 <= plot.y1
    assert not boxes[0].overlaps(boxes[1])
