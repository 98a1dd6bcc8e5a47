"""Activating a judged frame whole, its verdict filter forgotten, is refused before any
request (adversarial review adv33g, defect 2): ``fix.mm.activate()`` on the whole
:func:`mmframe.remediation_candidates` frame planned its ``keep`` rows (a complainer, dead
mailboxes) and its ``review`` rows without a word. Rows whose verdict is not
``"reactivate"`` go through only when ``verdicts=`` names their verdict."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.judged import remember
from tests.evidence_record import whole
from tests.writes.lists import one_list

pytestmark = pytest.mark.invariants

ACCOUNT = "news@example.com"
ROWS = 12
VERDICTS = ("reactivate", "keep", "review")


@pytest.fixture(scope="module")
def served():
    """An emulator holding ``ROWS`` bounce suppressions of one account, and them as read."""
    with one_list(["bounce"] * ROWS, ACCOUNT) as served:
        yield served


def _requests(emulator: Emulator) -> int:
    return sum(m["requests"] for m in emulator.stats()["methods"].values())


def test_a_whole_judged_frame_is_refused_naming_each_verdict_and_the_way_out(served):
    # The review's case: {('keep', 'planned'): 5, ('reactivate', 'planned'): 56,
    # ('review', 'planned'): 29} from fix.mm.activate(full=True, dry_run=True).
    emulator, session, rows = served
    judged = rows.assign(verdict=["reactivate"] * 7 + ["keep"] * 2 + ["review"] * 3)
    remember(judged)  # judged by hand, recorded as remediation_candidates records it
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
    judged = rows.assign(verdict=pd.Series(verdicts, index=rows.index, dtype=object))
    remember(judged)  # judged by hand: without the record, activate refuses it whole
    judged = judged.iloc[take]
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


# --- a frame derived from a judged one (eighth review, defect 2) ------------------------
#: What the evidence says of each of the ``ROWS`` addresses: a deferral that passes
#: (reactivate), a dead mailbox (keep), a complaint (keep), no bounce found (review).
_SAID = ["passes"] * 6 + ["dead"] * 2 + ["complained"] + ["none"] * 3


def _judged(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` judged by remediation_candidates on evidence built here (6 reactivate, 3
    keep, 3 review), every evidence frame given."""
    texts = {"passes": "452 4.2.2 Mailbox full, try again later",
             "dead": "550 5.1.1 <{e}>: Recipient address rejected: User unknown"}  # fmt: skip
    bounced = [(r.account, r.email, r.suppressed_at - pd.Timedelta(seconds=20),
                texts[s].format(e=r.email), "soft" if s == "passes" else "hard")
               for r, s in zip(rows.itertuples(), _SAID, strict=True) if s in texts]  # fmt: skip
    bounces = pd.DataFrame(bounced, columns=["account", "email", "bounced_at", "message",
                                             "bounce_type"]).assign(domain="yahoo.com")  # fmt: skip
    complaints = rows[[s == "complained" for s in _SAID]][["account", "email"]].assign(
        complained_at=pd.Timestamp("2026-05-01", tz="UTC")
    )
    # Built here, whole: not the one-account read of ``rows`` their attrs would say.
    opt_outs = rows.iloc[:0].copy()
    return mm.remediation_candidates(
        rows, bounces=whole(bounces), complaints=whole(complaints), opt_outs=whole(opt_outs)
    )


def test_the_judged_frame_holds_the_verdicts_this_test_expects(served):
    _emulator, _session, rows = served
    judged = _judged(rows)
    assert judged["verdict"].astype(str).tolist() == (
        ["reactivate"] * 6 + ["keep"] * 3 + ["review"] * 3
    ), judged[["verdict", "evidence"]]


def test_the_reviewers_column_selection_is_refused_before_any_request(served):
    # j[["account", "email", "suppressed_at", "reason", "suppression_id"]] planned all 501
    # rows, the 15 who complained to that very account among them.
    emulator, session, rows = served
    judged = _judged(rows)
    emulator.reset_stats()
    for derived in (
        judged[["account", "email", "suppressed_at", "reason", "suppression_id"]],
        judged.drop(columns="verdict"),
        judged[["account", "email"]],
        judged[judged["verdict"] == "keep"].assign(verdict="reactivate"),
    ):
        with pytest.raises(ValueError, match=r"^activate: (3|6) rows of this frame") as refused:
            derived.mm.activate(full=True, dry_run=True, session=session)
        said = str(refused.value)
        assert "remediation_candidates" in said and "verdicts=" in said, said
    assert _requests(emulator) == 0
    # The attrs stay JSON-safe, and hold no key.
    text = json.dumps(judged.attrs)
    assert emulator.master_apikey not in text


#: Columns a selection may keep besides ``account`` and ``email``.
_COLUMNS = ["suppressed_at", "reason", "suppression_id", "domain", "verdict", "cause", "evidence"]
#: A step of pandas a user may take on a judged frame before activating it.
_step = st.one_of(
    st.tuples(st.just("columns"), st.lists(st.sampled_from(_COLUMNS), unique=True)),
    st.tuples(st.just("drop verdict"), st.none()),
    st.tuples(st.just("filter"), st.lists(st.booleans(), min_size=ROWS, max_size=ROWS)),
    st.tuples(st.just("reset"), st.booleans()),
    st.tuples(st.just("copy"), st.booleans()),
    st.tuples(st.just("sort"), st.booleans()),
    st.tuples(st.just("say reactivate"), st.none()),
)


def _apply(frame: pd.DataFrame, step: tuple[str, object]) -> pd.DataFrame:
    name, arg = step
    if name == "columns":
        return frame[["account", "email", *[c for c in arg if c in frame.columns]]]
    if name == "drop verdict":
        return frame.drop(columns="verdict", errors="ignore")
    if name == "filter":
        # a boolean Series: an empty list would select no columns of an empty frame
        keep = [arg[i % ROWS] for i in range(len(frame))]
        return frame[pd.Series(keep, index=frame.index, dtype=bool)]
    if name == "reset":
        return frame.reset_index(drop=bool(arg)).drop(columns="index", errors="ignore")
    if name == "copy":
        return frame.copy(deep=bool(arg))
    if name == "sort":
        return frame.sort_values("email", ascending=bool(arg))
    return frame.assign(verdict="reactivate")  # deliberate, and still refused


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    steps=st.lists(_step, max_size=5),
    allowed=st.one_of(st.none(), st.sets(st.sampled_from(VERDICTS), min_size=1).map(tuple)),
)
def test_no_frame_derived_from_a_judged_one_plans_a_row_held_back(served, steps, allowed):
    # Any selection, filter, copy, sort or index reset of a judged frame, its verdict
    # column kept, dropped or overwritten: either refused before any request, or every
    # row planned was judged a verdict verdicts= lets through.
    emulator, session, rows = served
    judged = _judged(rows)
    truth = dict(zip(judged["email"], judged["verdict"].astype(str), strict=True))
    derived = judged
    for step in steps:
        derived = _apply(derived, step)
    let = set(allowed or ("reactivate",))
    options = {} if allowed is None else {"verdicts": allowed}
    # Refused: a row held back (keep, review) whose verdict is not let through, or, while
    # the frame has a verdict column, a row whose column says a verdict not let through.
    held = [e for e in derived["email"] if truth[e] != "reactivate" and truth[e] not in let]
    said = derived["verdict"].astype(str) if "verdict" in derived.columns else pd.Series()
    emulator.reset_stats()
    if held or not set(said) <= let:
        with pytest.raises(ValueError, match=r"^activate: \d+ rows? of this frame"):
            derived.mm.activate(full=True, dry_run=True, session=session, **options)
        assert _requests(emulator) == 0
        return
    plan = derived.mm.activate(full=True, dry_run=True, session=session, **options)
    assert len(plan) == len(derived)
    assert {truth[e] for e in derived["email"]} - {"reactivate"} <= let
