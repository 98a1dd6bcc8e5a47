"""Activating bounce rows nobody judged says so (fifteenth review, W-15e, W-DOC-1's second
half): ``read_suppressions(...)`` of a storm day, activated as read, put back whoever was
among them, dead mailboxes too, without a word, where the RemediationPanel says "not
judged". An ``EvidenceWarning`` now names how many rows listed for a bounce were never
judged and the recipe; a judged frame, or rows that were not bounces, are not warned."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.errors import EvidenceWarning
from mmframe.writes.verdicts import never_judged_said

NEWS = "news@example.com"
STORM = ("2026-06-09", "2026-06-10")


def test_a_storm_day_activated_as_read_is_warned_never_judged(demo_session):
    day = mm.read_suppressions(*STORM, accounts=[NEWS], session=demo_session)
    bounced = day[day["reason"] == "bounce"].head(20)
    with pytest.warns(EvidenceWarning, match="20 rows listed for a bounce were never judged"):
        plan = bounced.mm.activate(full=True, dry_run=True, session=demo_session)
    assert set(plan["status"]) <= {"planned", "unchanged"}
    selected = bounced[["email"]]  # the reason column dropped: a suppressions read, by attrs
    with pytest.warns(EvidenceWarning, match="20 rows of a suppressions read were never judged"):
        selected.mm.activate(full=True, dry_run=True, session=demo_session)


def test_the_rows_a_judged_frame_clears_are_not_warned(demo_session):
    every = {"accounts": "all", "session": demo_session}
    day = mm.read_suppressions(*STORM, accounts=[NEWS], session=demo_session)
    fix = mm.remediation_candidates(
        day,
        bounces=mm.read_bounces(None, None, **every),
        complaints=mm.read_complaints(None, None, **every),
        opt_outs=mm.read_suppressions(None, None, **every),
    )
    clear = fix[fix["verdict"] == "reactivate"].head(20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clear.mm.activate(full=True, dry_run=True, session=demo_session)


REASONS = ["bounce", "complaint", "unsubscribe", "manual", None]


@pytest.mark.invariants
@settings(max_examples=200, deadline=None)
@given(
    reasons=st.lists(st.sampled_from(REASONS), min_size=1, max_size=30),
    read=st.booleans(),
    reason_kept=st.booleans(),
    judged_column=st.sampled_from([None, "verdict", "cause"]),
)
def test_warned_iff_an_unjudged_frame_holds_a_bounce(reasons, read, reason_kept, judged_column):
    """Said exactly when no judging shows on the frame and some row is a bounce by its
    reason, or, its reason column gone, the frame is a suppressions read (whose reasons
    nothing shows any more): and then with the number of those rows."""
    frame = pd.DataFrame(
        {"email": [f"u{i}@example.org" for i in range(len(reasons))], "reason": reasons}
    )
    if read:
        frame.attrs["mmframe"] = {"kind": "suppressions", "accounts": None}
    if not reason_kept:
        frame = frame[["email"]]
    if judged_column:
        frame[judged_column] = "reactivate"
    said = never_judged_said(frame)
    bounces = sum(r == "bounce" for r in reasons) if reason_kept else len(reasons) * read
    if judged_column or not bounces:
        assert said == ""
    else:
        assert f"{bounces:,} row" in said and "never judged" in said
