"""Widgets driven headless: set .value, .click(), check the effect."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import mmframe as mm
from mmframe.emulator.seed import STORM
from mmframe.widgets import RemediationPanel, SuppressionExplorer
from tests.waiting import wait_for

pytestmark = pytest.mark.clock  # reads today's date or the clock


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_explorer_charts_and_loads_the_spike_period(demo_session):
    explorer = SuppressionExplorer(demo_session, start="2026-05-01", end="2026-07-01")
    explorer.refresh()
    assert bytes(explorer.image.value).startswith(b"\x89PNG")  # an image, in any kernel
    assert explorer.counts["account"].nunique() == 5
    lines = [
        line for line in explorer.figure.axes[0].get_lines() if not line.get_label().startswith("_")
    ]
    assert len(lines) == 5
    storm_day = pd.Timestamp(STORM.first_day, unit="s", tz="UTC")
    assert explorer.period.value == storm_day  # the spike is preselected
    explorer.load_button.click()
    assert len(explorer.frame) > 400 and explorer.frame["account"].nunique() == 5
    drawn = explorer.renders
    explorer.account.value = STORM.account
    explorer.by.value = "domain"
    explorer.freq.value = "week"  # no Refresh: the chart follows the controls
    wait_for(lambda: explorer.renders > drawn and explorer.freq.value in _title(explorer))
    assert explorer.renders == drawn + 1  # three changes, one redraw (debounced)
    assert explorer.counts["account"].unique().tolist() == [STORM.account]
    labels = {line.get_label() for line in explorer.figure.axes[0].get_lines()}
    assert "yahoo.com" in labels and "other" in labels


def _title(explorer):
    return explorer.figure.axes[0].get_title()


def test_explorer_reads_nothing_before_display_then_the_datas_range(make_emulator):
    emulator = make_emulator("demo")
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        emulator.reset_stats()
        explorer = SuppressionExplorer(session, debounce=0.05)
        assert emulator.stats()["totals"]["requests"] == 0
        explorer._repr_mimebundle_()  # what displaying it does
        wait_for(lambda: explorer.renders == 1, timeout=60)
        assert str(explorer.start.value) == "2024-10-31"  # the demo data's first day
        assert len(explorer.account.options) == 6 and "all accounts" in _title(explorer)
        # Issue 19.15: the range ended today + 1, past the data, so every line fell to zero
        # at the end and false spikes were flagged there. It ends with the data now.
        newest = mm.read_suppressions(accounts="all", session=session)["suppressed_at"].max()
        assert str(explorer.end.value) == str((newest + pd.Timedelta(days=1)).date())
        last_day = explorer.counts.index.max()
        assert explorer.counts.loc[[last_day], "count"].sum() > 0


def test_explorer_takes_as_of_and_says_from_and_to(demo_session):
    explorer = SuppressionExplorer(demo_session, as_of="2026-06-30")
    explorer.refresh()
    assert str(explorer.end.value) == "2026-06-30"
    assert explorer.counts.index.max() < pd.Timestamp("2026-06-30", tz="UTC")
    explorer.start.value = pd.Timestamp("2026-07-15").date()  # after "to"
    wait_for(lambda: explorer.error is not None)
    assert "“to”" in explorer.status.value and "“from”" in explorer.status.value
    assert "end=" not in explorer.status.value


def test_explorer_shows_errors_inside_the_widget(demo_session):
    explorer = SuppressionExplorer(demo_session, start="2026-05-01", end="2026-07-01")
    explorer.refresh()
    explorer.start.value = pd.Timestamp("2026-08-01").date()  # after the end
    wait_for(lambda: explorer.error is not None)
    assert "error" in explorer.status.value and "comes before" in explorer.status.value
    assert explorer.progress.layout.visibility == "hidden"


def test_panel_previews_then_activates_only_after_confirm(make_emulator):
    emulator = make_emulator("demo")
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        day = pd.Timestamp(STORM.first_day, unit="s", tz="UTC")
        rows = mm.read_suppressions(
            day, day + pd.Timedelta(days=1), accounts=[STORM.account], session=session
        )
        storm = rows[(rows["domain"] == STORM.domain) & (rows["reason"] == "bounce")]
        panel = RemediationPanel(storm, session)
        assert "yahoo.com" in panel.counts.value and panel.activate_button.disabled
        assert "not judged" in panel.warning.value  # read_suppressions' rows, as they are
        panel.include_unjudged.value = True  # put back unchecked, deliberately
        emulator.reset_stats()
        panel.preview_button.click()
        assert panel.plan["status"].eq("planned").all()
        assert emulator.stats()["totals"]["writes"] == 0
        panel.activate_button.click()  # disabled: ipywidgets still fires, the panel refuses
        assert panel.result is None
        with pytest.raises(RuntimeError, match="tick the box"):
            panel.apply()
        panel.confirm.value = True
        assert not panel.activate_button.disabled
        panel.activate_button.click()
        assert panel.result["status"].eq("ok").all() and len(panel.result) == len(storm)
        assert panel.progress.value == panel.progress.max == 1
        assert panel.activate_button.disabled and "ok: 340" in panel.summary.value
        panel.preview_button.click()  # a preview after applying keeps the outcome in view
        assert "unchanged: 340" in panel.plan_summary.value and "ok: 340" in panel.summary.value


def test_panel_shows_the_rows_with_their_evidence_and_filters_them(make_emulator):
    # Issue 19.16: the panel asked "I have checked these 335 rows" and showed no row.
    emulator = make_emulator("demo")
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        day = pd.Timestamp(STORM.first_day, unit="s", tz="UTC")
        account = [STORM.account]
        rows = mm.read_suppressions(
            day, day + pd.Timedelta(days=1), accounts=account, session=session
        )
        every = {"accounts": "all", "session": session}  # every bounce, complaint, opt-out
        judged = mm.remediation_candidates(
            rows, bounces=mm.read_bounces(None, None, **every),
            complaints=mm.read_complaints(None, None, **every),
            opt_outs=mm.read_suppressions(None, None, **every),
        )  # fmt: skip
        chosen = judged[judged["verdict"] == "reactivate"]
        panel = RemediationPanel(chosen, session)
        assert panel.shown == len(chosen)
        assert "temporarily deferred" in panel.table.value and "reactivate" in panel.table.value
        assert "preview" in panel.why.value  # why the button is disabled
        one = chosen["email"].iloc[0]
        panel.search.value = one
        assert panel.shown == 1 and one in panel.table.value
        panel.search.value = ""
        assert panel.shown == len(chosen)
        mixed = RemediationPanel(judged, session)
        mixed.verdict.value = "keep"
        assert 0 < mixed.shown < len(judged) and "userunknown" in mixed.table.value
        assert "keep" in mixed.warning.value  # rows the servers called dead would come back
        assert mixed.activate_button.disabled and "marked keep" in mixed.why.value
        panel.confirm.value = True
        assert "preview" in panel.why.value  # what is applied is previewed first
        panel.preview_button.click()
        assert panel.why.value == ""
        panel.activate_button.click()
        assert panel.result["status"].eq("ok").all()
        assert panel.activate_button.disabled and "once" in panel.why.value


# Issue 33.12: where no kernel runs the widget (GitHub, nbviewer, the docs site), a displayed
# widget showed nothing but "VBox(children=...)"; it now carries a picture in its bundle.
def test_a_drawn_explorer_carries_its_chart_for_renderers_without_a_kernel(demo_session):
    import base64

    explorer = SuppressionExplorer(demo_session, start="2026-05-01", end="2026-07-01")
    explorer.refresh()
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # the live widget first
    assert base64.b64decode(bundle["image/png"]) == bytes(explorer.image.value)


def test_the_panel_carries_the_picture_it_is_given_for_renderers_without_a_kernel(
    demo_session, tmp_path
):
    import base64

    picture = tmp_path / "panel.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n a picture of the panel")
    rows = mm.read_suppressions("2026-06-09", "2026-06-10", accounts=[STORM.account],
                                session=demo_session)  # fmt: skip
    panel = RemediationPanel(rows, demo_session, fallback=picture)
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]) == picture.read_bytes()
    assert "image/png" not in RemediationPanel(rows, demo_session)._repr_mimebundle_()
