"""A range with no suppressions, and a one-day range (issue 33, tenth review, F4): the
suppressions chart of a day with none was drawn empty over 2025 to 2029, its y axis from
-0.04 to 0.04 and a legend naming the accounts; the bounce-rate chart of the same day was
titled "per week", its one period hatched as a partial week and its zero lines hidden
under the axis."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.reporting import Evidence, build
from mmframe.reporting.plans import chart_plans
from mmframe.reporting.render import NARROW, WIDE, figure
from tests.report.scenarios import UNKNOWN, _Builder

QUIET, STORM = "2026-11-01", "2026-11-12"


def _history() -> dict[str, pd.DataFrame]:
    """Mail on two days: 120 delivered on the quiet one; on the storm one 50, 10 of them
    dead mailboxes, suppressed."""
    b = _Builder(seed=10)
    for day, dead in ((QUIET, 0), (STORM, 10)):
        at = pd.Timestamp(day, tz="UTC") + pd.Timedelta(hours=8)
        for i in range(120 if dead == 0 else 50):
            sent = b.send(b.address("gmail.com"), at + pd.Timedelta(seconds=i))
            if i < dead:
                b.bounce(sent, "hard", UNKNOWN.format(email=sent["email"]), suppress=True)
    return {kind: rows for kind, rows in b.frames().items() if len(rows)}


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Evidence, Path]]:
    """The report of each one-day range, as of the next day."""
    made = {}
    with Emulator("empty", port=0) as emulator:
        emulator.replay(**_history())
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            for day in (QUIET, STORM):
                after = (pd.Timestamp(day) + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
                out = tmp_path_factory.mktemp(day)
                made[day] = build(session, out, day, after, as_of=after, progress=False)
    return made


def _drawn(evidence: Evidence, name: str, size: tuple[float, float]) -> tuple[Any, Any]:
    """The chart ``name`` of the report, laid out at ``size`` as saved, with no warning."""
    (plan,) = [(title, draw) for n, title, draw in chart_plans(evidence) if n == name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # constrained layout giving up is a failure
        drawn = figure(plan[1], plan[0], size)
        FigureCanvasAgg(drawn).draw()
    return drawn, drawn.axes[0]


def test_a_range_with_no_suppressions_has_no_suppressions_chart_and_says_so(days):
    evidence, path = days[QUIET]
    assert int(evidence.counts["count"].sum()) == 0
    assert "trend_by_account" not in [name for name, _t, _d in chart_plans(evidence)]
    assert not (path.parent / "trend_by_account.png").exists()
    page = path.read_text()
    assert "No suppressions on 2026-11-01: no chart of them." in page
    assert page.count("data:image/png;base64,") == 2  # the bounce-rate chart, twice


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["phone", "desktop"])
def test_a_one_day_rate_chart_is_titled_by_the_day_and_its_zero_lines_show(days, size):
    evidence, _path = days[QUIET]
    (title,) = [t for n, t, _d in chart_plans(evidence) if n == "bounce_rates"]
    assert title == "Bounce rate on 2026-11-01, by account (line: 2%)", title
    _drawn_figure, ax = _drawn(evidence, "bounce_rates", size)
    bottom, _top = ax.get_ylim()
    lines = [line for line in ax.get_lines() if not line.get_label().startswith("bounce line")]
    assert lines and all(min(line.get_ydata()) == 0 for line in lines)
    assert bottom < 0  # a zero rate is drawn over the axis, not under it
    assert min(tick for tick in ax.get_yticks() if bottom <= tick) >= 0  # no negative tick
    # The day is the range, whole: not a week's partial period, hatched.
    assert [p for p in ax.patches if p.get_hatch()] == []
    handles = ax.get_legend().get_texts() if ax.get_legend() else []
    assert all("partial" not in t.get_text() for t in handles)


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["phone", "desktop"])
def test_a_one_day_suppressions_chart_shows_its_day_from_zero(days, size):
    evidence, _path = days[STORM]
    _drawn_figure, ax = _drawn(evidence, "trend_by_account", size)
    low, high = (mdates.num2date(x) for x in ax.get_xlim())
    day = pd.Timestamp(STORM, tz="UTC")
    assert day - pd.Timedelta(days=2) <= low and high <= day + pd.Timedelta(days=2), (low, high)
    bottom, top = ax.get_ylim()
    assert bottom <= 0 < 10 < top, (bottom, top)
    assert min(tick for tick in ax.get_yticks() if bottom <= tick) >= 0
    (line,) = [line for line in ax.get_lines() if line.get_label() == "shop@example.com"]
    assert line.get_marker() not in (None, "None", "", " ")  # one point: a dot, not a line
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels and all("2025" not in t and "2027" not in t for t in labels), labels
