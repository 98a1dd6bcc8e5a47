"""Activating a judged frame whole, its verdict filter forgotten, is refused before any
request (adversarial review adv33g, defect 2): ``fix.mm.activate()`` on the whole
:func:`mmframe.remediation_candidates` frame planned its ``keep`` rows (a complainer, dead
mailboxes) and its ``review`` rows without a word. Rows whose verdict is not
``"reactivate"`` go through only when ``verdicts=`` names their verdict."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.emulator import Emulator

pytestmark = pytest.mark.invariants

ACCOUNT = "news@example.com"
ROWS = 12
VERDICTS = ("reactivate", "keep", "review")


@pytest.fixture(scope="module")
def served():
    """An emulator holding ``ROWS`` suppressions of one account, and them as read."""
    at = pd.Timestamp("2026-06-09 10:00", tz="UTC")
    sup = pd.DataFrame({
        "account": ACCOUNT, "email": [f"p{i}@yahoo.com" for i in range(ROWS)],
        "suppressed_at": [at + pd.Timedelta(minutes=i) for i in range(ROWS)], "reason": "bounce",
    })  # fmt: skip
    with Emulator("empty", port=0) as emulator:
        emulator.replay(suppressions=sup)
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            rows = mm.read_suppressions(None, None, accounts=[ACCOUNT], session=session)
            yield emulator, session, rows


def _requests(emulator: Emulator) -> int:
    return sum(m["requests"] for m in emulator.stats()["methods"].values())


def test_a_whole_judged_frame_is_refused_naming_each_verdict_and_the_way_out(served):
    # The review's case: {('keep', 'planned'): 5, ('reactivate', 'planned'): 56,
    # ('review', 'planned'): 29} from fix.mm.activate(full=True, dry_run=True).
    emulator, session, rows = served
    judged = rows.assign(verdict=["reactivate"] * 7 + ["keep"] * 2 + ["review"] * 3)
    emulator.reset_stats()
    with pytest.raises(ValueError) as refused:
        judged.mm.activate(full=True, dry_run=True, session=session)
    said = str(refused.value)
    assert _requests(emulator) == 0
    assert "2 keep" in said and "3 review" in said and "7 reactivate" in said, said
    assert 'frame[frame["verdict"] == "reactivate"]' in said and "verdicts=" in said, said
    # The same through the function, and a plain filter or verdicts= lets rows through.
    with pytest.raises(ValueError, match="2 keep"):
        mm.activate(judged, dry_run=True, session=session)
    fix = judged[judged["verdict"] == "reactivate"]
    assert fix.mm.activate(dry_run=True, session=session)["status"].eq("planned").all()
    through = judged.mm.activate(dry_run=True, session=session, verdicts=VERDICTS)
    assert len(through) == ROWS


def test_a_verdict_not_known_is_refused_as_verdicts_too(served):
    _emulator, session, rows = served
    with pytest.raises(ValueError, match="verdicts"):
        rows.mm.activate(dry_run=True, session=session, verdicts=("reactivate", "maybe"))
    with pytest.raises(ValueError, match="verdicts"):
        rows.mm.activate(dry_run=True, session=session, verdicts=())


_verdict = st.one_of(
    st.sampled_from(VERDICTS),
    st.sampled_from(VERDICTS).map(str.upper),
    st.sampled_from(VERDICTS).map(lambda v: f" {v.capitalize()} "),
    st.sampled_from(("", "maybe", "reactivated")),
    st.none(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    verdicts=st.lists(_verdict, min_size=ROWS, max_size=ROWS),
    allowed=st.one_of(
        st.none(),
        st.sets(st.sampled_from(VERDICTS), min_size=1).map(tuple),
        st.sampled_from(VERDICTS),
    ),
    take=st.lists(st.integers(0, ROWS - 1), unique=True),
    categorical=st.booleans(),
)
def test_no_row_whose_verdict_is_not_let_through_is_ever_planned(
    served, verdicts, allowed, take, categorical
):
    # Any judged frame (verdicts in any case, unknown, missing; any subset of rows, the
    # column categorical or not), any verdicts= : either refused before any request, or
    # every row planned has a verdict let through ("reactivate" alone by default).
    emulator, session, rows = served
    judged = rows.assign(verdict=pd.Series(verdicts, index=rows.index, dtype=object)).iloc[take]
    if categorical:
        judged = judged.assign(verdict=judged["verdict"].astype("category"))
    let = {allowed} if isinstance(allowed, str) else set(allowed or ("reactivate",))
    options = {} if allowed is None else {"verdicts": allowed}
    said = (
        judged["verdict"]
        .astype(object)
        .map(lambda v: v.strip().lower() if isinstance(v, str) else v)
    )
    outside = ~said.isin(let)
    emulator.reset_stats()
    if outside.any():
        with pytest.raises(ValueError, match=f"^activate: {int(outside.sum())} rows? of this"):
            judged.mm.activate(full=True, dry_run=True, session=session, **options)
        assert _requests(emulator) == 0
        return
    plan = judged.mm.activate(full=True, dry_run=True, session=session, **options)
    planned = plan[plan["status"].isin(["planned", "unchanged"])]
    assert len(planned) == len(judged) and set(said[planned.index]) <= let
