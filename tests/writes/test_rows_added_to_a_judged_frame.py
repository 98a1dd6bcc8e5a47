"""A row added to a judged frame, or one whose address or account was edited since, is
not put back as if the judging had cleared it (twentieth review, W-20a): the record kept
only the rows held back, so any other row passed for cleared, and a dead mailbox added
with ``.loc`` or ``.assign`` was reactivated with no refusal and no warning. The record
now names the rows cleared too; a row it names neither way is refused before any
request, unless ``verdicts=`` names ``"keep"``.

The invariant, over generated edits of the demo's judged storm: an activation of the
edited frame either is refused before any request, or plans only rows the judging
cleared, each on its own account."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from tests.writes.lists import judged_storm

OTHERS = ("promo@example.org", "ops@example.com")


@pytest.fixture(scope="module")
def storm(demo_emulator):
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        fix = judged_storm(session)
    return demo_emulator, fix


def _cleared(fix: pd.DataFrame) -> set[tuple[str, str]]:
    clear = fix[fix["verdict"] == "reactivate"]
    return set(zip(clear["account"].astype(str), clear["email"].str.lower(), strict=True))


def test_a_row_added_with_loc_is_refused(storm):
    emulator, fix = storm
    clear = fix[fix["verdict"] == "reactivate"].copy()
    added = clear.index.max() + 1
    clear.loc[added] = clear.iloc[0]
    clear.loc[added, "email"] = "never-judged-person@example.net"
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        with pytest.raises(ValueError, match="not among the rows") as refused:
            clear.mm.activate(full=True, dry_run=True, session=session)
        assert "never-judged-person@example.net" in str(refused.value)
        planned = clear.mm.activate(
            full=True, dry_run=True, session=session, verdicts=("reactivate", "keep")
        )  # the deliberate way
    assert len(planned) == len(clear)


edits = st.lists(
    st.tuples(
        st.integers(0, 10**6),
        st.sampled_from(["email", "account", "added"]),
        st.sampled_from(OTHERS),
    ),
    min_size=0,
    max_size=4,
)


@pytest.mark.invariants
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=edits, take=st.integers(2, 30))
def test_an_edited_judged_frame_plans_only_rows_its_judging_cleared(storm, edits, take):
    emulator, fix = storm
    cleared = _cleared(fix)
    frame = fix[fix["verdict"] == "reactivate"].head(take).copy()
    frame["account"] = frame["account"].astype(str)  # any account may be written in
    # addresses the judging held back, and some it never saw
    others = [*fix[fix["verdict"] != "reactivate"]["email"].head(3), "x-new@example.net",
              "dead-elsewhere@example.org", "y-new@example.net"]  # fmt: skip
    for seed, how, account in edits:
        row = frame.index[seed % len(frame)]
        if how == "email":
            frame.loc[row, "email"] = others[seed % len(others)]
        elif how == "account":
            frame.loc[row, "account"] = account
        else:
            new = frame.index.max() + 1
            frame.loc[new] = frame.loc[row]
            frame.loc[new, "email"] = others[(seed + 1) % len(others)]
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        try:
            plan = frame.mm.activate(full=True, dry_run=True, session=session)
        except ValueError:
            return  # refused before any request: nothing planned
    planned = plan[plan["status"].astype(str) == "planned"]
    keys = set(zip(planned["account"].astype(str), planned["email"].str.lower(), strict=True))
    assert keys <= cleared, keys - cleared
