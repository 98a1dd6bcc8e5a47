"""What a spike's label says: one label a run of adjacent days, compact on a phone's figure
(issue 33: five labels of adjacent days overprinted each other on a phone)."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from mmframe.spike_marks import mark_spikes

SPAN = pd.date_range("2026-04-01", "2026-07-01", freq="D", inclusive="left", tz="UTC")


def _labels(width: float, spikes: list[tuple[str, str, int, float]], span=SPAN) -> list[str]:
    """The labels ``mark_spikes`` draws for ``spikes`` (group, day, count, usual day), largest
    first as the charts give them, on a figure ``width`` inches wide."""
    marked = pd.DataFrame(
        [
            {"start": pd.Timestamp(day, tz="UTC"), "group": group, "count": n,
             "baseline": usual, "ratio": n / max(usual, 1.0)}
            for group, day, n, usual in spikes
        ]
    )  # fmt: skip
    ax = Figure(figsize=(width, 3.8)).subplots()
    mark_spikes(ax, marked, span)
    assert len([line for line in ax.get_lines() if line.get_label() == "_spike"]) == len(spikes)
    return [text.get_text() for text in ax.texts]


A, B, C = "a@example.com", "b@example.com", "c@example.com"


@pytest.mark.parametrize(
    ("spikes", "desktop", "phone"),
    [
        pytest.param(
            [(A, "2026-05-20", 400, 3.0)],
            ["2026-05-20\n400 (133.3x usual)\na@example.com"],  # as before
            ["20 May: 400\n133.3x usual\na@example.com"],
            id="one",
        ),
        pytest.param(
            [(A, "2026-05-06", 36, 0.0), (A, "2026-05-05", 36, 0.0), (A, "2026-05-07", 36, 0.0)],
            ["2026-05-05 to 05-07: 3 spikes\n36 each (usual day: none)\na@example.com"],
            ["5\N{EN DASH}7 May: 36 each\nusual day: none\na@example.com"],
            id="run, each the same",
        ),
        pytest.param(
            [(A, "2026-05-01", 4200, 1000.0), (A, "2026-04-30", 900, 3.0)],
            ["2026-04-30 to 05-01: 2 spikes\nup to 4,200 (4.2x usual)\na@example.com"],
            ["30 Apr\N{EN DASH}1 May\nup to 4,200\n4.2x usual\na@example.com"],
            id="run over a month's end",
        ),
        pytest.param(
            [(A, "2026-05-20", 400, 3.0), (B, "2026-05-21", 300, 3.0), (C, "2026-05-20", 50, 3.0)],
            [
                "2026-05-20\n400 (133.3x usual)\na@example.com",
                "2026-05-21\n300 (100.0x usual)\nb@example.com",
                "2026-05-20\n50 (16.7x usual)\nc@example.com",
            ],
            ["20\N{EN DASH}21 May\n3 spikes\na@example.com\nb@example.com\nc@example.com"],
            id="adjacent days of three groups",
        ),
        pytest.param(
            [(A, "2026-04-05", 40, 2.0), (B, "2026-05-05", 30, 2.0), (C, "2026-06-05", 20, 2.0)],
            [
                "2026-04-05\n40 (20.0x usual)\na@example.com",
                "2026-05-05\n30 (15.0x usual)\nb@example.com",
                "2026-06-05\n20 (10.0x usual)\nc@example.com",
            ],
            ["5 Apr: 40\na@example.com", "5 May: 30\nb@example.com", "5 Jun: 20\nc@example.com"],
            id="three apart: fewer lines",
        ),
    ],
)
def test_a_run_of_adjacent_days_has_one_label_and_a_phone_s_is_compact(spikes, desktop, phone):
    assert _labels(10.0, spikes) == desktop
    assert _labels(2.88, spikes) == phone


def test_a_span_over_a_year_keeps_the_year_on_a_phone():
    # 5 May of two years would read alike.
    span = pd.date_range("2025-04-01", "2026-07-01", freq="D", inclusive="left", tz="UTC")
    assert _labels(2.88, [(A, "2026-05-05", 40, 2.0)], span) == [
        "5 May 2026: 40\n20.0x usual\na@example.com"
    ]


def test_a_chart_of_one_group_names_none_and_past_three_groups_counts_the_rest():
    assert _labels(2.88, [("count", "2026-05-05", 40, 2.0)]) == ["5 May: 40\n20.0x usual"]
    four = [(g, "2026-05-05", 40 - i, 2.0) for i, g in enumerate([A, B, C, "d@example.com"])]
    assert _labels(2.88, four) == ["5 May: 4 spikes\na@example.com\nb@example.com\nand 2 more"]
