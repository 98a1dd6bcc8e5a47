"""Rows the evidence condemns go back only by the deliberate opt-in rows to keep need
(adv9, F2 and F3): ``verdicts=("reactivate", "review")``, which the refusal message
advised, planned 384 rows, every complainer, opt-out and dead mailbox of the other
accounts among them; and the remediation panel, given a judged frame without its
``verdict`` and ``cause`` columns, applied 52 rows, 40 condemned, behind its confirm box.
The judged record in the frame's attrs now carries which held rows are condemned (and
why), and both ``activate`` and the panel hold them unless ``keep`` is let through,
whatever was done to the frame since; the refusal never advises a value that lets them
through."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.widgets import RemediationPanel
from tests.evidence_record import whole

pytestmark = pytest.mark.invariants

NEWS, PROMO = "news@example.com", "promo@example.com"
ROWS = 14
DAY = pd.Timestamp("2026-06-09 10:00", tz="UTC")
OLD = pd.Timestamp("2026-02-02 09:00", tz="UTC")
STORM = "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints"
DEAD = "550 5.1.1 The email account that you tried to reach does not exist."
#: What the evidence holds against an address, and whether that condemns it (the test's
#: own list, from the docs: a complaint, an opt-out, a dead mailbox, a hard bounce naming
#: no cause that passes, on this account or another).
KINDS = {
    "passes": False,  # a storm deferral, nothing else: reactivate
    "nothing": False,  # no bounce found: review, on evidence missing
    "complained there": True, "unsubscribed there": True, "manual there": True,
    "dead there": True, "hard there": True, "hard here": True,
    "complained here": True, "dead here": True,
}  # fmt: skip
PLAN = list(KINDS) + ["passes"] * (ROWS - len(KINDS))


def _evidence(kinds: list[str]) -> dict[str, pd.DataFrame]:
    """Every frame of the history the kinds make, both accounts (in memory, as read)."""
    emails = [f"p{i}@yahoo.com" for i in range(len(kinds))]
    at = [DAY + pd.Timedelta(minutes=i) for i in range(len(kinds))]
    sup = pd.DataFrame({"account": NEWS, "email": emails, "domain": "yahoo.com",
                        "suppressed_at": at, "reason": "bounce"})  # fmt: skip
    bounces, complaints, lists = [], [], [sup]
    for e, t, kind in zip(emails, at, kinds, strict=True):
        mine = {"email": e, "domain": "yahoo.com"}
        if kind != "nothing":
            bounces.append({"account": NEWS, **mine, "bounced_at": t - pd.Timedelta(seconds=20),
                            "bounce_type": "soft", "message": STORM})  # fmt: skip
        who = PROMO if kind.endswith("there") else NEWS
        if kind.startswith("complained"):
            complaints.append({"account": who, **mine, "complained_at": OLD})
        elif kind.startswith(("unsubscribed", "manual")):
            reason = "unsubscribe" if kind.startswith("unsub") else "manual"
            lists.append(pd.DataFrame([{"account": who, **mine, "suppressed_at": OLD,
                                        "reason": reason}]))  # fmt: skip
        elif kind.startswith(("dead", "hard")):
            text = DEAD if kind.startswith("dead") else "554 Transaction failed"
            bounces.append({"account": who, **mine, "bounced_at": OLD, "bounce_type": "hard",
                            "message": text})  # fmt: skip
    complaint_frame = pd.DataFrame(complaints, columns=["account", "email", "domain",
                                                       "complained_at"])  # fmt: skip
    complaint_frame["complained_at"] = pd.to_datetime(complaint_frame["complained_at"], utc=True)
    return {  # built here, whole: recorded as a read of everything
        "suppressions": sup,
        "bounces": whole(pd.DataFrame(bounces)),
        "complaints": whole(complaint_frame),
        "opt_outs": whole(pd.concat(lists, ignore_index=True)),
    }


@pytest.fixture(scope="module")
def served():
    """An emulator holding the ``ROWS`` suppressions of news@, and them judged."""
    yield from served_judged()


def served_judged() -> Iterator[tuple[Emulator, mm.Session, pd.DataFrame, dict[str, bool]]]:
    """(emulator, session, the rows judged, whether the evidence condemns each address)."""
    frames = _evidence(PLAN)
    with Emulator("empty", port=0) as emulator:
        emulator.replay(suppressions=frames["suppressions"])
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            rows = mm.read_suppressions(None, None, accounts=[NEWS], session=session)
            judged = mm.remediation_candidates(
                rows, bounces=frames["bounces"], complaints=frames["complaints"],
                opt_outs=frames["opt_outs"],
            )  # fmt: skip
            truth = {e: KINDS[k] for e, k in zip(frames["suppressions"]["email"], PLAN,
                                                 strict=True)}  # fmt: skip
            yield emulator, session, judged, truth


def requests_made(emulator: Emulator) -> int:
    return sum(m["requests"] for m in emulator.stats()["methods"].values())


def test_the_judged_frame_holds_what_this_test_expects(served):
    _emulator, _session, judged, truth = served
    verdict = dict(zip(judged["email"], judged["verdict"].astype(str), strict=True))
    for e, condemned in truth.items():
        assert (verdict[e] != "reactivate") == (condemned or e == "p1@yahoo.com"), (e, verdict[e])
    review = judged[judged["verdict"] == "review"]
    assert len(review) >= 6, judged[["email", "verdict", "cause"]]  # condemned there, and p1


def test_the_refusal_names_the_condemned_and_never_advises_letting_them_through(served):
    # F3: "... name the verdicts to let through, verdicts=('reactivate', 'review')", which
    # then planned every condemned row to review.
    emulator, session, judged, truth = served
    emulator.reset_stats()
    with pytest.raises(ValueError) as refused:
        judged.mm.activate(full=True, dry_run=True, session=session)
    said = str(refused.value)
    doomed = sum(truth.values())
    assert f"{doomed} of the rows refused the evidence condemns" in said, said
    assert '"keep"' in said and "deliberate" in said, said
    # Following the advice on review rows with condemned ones among them is refused too.
    not_kept = judged[judged["verdict"] != "keep"]
    with pytest.raises(ValueError, match="condemns") as again:
        not_kept.mm.activate(full=True, dry_run=True, session=session,
                             verdicts=("reactivate", "review"))  # fmt: skip
    advice = str(again.value)
    assert "verdicts=('reactivate', 'review')" not in advice, advice
    assert requests_made(emulator) == 0
    # The one row to review that nothing condemns goes through with "review" named.
    free = judged[(judged["verdict"] != "keep") & judged["email"].map(lambda e: not truth[e])]
    plan = free.mm.activate(full=True, dry_run=True, session=session,
                            verdicts=("reactivate", "review"))  # fmt: skip
    assert set(plan["email"]) == {e for e, bad in truth.items() if not bad}


#: Columns a selection may keep besides ``account`` and ``email``.
_COLUMNS = ["suppressed_at", "reason", "domain", "verdict", "cause", "evidence", "storm"]
_step = st.one_of(
    st.tuples(st.just("columns"), st.lists(st.sampled_from(_COLUMNS), unique=True)),
    st.tuples(st.just("drop"), st.lists(st.sampled_from(["verdict", "cause"]), min_size=1)),
    st.tuples(st.just("filter"), st.lists(st.booleans(), min_size=ROWS, max_size=ROWS)),
    st.tuples(st.just("verdict"), st.sampled_from(["review", "reactivate", "not keep"])),
    st.tuples(st.just("reset"), st.booleans()),
    st.tuples(st.just("index"), st.booleans()),
    st.tuples(st.just("say"), st.sampled_from(["review", "reactivate"])),
)


def _apply(frame: pd.DataFrame, step: tuple[str, object]) -> pd.DataFrame:
    name, arg = step
    if name == "columns":
        return frame[["account", "email", *[c for c in arg if c in frame.columns]]]
    if name == "drop":
        return frame.drop(columns=list(arg), errors="ignore")
    if name == "filter":
        # a boolean Series: an empty list would select no columns of an empty frame
        keep = [arg[i % ROWS] for i in range(len(frame))]
        return frame[pd.Series(keep, index=frame.index, dtype=bool)]
    if name == "verdict" and "verdict" in frame.columns:
        said = frame["verdict"].astype(str)
        return frame[said != "keep" if arg == "not keep" else said == arg]
    if name == "reset":
        return frame.reset_index(drop=bool(arg)).drop(columns="index", errors="ignore")
    if name == "index":
        moved = frame.set_index("email").reset_index()
        return moved[["account", *[c for c in moved.columns if c != "account"]]] if arg else moved
    if name == "say" and "verdict" in frame.columns:
        return frame.assign(verdict=arg)  # deliberate, and still refused for the condemned
    return frame


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(steps=st.lists(_step, max_size=5))
def test_verdicts_reactivate_and_review_never_plan_a_condemned_row(served, steps):
    emulator, session, judged, truth = served
    derived = judged
    for step in steps:
        derived = _apply(derived, step)
    emulator.reset_stats()
    try:
        plan = derived.mm.activate(full=True, dry_run=True, session=session,
                                   verdicts=("reactivate", "review"))  # fmt: skip
    except ValueError as exc:
        assert requests_made(emulator) == 0
        said = str(exc)
        assert re.match(r"^activate: \d+ rows? of this frame", said), said
        if any(truth[e] for e in derived["email"]):
            assert "condemns" in said and '"keep"' in said, said
        return
    planned = plan.loc[plan["status"].isin(["planned", "unchanged"]), "email"]
    assert not any(truth[e] for e in planned), sorted(e for e in planned if truth[e])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    steps=st.lists(_step, max_size=4),
    verdict=st.sampled_from(["all", "review", "reactivate"]),
    cause=st.sampled_from(["all", "speeding", "hardelsewhere", "hardbounced", "unknown"]),
)
def test_the_panel_applies_no_condemned_row_behind_the_confirm_box(served, steps, verdict, cause):
    # F2: d = fix[fix.verdict == "review"].drop(columns=["verdict", "cause"]); the panel
    # showed kept_shown() == 0 and applied all 52, 40 condemned.
    _emulator, session, judged, truth = served
    derived = judged
    for step in steps:
        derived = _apply(derived, step)
    if not len(derived):
        return
    panel = RemediationPanel(derived.copy(), session)
    for control, value in ((panel.verdict, verdict), (panel.cause, cause)):
        if value in control.options:
            control.value = value
    shown = panel.filtered()
    doomed = [e for e in shown["email"] if truth[e]]
    assert panel.kept_shown() >= len(set(doomed)) > 0 or not doomed
    panel.preview()  # never raises: a refusal is said in the panel
    panel.confirm.value = True
    panel.activate_button.click()
    if panel.result is None:
        assert doomed or panel.plan is None or not len(shown), panel.why.value
        if doomed:
            assert "also rows to keep" in panel.why.value, panel.why.value
        return
    applied = panel.result["email"]
    assert not any(truth[e] for e in applied), list(applied)


def test_the_reviewers_derived_frame_holds_its_condemned_rows_in_the_panel(served):
    _emulator, session, judged, truth = served
    d = judged[judged["verdict"] == "review"].drop(columns=["verdict", "cause"])
    panel = RemediationPanel(d, session)
    doomed = sum(truth[e] for e in d["email"])
    assert panel.kept_shown() == doomed > 0
    assert "hard-bounced on another account" in panel.warning.value, panel.warning.value
    panel.preview()
    panel.confirm.value = True
    assert panel.activate_button.disabled and "also rows to keep" in panel.why.value
    with pytest.raises(RuntimeError, match="not applied"):
        panel.apply()


def test_a_preview_refused_is_shown_in_the_panel_not_raised(served):
    # F2: with keep rows in the frame, preview() threw a ValueError out of the panel.
    _emulator, session, judged, _truth = served
    panel = RemediationPanel(judged.drop(columns="verdict"), session)
    assert panel.preview() is None
    assert "activate:" in panel.plan_summary.value and panel.plan is None
    assert panel.activate_button.disabled
