"""Charts checked on what they draw (lines, bars, labels, marks), and the spike finder."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from mmframe import charts

pytestmark = pytest.mark.clock  # reads today's date or the clock

DAYS = pd.date_range("2025-01-01", periods=365, freq="D", tz="UTC")


@pytest.fixture(autouse=True)
def _no_show_and_close(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("charts must not call show"))
    yield
    plt.close("all")


def _noise(seed, mean=50.0):
    return pd.Series(np.random.default_rng(seed).poisson(mean, len(DAYS)), index=DAYS)


@pytest.mark.parametrize("seed", range(8))
def test_flat_noise_raises_no_alarm(seed):
    assert charts.find_spikes(_noise(seed)).empty
    assert charts.find_spikes(_noise(seed, mean=3.0)).empty


def test_known_spikes_are_found_and_ranked():
    series = _noise(1)
    series.iloc[100] = 50 * 30
    series.iloc[250] = 50 * 4
    found = charts.find_spikes(series)
    assert found["start"].tolist() == [DAYS[100], DAYS[250]]
    assert found["ratio"].iloc[0] == pytest.approx(30, rel=0.15)


def test_spikes_per_group_in_a_table():
    table = pd.DataFrame({"a": _noise(2), "b": _noise(3)})
    table.iloc[40, 1] = 900
    found = charts.find_spikes(table)
    assert found[["start", "group"]].values.tolist() == [[DAYS[40], "b"]]


def _counts(by_account=False):
    frame = pd.DataFrame(
        {
            "count": _noise(4).astype("Int64"),
            "end": DAYS + pd.Timedelta(days=1),
            "is_complete": True,
        },
        index=DAYS,
    )
    frame.index.name = "start"
    frame.iloc[200, 0] = 2000
    if not by_account:
        return frame
    other = frame.assign(count=_noise(5).astype("Int64"))
    both = pd.concat([frame.assign(account="x@example.com"), other.assign(account="y@example.com")])
    both["account"] = both["account"].astype("category")
    return both


def _lines(ax):
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


def test_trend_from_counts_by_account_marks_the_spike():
    ax = charts.plot_suppression_trend(_counts(by_account=True), by="account")
    assert sorted(line.get_label() for line in _lines(ax)) == ["x@example.com", "y@example.com"]
    marks = [line for line in ax.get_lines() if line.get_label() == "_spike"]
    assert len(marks) == 1 and marks[0].get_ydata()[0] == 2000
    labels = [text.get_text() for text in ax.texts]
    assert any("2025-07-20" in label and "x@example.com" in label for label in labels)


def test_partial_last_period_is_dashed():
    counts = _counts()
    counts.iloc[-1, counts.columns.get_loc("is_complete")] = False
    ax = charts.plot_suppression_trend(counts, spikes=False)
    dashed = [line for line in ax.get_lines() if line.get_label() == "_partial"]
    assert len(dashed) == 1 and dashed[0].get_linestyle() == "--"
    assert len(dashed[0].get_xdata()) == 2  # last complete point to the partial one


def _rows():
    rng = np.random.default_rng(0)
    times = DAYS[0] + pd.to_timedelta(rng.integers(0, 365 * 86400, 5000), unit="s")
    return pd.DataFrame(
        {
            "email": [f"u{i}@d{i % 12}.com" for i in range(5000)],
            "domain": [f"d{i % 12}.com" for i in range(5000)],
            "suppressed_at": times,
            "reason": pd.Categorical(
                rng.choice(["bounce", "complaint", "unsubscribe", "manual"], 5000),
                categories=["bounce", "complaint", "unsubscribe", "manual"],
            ),
        }
    )


def test_trend_from_rows_folds_small_groups_into_other():
    ax = charts.plot_suppression_trend(_rows(), by="domain", freq="W", top=3, as_of="2030-01-01")
    labels = [line.get_label() for line in _lines(ax)]
    assert len(labels) == 4 and labels[-1] == "other"
    assert ax.get_legend() is not None


def test_stacked_trend_draws_bands_on_a_given_axes():
    _figure, ax = plt.subplots()
    got = charts.plot_suppression_trend(
        _rows(), by="reason", freq="MS", stacked=True, ax=ax, as_of="2030-01-01"
    )
    assert got is ax and len(ax.collections) == 4


def test_reason_mix_bars_sum_to_one():
    ax = charts.plot_reason_mix(_rows(), freq="MS")
    heights = np.array([patch.get_height() for patch in ax.patches]).reshape(4, -1)
    assert heights.shape[1] == 12 and np.allclose(heights.sum(axis=0), 1.0)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "bounce",
        "complaint",
        "unsubscribe",
        "manual",
    ]


def test_domain_heatmap_shape():
    ax = charts.plot_domain_heatmap(_rows(), freq="W", top=5)
    (image,) = ax.get_images()
    assert image.get_array().shape == (6, 53)  # 5 domains + other, by week
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "other"


def test_bad_inputs():
    with pytest.raises(ValueError, match="account"):
        charts.plot_suppression_trend(_counts(), by="domain")
    with pytest.raises(ValueError, match="expected"):
        charts.plot_suppression_trend(pd.DataFrame({"x": [1]}))


def test_spikes_straight_from_a_counts_frame():
    found = charts.find_spikes(_counts(by_account=True))
    assert found[["start", "group", "count"]].values.tolist() == [
        [DAYS[200], "x@example.com", 2000]
    ]


def _rendered(ax) -> None:
    import io

    ax.figure.savefig(io.BytesIO(), format="png")


def test_dollar_signs_in_names_are_drawn_as_text():
    # Issue 19.12: matplotlib read "$...$" in an account or campaign name as mathtext and
    # failed to draw (or drew it as maths).
    counts = _counts(by_account=True)
    names = {"x@example.com": "$ave $5 team", "y@example.com": "y$@example.com"}
    counts["account"] = counts["account"].cat.rename_categories(names)
    ax = charts.plot_suppression_trend(counts, by="account")
    _rendered(ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(legend) == sorted(n.replace("$", "\\$") for n in names.values())
    rows = pd.DataFrame(
        {
            "email": [f"u{i}@d$1.example" for i in range(30)],
            "domain": ["d$1.example"] * 30,
            "suppressed_at": pd.date_range("2025-01-01", periods=30, freq="D", tz="UTC"),
            "reason": pd.Categorical(["bounce"] * 30, categories=["bounce", "complaint"]),
        }
    )
    _rendered(charts.plot_domain_heatmap(rows, freq="W"))
    rates = pd.DataFrame(
        {
            "account": "a@x.com",
            "x_campaign": ["save $5 now", "save $5 now", "bad $x^^$ maths"],
            "start": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-01-01"], utc=True),
            "end": pd.to_datetime(["2025-02-01", "2025-03-01", "2025-02-01"], utc=True),
            "sent": pd.array([100, 100, 50], dtype="Int64"),
            "delivered": pd.array([100, 100, 50], dtype="Int64"),
            "complaints": pd.array([1, 0, 1], dtype="Int64"),
        }
    )
    from mmframe.analysis.rates import add_rates

    rates = add_rates(rates.assign(hard_bounces=0, soft_bounces=0, unique_opens=0, unique_clicks=0))
    ax = charts.plot_rates(rates)
    _rendered(ax)
    assert "save \\$5 now" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_rates_draws_a_partial_period_as_partial():
    # A period that ends after "now" holds part of its mail: its rate is drawn dashed from
    # the last whole period, never as if it were whole (issue 23).
    from mmframe.analysis.rates import add_rates

    starts = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"], utc=True)
    rates = pd.DataFrame(
        {
            "account": "a@x.com",
            "start": starts,
            "end": starts + pd.DateOffset(months=1),
            "sent": pd.array([1000, 1000, 200], dtype="Int64"),
            "delivered": pd.array([1000, 1000, 200], dtype="Int64"),
            "complaints": pd.array([1, 2, 1], dtype="Int64"),
        }
    )
    rates = add_rates(
        rates.assign(hard_bounces=0, soft_bounces=0, unique_opens=0, unique_clicks=0),
        now=pd.Timestamp("2025-03-10", tz="UTC"),
    )
    ax = charts.plot_rates(rates)
    solid = [line for line in ax.get_lines() if line.get_label() == "a@x.com"]
    dashed = [line for line in ax.get_lines() if line.get_label() == "_partial"]
    assert len(solid) == 1 and list(solid[0].get_xdata()) == [starts[0], *starts[[1, 1]], starts[2]]
    assert len(dashed) == 1 and dashed[0].get_linestyle() == "--"
    # From the last whole month's end to the partial one's: a step up, held to its end.
    assert list(dashed[0].get_xdata()) == [
        starts[2],
        starts[2],
        starts[2] + pd.DateOffset(months=1),
    ]
    _rendered(ax)


def _monthly_rates(bounces: list[int], *, sent: int = 1000) -> pd.DataFrame:
    """One account's months from April 2026, the last ending at June 1 (the range's end)."""
    from mmframe.analysis.rates import add_rates

    starts = pd.date_range("2026-04-01", periods=len(bounces), freq="MS", tz="UTC")
    return add_rates(
        pd.DataFrame(
            {
                "account": "a@x.com",
                "start": starts,
                "end": starts + pd.DateOffset(months=1),
                "sent": pd.array([sent] * len(bounces), dtype="Int64"),
                "delivered": pd.array([sent - b for b in bounces], dtype="Int64"),
                "hard_bounces": pd.array(bounces, dtype="Int64"),
            }
        ).assign(soft_bounces=0, complaints=0, unique_opens=0, unique_clicks=0),
        now=pd.Timestamp("2026-07-01", tz="UTC"),
    )


def _drawn(line) -> tuple[np.ndarray, np.ndarray]:
    """The path a line draws, in data units (its steps, when drawn as steps)."""
    line.recache(always=True)
    vertices = line._get_transformed_path().get_fully_transformed_path().vertices
    data = line.axes.transData.inverted().transform(vertices)
    return data[:, 0], data[:, 1]


def test_plot_rates_draws_each_period_as_a_step_over_the_whole_period():
    # Issue 33.5: April 0.77 % and May 3.5 % were drawn as a line from April 1 to May 1,
    # crossing the 2 % line mid-April, and stopping at May 1 though May runs to June 1.
    from matplotlib.dates import date2num

    ax = charts.plot_rates(_monthly_rates([8, 35]), metric="bounce_rate")
    (line,) = [line for line in ax.get_lines() if line.get_label() == "a@x.com"]
    x, y = _drawn(line)
    april, may, june = (
        date2num(pd.Timestamp(d)) for d in ("2026-04-01", "2026-05-01", "2026-06-01")
    )
    assert x.min() == pytest.approx(april) and x.max() == pytest.approx(june)
    # Every piece is level (a period's rate) or upright (a change at a period's start).
    level = np.isclose(np.diff(y), 0)
    upright = np.isclose(np.diff(x), 0)
    assert (level | upright).all(), list(zip(x, y, strict=True))
    in_april = y[(x > april - 0.5) & (x < may - 0.5)]
    assert len(in_april) and np.allclose(in_april, 0.008)
    assert np.allclose(y[(x > may + 0.5) & (x < june + 0.5)], 0.035)


def test_a_spike_over_a_usual_day_of_none_is_labelled_without_a_ratio():
    # Issue 33.9: the chart said "12 (12x)" where the finding said "where the account's
    # usual day has none": a ratio over nothing (counted as 1) says nothing.
    counts = _counts()
    counts["count"] = pd.array([0] * len(counts), dtype="Int64")
    counts.iloc[200, 0] = 12
    ax = charts.plot_suppression_trend(counts, as_of="2030-01-01")
    (label,) = [text.get_text() for text in ax.texts]
    assert "12 (usual day: none)" in label and "x" not in label.split("\n")[1]
    counts["count"] = _noise(4).astype("Int64")
    counts.iloc[200, 0] = 2000
    (label,) = [text.get_text() for text in charts.plot_suppression_trend(counts).texts]
    assert "2,000 (" in label and "x usual)" in label  # as the finding's short form says


def _many_accounts_rates(bounces: dict[str, int], *, sent: dict[str, int]) -> pd.DataFrame:
    """Three months of each account's mail, with its bounces a month."""
    from mmframe.analysis.rates import add_rates

    starts = pd.date_range("2026-09-01", periods=3, freq="MS", tz="UTC")
    rows = [
        {"account": name, "start": start, "end": start + pd.DateOffset(months=1),
         "sent": sent[name], "delivered": sent[name] - count, "hard_bounces": count}
        for name, count in bounces.items() for start in starts
    ]  # fmt: skip
    frame = pd.DataFrame(rows).assign(soft_bounces=0, complaints=0, unique_opens=0,
                                       unique_clicks=0)  # fmt: skip
    for column in ("sent", "delivered", "hard_bounces"):
        frame[column] = frame[column].astype("Int64")
    return add_rates(frame, now=pd.Timestamp("2026-12-01", tz="UTC"))


def test_a_rate_chart_of_many_accounts_draws_every_account_over_the_line_worst_first():
    # Fourth review B3: of 41 accounts the bounce-rate chart drew the 8 with the most mail
    # (among the lowest rates), left out the two over the 2% line (7.32%, 4.13%), had no
    # "other", and its axis stopped at 2% while the page said two accounts crossed it.
    names = [f"team-{i:02d}@example.com" for i in range(20)]
    bounces = {name: 2 for name in names} | {names[2]: 70, names[5]: 40}
    sent = {name: 5000 for name in names} | {names[2]: 1000, names[5]: 1000}
    rates = _many_accounts_rates(bounces, sent=sent)
    assert charts.rate_groups(rates, by="account", top=8, metric="bounce_rate")[:2] == [
        names[2],
        names[5],
    ]
    ax = charts.plot_rates(rates, metric="bounce_rate", by="account", top=8)
    labels = [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert labels[:2] == [names[2], names[5]]  # worst first
    assert charts.OTHER in labels and len(labels) == 8 + 1 + 1  # 8 named, other, the line
    (other,) = [line for line in ax.get_lines() if line.get_label() == charts.OTHER]
    # The 18 accounts left out, as one: their bounces over their mail.
    assert np.allclose(other.get_ydata(), 2 / 5000)
    ax.figure.canvas.draw()
    assert ax.get_ylim()[1] >= 0.07  # the axis reaches the highest rate


def test_a_rate_chart_with_room_for_every_group_draws_no_other():
    names = [f"team-{i:02d}@example.com" for i in range(3)]
    rates = _many_accounts_rates({n: 5 for n in names}, sent={n: 1000 for n in names})
    ax = charts.plot_rates(rates, metric="bounce_rate", by="account", top=8)
    assert charts.OTHER not in [line.get_label() for line in ax.get_lines()]


def test_the_dots_over_the_complaint_limit_have_a_legend_entry():
    # Fourth review B11: the dots on the steps of a complaint chart had no legend entry.
    rates = _monthly_rates([0, 0, 0]).assign(complaints=pd.array([0, 9, 0], dtype="Int64"))
    from mmframe.analysis.rates import add_rates

    ax = charts.plot_rates(add_rates(rates, now=pd.Timestamp("2026-07-01", tz="UTC")))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "dot: a period over the 0.3% limit" in legend, legend
    quiet = charts.plot_rates(_monthly_rates([0, 0, 0]), ax=plt.figure().subplots())
    assert not any(t.get_text().startswith("dot:") for t in quiet.get_legend().get_texts())
