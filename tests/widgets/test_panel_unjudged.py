"""The remediation panel on a frame never judged (tenth review, F16): the docs' own example,
``RemediationPanel(read_suppressions(...))``, previewed "planned: 200" without a word and
applied every row, dead mailboxes and other accounts' complainers among them. Nothing was
read of their bounces, complaints or opt-outs: the panel says so in its warning, its
``why``, its preview and its summary, and puts such rows back only with a tick of their
own ("also rows not judged"), as rows to keep need theirs."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.judged import remember
from mmframe.widgets import RemediationPanel
from tests.widgets.test_panel_condemned import NEWS, _history, _suppressed

pytestmark = [pytest.mark.invariants, pytest.mark.clock]

NOT_JUDGED = "not judged"


@pytest.fixture
def storm(make_emulator):
    """The storm day's suppressions on news@, straight from read_suppressions (60 rows:
    p0 complained to promo@, p1 is dead there, p2 unsubscribed from it)."""
    emulator = make_emulator("empty")
    emulator.replay(**_history())
    session = mm.Session(emulator.url, emulator.master_apikey)
    rows = mm.read_suppressions("2026-06-09", "2026-06-10", accounts=[NEWS], session=session)
    yield emulator, session, rows
    session.close()


def test_an_unjudged_frame_is_said_so_and_applied_only_with_its_own_tick(storm):
    emulator, session, rows = storm
    assert len(rows) == 60 and rows["reason"].eq("bounce").all()
    panel = RemediationPanel(rows, session)
    said = panel.warning.value
    assert f"60 {NOT_JUDGED}" in said and "remediation_candidates" in said, said
    for read in ("bounce", "complaint", "opt-out"):
        assert read in said, said
    assert panel.include_unjudged.layout.display != "none"  # offered where it matters
    emulator.reset_stats()
    panel.preview_button.click()  # a dry run is free, and says what it previews
    assert panel.plan is not None and panel.plan["status"].eq("planned").all()
    said = panel.plan_summary.value
    assert f"60 {NOT_JUDGED}" in said and "remediation_candidates" in said, said
    panel.confirm.value = True
    assert panel.activate_button.disabled
    assert "also rows not judged" in panel.why.value and "remediation_candidates" in panel.why.value
    panel.activate_button.click()
    assert panel.result is None and "not applied" in panel.summary.value
    with pytest.raises(RuntimeError, match=NOT_JUDGED):
        panel.apply()
    assert emulator.stats()["totals"]["writes"] == 0
    assert _suppressed(session, ["p0@yahoo.com", "p1@yahoo.com"])
    panel.include_unjudged.value = True  # the deliberate step: a new preview and confirmation
    assert panel.plan is None and not panel.confirm.value
    panel.preview_button.click()
    panel.confirm.value = True
    assert not panel.activate_button.disabled, panel.why.value
    panel.activate_button.click()
    assert len(panel.result) == 60 and panel.result["status"].eq("ok").all()
    assert f"60 {NOT_JUDGED}" in panel.summary.value


def test_a_judged_frame_is_not_said_unjudged_nor_offered_the_tick(storm):
    _emulator, session, rows = storm
    every = {"accounts": "all", "session": session}
    judged = mm.remediation_candidates(
        rows, bounces=mm.read_bounces(None, None, **every),
        complaints=mm.read_complaints(None, None, **every),
        opt_outs=mm.read_suppressions(None, None, **every),
    )  # fmt: skip
    # Filtered, or its judging columns dropped: the record in its attrs still judges it.
    for frame in (judged, judged[judged["verdict"] == "reactivate"][["account", "email"]]):
        panel = RemediationPanel(frame, session)
        assert NOT_JUDGED not in panel.warning.value
        assert panel.include_unjudged.layout.display == "none"
        panel.preview_button.click()
        assert NOT_JUDGED not in panel.plan_summary.value


REASONS = ("bounce", "bounce", "bounce", "complaint", "unsubscribe", "manual")


@st.composite
def frames(draw: st.DrawFn) -> tuple[pd.DataFrame, bool]:
    """A suppressions frame of any reasons, on any index, judged (all ``reactivate``) or
    never judged."""
    n = draw(st.integers(1, 8))
    frame = pd.DataFrame(
        {
            "email": [f"u{i}@panel.example" for i in range(n)],
            "suppressed_at": pd.Timestamp("2026-03-01", tz="UTC"),
            "reason": draw(st.lists(st.sampled_from(REASONS), min_size=n, max_size=n)),
        },
        index=draw(st.permutations(range(300, 300 + n))),
    )
    frame.attrs["mmframe"] = {"kind": "suppressions", "accounts": [None]}
    judged = draw(st.booleans())
    if judged:
        frame["verdict"] = "reactivate"
        remember(frame)
    return frame, judged


@pytest.mark.slow
def test_the_panel_never_applies_an_unjudged_row_unticked():
    with (
        Emulator("empty", port=0) as emulator,
        mm.Session(emulator.url, emulator.master_apikey) as session,
    ):

        @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(
            drawn=frames(),
            words=st.sampled_from(("", "u1", "u2@", "nothing")),
            keep=st.booleans(),
            unjudged=st.booleans(),
        )
        def check(drawn, words, keep, unjudged):
            frame, judged = drawn
            panel = RemediationPanel(frame, session)
            panel.search.value = words
            panel.include_keep.value = keep
            panel.include_unjudged.value = unjudged
            shown = frame.loc[panel.filtered().index]
            kept = shown["reason"].astype(str) != "bounce"
            loose = int((~kept).sum()) if not judged else 0  # not judged, nothing holds them
            assert (NOT_JUDGED in panel.warning.value) == bool(loose), panel.warning.value
            panel.preview_button.click()
            panel.confirm.value = True
            panel.activate_button.click()
            allowed = len(shown) and (keep or not kept.any()) and (unjudged or not loose)
            if not allowed:
                assert panel.result is None, panel.why.value
                if loose and not unjudged and not (kept.any() and not keep):
                    assert "also rows not judged" in panel.why.value, panel.why.value
                return
            assert panel.result is not None, panel.why.value
            assert list(panel.result.index) == list(shown.index)

        check()
