"""Activating bounce rows nobody judged says so (fifteenth review, W-15e, W-DOC-1's second
half): ``read_suppressions(...)`` of a storm day, activated as read, put back whoever was
among them, dead mailboxes too, without a word, where the RemediationPanel says "not
judged". An ``EvidenceWarning`` now names how many rows listed for a bounce were never
judged and the recipe; a judged frame, or rows that were not bounces, are not warned."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.errors import EvidenceWarning
from tests.writes.lists import judged_storm, one_list

NEWS = "news@example.com"
STORM = ("2026-06-09", "2026-06-10")


def test_a_storm_day_activated_as_read_is_warned_never_judged(demo_session):
    day = mm.read_suppressions(*STORM, accounts=[NEWS], session=demo_session)
    bounced = day[day["reason"] == "bounce"].head(20)
    with pytest.warns(EvidenceWarning, match="20 rows listed for a bounce were never judged"):
        plan = bounced.mm.activate(full=True, dry_run=True, session=demo_session)
    assert set(plan["status"]) <= {"planned", "unchanged"}
    selected = bounced[["email"]]  # the reason column dropped: the list's reasons tell
    with pytest.warns(EvidenceWarning, match="20 rows listed for a bounce were never judged"):
        selected.mm.activate(full=True, dry_run=True, session=demo_session)


def test_the_rows_a_judged_frame_clears_are_not_warned(demo_session):
    fix = judged_storm(demo_session)
    clear = fix[fix["verdict"] == "reactivate"].head(20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clear.mm.activate(full=True, dry_run=True, session=demo_session)


def test_hand_built_frames_and_recipients_frames_of_bounce_rows_are_warned(demo_session):
    """The adversary's ways round a frame's reason column (W-16b): a frame built by hand
    with kind=, an account column, or a recipients frame with full=True: the list's own
    reasons say which rows are bounces."""
    day = mm.read_suppressions(*STORM, accounts=[NEWS], session=demo_session)
    emails = list(day.loc[day["reason"] == "bounce", "email"].head(6))
    news = demo_session.for_account(NEWS)
    for frame, options in (
        (pd.DataFrame({"email": emails[:2]}), {"kind": "suppressions", "session": news}),
        (pd.DataFrame({"account": NEWS, "email": emails[2:4]}), {"kind": "suppressions"}),
        (mm.read_recipients(emails[4:6], session=news), {"full": True, "session": news}),
    ):
        with pytest.warns(EvidenceWarning, match="2 rows listed for a bounce were never judged"):
            frame.mm.activate(dry_run=True, **{"session": demo_session, **options})


REASONS = ("bounce", "complaint", "unsubscribe", "manual")
ROWS = 12
EDITS = ("as read", "dropped", "overwritten")


@pytest.fixture(scope="module")
def served():
    """One account's list holding every reason, and it as read."""
    with one_list([REASONS[i % 4] for i in range(ROWS)]) as (_emulator, session, rows):
        yield session, rows


@pytest.mark.invariants
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(picked=st.lists(st.integers(0, ROWS - 1), min_size=1, max_size=ROWS, unique=True),
       edit=st.sampled_from(EDITS))  # fmt: skip
def test_warned_iff_a_row_the_list_holds_for_a_bounce_is_let_through_unjudged(served, picked, edit):
    """Whatever rows are picked and whatever became of their reason column: refused when
    the list holds one as asked; else warned, with their number, exactly when the list
    holds some for a bounce."""
    session, rows = served
    chosen = rows.iloc[sorted(picked)]
    listed = list(chosen["reason"].astype(str))
    frame = {
        "dropped": chosen.drop(columns="reason"),
        "overwritten": chosen.assign(reason="bounce"),
    }.get(edit, chosen)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        try:
            frame.mm.activate(dry_run=True, session=session)
        except ValueError:
            assert set(listed) != {"bounce"}
            return
    assert set(listed) == {"bounce"}
    never = [str(w.message) for w in said if "never judged" in str(w.message)]
    assert len(never) == 1 and f"{len(listed):,} row" in never[0], never
