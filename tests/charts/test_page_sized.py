"""Charts drawn without an ``ax`` are sized for a page a phone shows too (issue 33, fourth
review B15: the notebook figures on the docs pages were 560 px wide, shown in a 390 px
phone's column at 0.6, their ticks and legends 6-7 CSS px), and a legend covers no data
(the reason mix's legend sat over the top of its bars and hid the 'manual' segments)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from mmframe import charts
from tests.charts.test_charts import _rows

#: A 390 px phone's docs column (the page's side padding taken off), and the dpi the
#: notebooks' figures are drawn at.
PHONE_COLUMN, DPI = 350, 100
#: The smallest text a reader is asked to read there, in CSS px.
SMALLEST = 9.0


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _drawn():
    rows = _rows()
    return {
        "trend": charts.plot_suppression_trend(rows, by="domain", freq="W", top=3,
                                               as_of="2030-01-01"),
        "reason mix": charts.plot_reason_mix(rows, freq="MS"),
        "heatmap": charts.plot_domain_heatmap(rows, freq="W", top=5),
        "rates": charts.plot_rates(_rates()),
    }  # fmt: skip


def _rates() -> pd.DataFrame:
    from mmframe.analysis.rates import add_rates

    starts = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"] * 2, utc=True)
    rates = pd.DataFrame(
        {
            "account": ["news@example.com"] * 3 + ["billing@example.com"] * 3,
            "start": starts, "end": starts + pd.DateOffset(months=1),
            "sent": pd.array([1000] * 6, dtype="Int64"),
            "delivered": pd.array([1000] * 6, dtype="Int64"),
            "complaints": pd.array([1, 2, 4, 0, 1, 0], dtype="Int64"),
        }
    )  # fmt: skip
    return add_rates(rates.assign(hard_bounces=0, soft_bounces=0, unique_opens=0, unique_clicks=0))


@pytest.mark.parametrize("name", ["trend", "reason mix", "heatmap", "rates"])
def test_the_smallest_text_stays_readable_in_a_phones_column(name):
    ax = _drawn()[name]
    figure = ax.figure
    figure.set_dpi(DPI)
    figure.canvas.draw()
    width = figure.get_figwidth() * DPI
    shown = min(1.0, PHONE_COLUMN / width)
    texts = [t for t in figure.findobj(plt.Text) if t.get_visible() and t.get_text().strip()]
    smallest = min(t.get_fontsize() for t in texts) * DPI / 72 * shown
    assert smallest >= SMALLEST, (name, width, smallest)


def test_the_reason_mix_legend_covers_no_bar():
    ax = charts.plot_reason_mix(_rows(), freq="MS")
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    covered = [p for p in ax.patches if p.get_height() > 0 and
               p.get_window_extent().overlaps(legend)]  # fmt: skip
    assert not covered, len(covered)
