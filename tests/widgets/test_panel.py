"""The remediation panel applies exactly what it shows, previewed and confirmed, or nothing
(issue 29.3): a regression on a storm's judged frame, and the invariant over any sequence
of clicks on any frame (a Hypothesis state machine against a real emulator)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.judged import remember
from mmframe.widgets import RemediationPanel
from tests.report.generated import NEWS, STORM_DAY, history, storm_plan

pytestmark = [pytest.mark.invariants, pytest.mark.clock]


@pytest.fixture
def judged(make_emulator):
    """A storm day's suppressions judged (reactivate and keep), on a replica."""
    emulator = make_emulator("empty")
    h = history(storm_plan())
    emulator.replay(**h.frames)
    session = mm.Session(emulator.url, emulator.master_apikey)
    day = pd.Timestamp("2026-02-01", tz="UTC") + pd.Timedelta(days=STORM_DAY)
    who = {"accounts": [NEWS], "session": session}
    rows = mm.read_suppressions(day, day + pd.Timedelta(days=1), **who)
    # Every bounce, complaint and opt-out of every account, as the docs read them.
    all_ = {"accounts": "all", "session": session}
    every = {"bounces": mm.read_bounces(None, None, **all_),
             "complaints": mm.read_complaints(None, None, **all_),
             "opt_outs": mm.read_suppressions(None, None, **all_)}  # fmt: skip
    yield emulator, session, mm.remediation_candidates(rows, **every)
    session.close()


def test_the_verdict_filter_chooses_what_is_previewed_confirmed_and_applied(judged):
    # 29.3: filtered to "reactivate", the table said "335 of 417 rows", the button
    # "Activate 417 rows", and applying wrote all 417, the rows marked keep among them.
    emulator, session, frame = judged
    fix = frame[frame["verdict"] == "reactivate"]
    kept = frame[frame["verdict"] == "keep"]
    assert len(fix) and len(kept)
    panel = RemediationPanel(frame, session)
    assert panel.activate_button.disabled and "marked keep" in panel.why.value
    panel.verdict.value = "reactivate"
    assert panel.activate_button.description == f"Activate {len(fix):,} rows"
    assert f"I have checked these {len(fix):,} rows" == panel.confirm.description
    panel.confirm.value = True
    assert panel.activate_button.disabled and "preview" in panel.why.value  # not previewed
    panel.preview_button.click()
    assert list(panel.plan.index) == list(fix.index)
    assert not panel.activate_button.disabled  # the rows confirmed are the rows previewed
    emulator.reset_stats()
    panel.activate_button.click()
    assert list(panel.result.index) == list(fix.index)
    assert panel.result["status"].eq("ok").all()
    after = mm.read_recipients(kept["email"], session=session.for_account(NEWS))
    assert (after["suppression_status"] == "suppressed").all()  # keep rows untouched


def test_a_filter_changed_after_the_preview_asks_again(judged):
    _emulator, session, frame = judged
    panel = RemediationPanel(frame, session)
    panel.verdict.value = "reactivate"
    panel.preview_button.click()
    panel.confirm.value = True
    assert not panel.activate_button.disabled
    panel.search.value = str(frame["email"].iloc[-1])  # another set of rows
    assert not panel.confirm.value and panel.plan is None and panel.activate_button.disabled
    with pytest.raises(RuntimeError, match="not applied"):
        panel.apply()
    assert panel.result is None


def test_rows_marked_keep_need_their_own_tick(judged):
    _emulator, session, frame = judged
    panel = RemediationPanel(frame, session)
    panel.verdict.value = "keep"
    panel.preview_button.click()
    panel.confirm.value = True
    assert panel.activate_button.disabled and "marked keep" in panel.why.value
    panel.include_keep.value = True  # the override: a new preview and confirmation
    assert not panel.confirm.value and panel.activate_button.disabled
    panel.preview_button.click()
    panel.confirm.value = True
    assert not panel.activate_button.disabled
    panel.activate_button.click()
    assert set(panel.result.index) == set(frame.index[frame["verdict"] == "keep"])


def test_the_frame_changed_in_place_after_the_preview_changes_nothing_applied(judged):
    # Issue 29 second adversary: the panel held the caller's frame by reference; an address
    # edited in that frame after the preview and confirmation was the one activated (an
    # address that had complained), and the previewed one was not.
    _emulator, session, frame = judged
    fix = frame[frame["verdict"] == "reactivate"].copy()
    complained = frame.loc[frame["cause"] == "complaint", "email"]
    assert len(fix) and len(complained)
    panel = RemediationPanel(fix, session)
    panel.preview_button.click()
    panel.confirm.value = True
    previewed = set(panel.plan["email"])
    first = fix.index[0]
    fix.loc[first, "email"] = complained.iloc[0]  # the caller's frame, edited in place
    fix.loc[fix.index[1:], "verdict"] = "keep"
    panel.activate_button.click()
    assert set(panel.result["email"]) == previewed  # exactly what was previewed
    status = mm.read_recipients([complained.iloc[0]], session=session.for_account(NEWS))
    assert (status["suppression_status"] == "suppressed").all()


def test_rows_swapped_under_the_panel_after_the_preview_are_refused_and_said(judged):
    _emulator, session, frame = judged
    fix = frame[frame["verdict"] == "reactivate"]
    panel = RemediationPanel(fix, session)
    panel.preview_button.click()
    panel.confirm.value = True
    changed = fix.copy()
    changed.loc[changed.index[0], "email"] = "someone.else@example.com"
    panel.rows = changed  # the attribute replaced: same index, other values
    panel.activate_button.click()
    assert panel.result is None and "not applied" in panel.summary.value
    assert "preview" in panel.why.value and panel.activate_button.disabled


VERDICTS = ("reactivate", "keep", "review")


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 12))
    verdicts = draw(st.lists(st.sampled_from(VERDICTS), min_size=n, max_size=n))
    causes = draw(
        st.lists(st.sampled_from(("blocked", "complaint", "expired")), min_size=n, max_size=n)
    )
    frame = pd.DataFrame(
        {
            "email": [f"p{i}@panel.example" for i in range(n)],
            "suppressed_at": pd.Timestamp("2026-03-01", tz="UTC"),
            "reason": "bounce",
            "verdict": pd.Categorical(verdicts, categories=VERDICTS),
            "cause": causes,
            "evidence": [f"words {i % 3}" for i in range(n)],
        },
        index=draw(st.permutations(range(100, 100 + n))),
    )
    frame.attrs["mmframe"] = {"kind": "suppressions", "accounts": [None]}
    remember(frame)  # as remediation_candidates leaves it: activate checks it
    return frame


class ClickAnything(RuleBasedStateMachine):
    """Any filters, ticks and clicks, in any order: whatever is applied is the rows shown
    when it was confirmed, as previewed, and never a row marked keep without its tick."""

    emulator: Emulator

    @initialize(frame=frames())
    def open(self, frame: pd.DataFrame) -> None:
        self.session = mm.Session(self.emulator.url, self.emulator.master_apikey)
        self.panel = RemediationPanel(frame, self.session)
        self.frame = frame

    def teardown(self) -> None:
        if hasattr(self, "session"):
            self.session.close()

    @rule(value=st.sampled_from(("all", *VERDICTS)))
    def verdict(self, value: str) -> None:
        if value in self.panel.verdict.options:
            self.panel.verdict.value = value

    @rule(value=st.sampled_from(("all", "blocked", "complaint", "expired")))
    def cause(self, value: str) -> None:
        if value in self.panel.cause.options:
            self.panel.cause.value = value

    @rule(words=st.sampled_from(("", "words 1", "p1", "nothing")))
    def search(self, words: str) -> None:
        self.panel.search.value = words

    @rule()
    def keep_tick(self) -> None:
        self.panel.include_keep.value = not self.panel.include_keep.value

    @rule()
    def full_tick(self) -> None:
        self.panel.full.value = not self.panel.full.value

    @rule()
    def preview(self) -> None:
        if self.panel.result is None:
            self.panel.preview_button.click()

    @rule()
    def confirm(self) -> None:
        self.panel.confirm.value = not self.panel.confirm.value

    @rule()
    def click(self) -> None:
        shown = list(self.panel.filtered().index)
        previewed = None if self.panel.plan is None else list(self.panel.plan.index)
        confirmed, before = self.panel.confirm.value, self.panel.result
        self.panel.activate_button.click()
        if self.panel.result is None or self.panel.result is before:
            return
        applied = list(self.panel.result.index)
        assert confirmed and applied == shown == previewed
        verdicts = self.frame.loc[applied, "verdict"].astype(str)
        assert self.panel.include_keep.value or not (verdicts == "keep").any()

    @invariant()
    def labels_say_the_rows_shown(self) -> None:
        n = len(self.panel.filtered())
        assert self.panel.shown == n
        assert self.panel.activate_button.description == f"Activate {n:,} rows"
        assert self.panel.confirm.description == f"I have checked these {n:,} rows"
        if not self.panel.activate_button.disabled:
            assert self.panel.plan is not None and list(self.panel.plan.index) == list(
                self.panel.filtered().index
            )


@pytest.mark.slow
def test_any_clicks_apply_only_what_was_shown_previewed_and_confirmed():
    with Emulator("empty", port=0) as emulator:
        ClickAnything.emulator = emulator
        run = ClickAnything.TestCase
        run.settings = settings(
            max_examples=40, stateful_step_count=12, deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        )  # fmt: skip
        run().runTest()


def test_the_panel_reads_nothing_and_writes_nothing_until_asked(judged):
    emulator, session, frame = judged
    emulator.reset_stats()
    panel = RemediationPanel(frame, session)
    panel.verdict.value = "reactivate"
    panel.confirm.value = True
    panel.activate_button.click()
    assert emulator.stats()["totals"]["writes"] == 0
    assert "not applied" in panel.summary.value


def test_a_plain_suppressions_frame_keeps_its_complaints_and_unsubscribes(judged):
    # The adversary: RemediationPanel(read_suppressions(...)) applied 67 rows, 2 complaint
    # and 5 unsubscribe suppressions among them: without a verdict column nothing was "keep".
    _emulator, session, _frame = judged
    plain = mm.read_suppressions(None, None, accounts=[NEWS], session=session)
    unwanted = plain["reason"].astype(str).isin(["complaint", "unsubscribe", "manual"])
    assert unwanted.any()
    panel = RemediationPanel(plain, session)
    panel.preview_button.click()
    panel.confirm.value = True
    assert panel.activate_button.disabled and "keep" in panel.why.value
    panel.activate_button.click()
    assert panel.result is None and "not applied" in panel.summary.value


def test_an_error_when_applying_is_shown_in_the_panel(judged, make_emulator, tmp_path):
    # The adversary: a refused journal made the button go grey with no word at all.
    _emulator, session, frame = judged
    elsewhere = make_emulator("empty")
    journal = tmp_path / "fix.jsonl"
    with mm.Session(elsewhere.url, elsewhere.master_apikey) as other:
        plain = pd.DataFrame({"email": frame["email"].head(1)})  # no record of news@'s read
        mm.suppress(plain, session=other, kind="recipients", journal=journal)
    panel = RemediationPanel(frame, session, journal=str(journal))
    panel.verdict.value = "reactivate"
    panel.preview_button.click()
    panel.confirm.value = True
    panel.activate_button.click()
    assert panel.result is None
    assert "another endpoint" in panel.summary.value and "error" in panel.summary.value
