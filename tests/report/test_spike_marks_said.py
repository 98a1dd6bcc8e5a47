"""The suppressions chart's spike marks, as drawn, and what the page says of them
(adversarial review adv33g, defect 11): two adjacent days' labels were drawn over each
other and others floated far from their dots; "What could not be judged" said a day was
"marked on the suppressions chart" that the chart did not mark (six spikes of one size:
which five were marked hung on the rows' order), and 7 of the 13 spikes found, none
explained, were not named at all."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from mmframe.charts import find_spikes
from mmframe.reporting import limits
from mmframe.reporting.evidence import Evidence
from mmframe.reporting.findings import Finding
from mmframe.reporting.plans import chart_plans
from mmframe.reporting.render import NARROW, WIDE, figure

DAYS = pd.date_range("2026-05-01", "2026-06-01", freq="D", inclusive="left", tz="UTC")
#: The review's eight accounts' days (t11_many.py): flat runs of one size, so six spikes
#: tie for the five marks.
RUNS = {
    "acct1@example.com": {1: 24, 2: 26},
    "acct2@example.com": {1: 10},
    "acct3@example.com": {5: 36, 6: 36, 7: 36, 8: 36, 9: 24},
    "acct5@example.com": {1: 20},
    "acct6@example.com": {1: 24, 2: 36, 3: 36, 4: 24},
}
#: And the master account, which sends nothing (the chart leaves it out; the page's
#: counts hold it: nine accounts, one past the eight the chart names).
ACCOUNTS = ["admin@example.com"] + [f"acct{k}@example.com" for k in range(8)]


def _counts(order: list[int] | None = None) -> pd.DataFrame:
    frames = []
    for account in ACCOUNTS:
        count = pd.Series(0, index=DAYS)
        for day, n in RUNS.get(account, {}).items():
            count[DAYS[day - 1]] = n
        frames.append(pd.DataFrame(
            {"count": count.astype("Int64"), "end": DAYS + pd.Timedelta(days=1),
             "is_complete": True, "account": account}, index=DAYS,
        ))  # fmt: skip
    counts = pd.concat(frames)
    counts.index.name = "start"
    counts["account"] = counts["account"].astype("category")
    return counts if order is None else counts.iloc[order]


def _evidence(counts: pd.DataFrame) -> Evidence:
    """The evidence of a page over these counts whose spike findings are the five largest
    spikes (as the report explains them), every account sending every day."""
    spikes = find_spikes(counts)
    evidence = Evidence(
        DAYS[0], DAYS[-1] + pd.Timedelta(days=1), pd.Timestamp("2026-07-01", tz="UTC"),
        ACCOUNTS, counts, spikes, pd.DataFrame(), "W-MON",
    )  # fmt: skip
    evidence.covered = counts.pivot_table(
        index="start", columns="account", values="count", observed=True, aggfunc="sum"
    ).astype("float64")
    evidence.findings = [
        Finding("spike", "", str(s["group"]), 1, "", day=pd.Timestamp(s["start"]))
        for s in spikes.head(5).to_dict("records")
    ]
    return evidence


def _drawn(evidence: Evidence, size: tuple[float, float]) -> tuple[Any, Any]:
    (name, title, draw), *_rest = chart_plans(evidence)
    assert name == "trend_by_account"
    drawn = figure(draw, title, size)
    canvas = FigureCanvasAgg(drawn)
    canvas.draw()
    return drawn, canvas.get_renderer()


def _marks(ax: Any) -> set[pd.Timestamp]:
    """The days the chart marks, read from its dots."""
    import matplotlib.dates as mdates

    dots = [line for line in ax.get_lines() if line.get_label() == "_spike"]
    days = [line.get_xdata()[0] for line in dots]
    return {
        (pd.Timestamp(x) if isinstance(x, pd.Timestamp) else pd.Timestamp(mdates.num2date(x)))
        .tz_convert("UTC")
        .floor("D")
        for x in days
    }


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**16))
def test_a_day_said_to_be_marked_is_one_the_chart_marks_whatever_the_rows_order(seed):
    # "acct6@example.com, 2026-05-02: 36 suppressions, marked on the suppressions chart as
    # a spike": the chart's dots were 05-03, 05-05, 05-06, 05-07 and 05-08.
    order = list(np.random.default_rng(seed).permutation(len(DAYS) * len(ACCOUNTS)))
    evidence = _evidence(_counts(order))
    said = limits.unmarked(evidence)
    drawn, _renderer = _drawn(evidence, WIDE)
    marked = _marks(drawn.axes[0])
    for sentence in said:
        if "marked on the suppressions chart" in sentence:
            day = pd.Timestamp(sentence.split(", ")[1][:10], tz="UTC")
            assert day in marked, (sentence, sorted(marked))


def test_every_spike_found_and_not_explained_is_named_or_counted():
    # Only "acct6@example.com, 2026-05-02" was said; 7 more of the 13 were nowhere.
    evidence = _evidence(_counts())
    text = " ".join(limits.unmarked(evidence))
    explained = {(f.account, f.day) for f in evidence.findings}
    rest = [
        s for s in evidence.spikes.to_dict("records")
        if (str(s["group"]), pd.Timestamp(s["start"])) not in explained
    ]  # fmt: skip
    assert len(rest) == len(evidence.spikes) - 5 >= 7
    assert f"Only the 5 largest of the {len(evidence.spikes)} spikes found" in text, text
    for spike in rest:
        assert f"{spike['group']} on {pd.Timestamp(spike['start']):%Y-%m-%d}" in text, text


def _near(box: Any, point: tuple[float, float], dpi: float) -> float:
    """How far ``point`` is from ``box``, in points."""
    x, y = point
    dx = max(box.x0 - x, 0.0, x - box.x1)
    dy = max(box.y0 - y, 0.0, y - box.y1)
    return math.hypot(dx, dy) * 72 / dpi


PHONE_UNSOLVED = pytest.mark.xfail(
    strict=True,
    reason="five three-line labels on adjacent days do not fit a phone's plot side by side, "
    "and the last resort (over the peak) still overprints there: not yet solved",
)


@pytest.mark.parametrize(
    "size", [pytest.param(NARROW, marks=PHONE_UNSOLVED), WIDE], ids=["phone", "desktop"]
)
def test_spike_labels_stay_clear_of_each_other_and_near_their_dots(size):
    # Two adjacent days' labels overprinted ("2026-05-07" over "2026-05-08"), and the
    # labels of 05-05 and 05-03 floated around 05-12 with nothing joining them to their dots.
    drawn, renderer = _drawn(_evidence(_counts()), size)
    (ax,) = drawn.axes
    plot = ax.get_window_extent(renderer)
    labels = list(ax.texts)
    assert len(labels) == 5
    boxes = [Text.get_window_extent(label, renderer) for label in labels]  # the text
    for i, box in enumerate(boxes):
        assert plot.x0 <= box.x0 and box.x1 <= plot.x1 and plot.y0 <= box.y0 and box.y1 <= plot.y1
        for other in boxes[i + 1 :]:
            assert not box.overlaps(other), (labels[i].get_text(), box, other)
    points = [
        tuple(ax.transData.transform((ax.convert_xunits(t.xy[0]), ax.convert_yunits(t.xy[1]))))
        for t in labels
    ]
    for label, box, point in zip(labels, boxes, points, strict=True):
        far = _near(box, point, drawn.dpi)
        joined = label.arrow_patch is not None and label.arrow_patch.get_visible()
        # Beside its dot, or joined to it by a line and not far off.
        assert far <= 14 or (joined and far <= 90), (label.get_text(), far, joined)
        # Unjoined, its own dot is the nearest: which spike it tells is not guessed.
        others = [_near(box, p, drawn.dpi) for p in points if p != point]
        assert joined or all(far < other for other in others), (label.get_text(), far)
