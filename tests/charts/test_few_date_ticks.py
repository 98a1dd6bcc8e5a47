"""Fewer date ticks on any span: matplotlib's AutoDateLocator found no interval for a span
of a day and a half at 3 ticks and warned (the report's tests run warnings as errors: the
any-history invariant hit it on a two-day range starting at 08:00 UTC)."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from mmframe.chart_axes import date_axis, fewer_date_ticks


@pytest.mark.parametrize("most", [3, 4, 5, 6, 8])
@pytest.mark.parametrize(
    "span",
    [pd.Timedelta(minutes=m) for m in (3, 50, 100, 170)]
    + [pd.Timedelta(hours=h) for h in (5, 30, 40, 47, 70)]
    + [pd.Timedelta(days=d) for d in (5, 20, 45, 100, 400, 2000)],
)
def test_any_span_takes_fewer_ticks_without_a_warning(span, most):
    start = pd.Timestamp("2026-10-05T08:00:00Z")
    figure, ax = plt.subplots(figsize=(3, 2), layout="constrained")
    try:
        ax.plot([start, start + span], [0, 1])
        date_axis(ax)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert fewer_date_ticks(ax, most)
            figure.draw_without_rendering()
        ticks = [t for t in ax.get_xticklabels() if t.get_text()]
        assert 1 <= len(ticks) <= most + 1, [t.get_text() for t in ticks]
    finally:
        plt.close(figure)
