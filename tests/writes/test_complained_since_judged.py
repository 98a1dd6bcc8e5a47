"""A complaint or an opt-out that came after the evidence a frame was judged on was read
refuses its row (sixteenth review, W-16d): the guide applies a storm's fix in two goes, so
a judged frame may be activated days later, and a complaint since did not show on the list
(an address listed for a bounce keeps that reason: SPEC A10). The activation reads the
complaints and opt-outs since the judged record's evidence ended, dry runs included."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe import dates
from mmframe.judged import bound_ends
from tests.writes.lists import refused_both_ways

NEWS, OPS = "news@example.com", "ops@example.com"
#: An account made after the judging: "all" then reads it too.
NEW = "shop@example.com"
STORM = ("2026-06-09", "2026-06-10")


def _late(emulator, kind: str, account: str, email: str, at: pd.Timestamp) -> None:
    if kind == "complaints":
        frame = pd.DataFrame({"account": [account], "email": [email], "complained_at": [at],
                              "sent_at": [at - pd.Timedelta(hours=1)]})  # fmt: skip
        emulator.replay(complaints=frame)
    else:
        frame = pd.DataFrame({"account": [account], "email": [email], "suppressed_at": [at],
                              "reason": [kind]})  # fmt: skip
        emulator.replay(suppressions=frame)


def _latest(session) -> pd.Timestamp:
    every = {"accounts": "all", "session": session}
    times = [mm.read_complaints(None, None, **every)["complained_at"].max(),
             mm.read_suppressions(None, None, **every)["suppressed_at"].max()]  # fmt: skip
    return max(times)


@pytest.mark.parametrize(
    ("kind", "where"),
    [("complaints", NEWS), ("complaints", OPS), ("unsubscribe", OPS), ("complaints", NEW)],
)
def test_a_complaint_or_opt_out_after_the_judging_refuses_the_row(judged, kind, where):
    emulator, session, clear = judged
    victim = str(clear["email"].iloc[0])
    _late(emulator, kind, where, victim, _latest(session) + pd.Timedelta(days=3))
    refused_both_ways(clear[clear["email"] == victim], session, "did not hold", victim, where)


def test_rows_nobody_complained_about_since_go_back(judged):
    emulator, session, clear = judged
    victim, other = (str(e) for e in clear["email"].iloc[:2])
    _late(emulator, "complaints", NEWS, victim, _latest(session) + pd.Timedelta(days=3))
    done = clear[clear["email"] == other].mm.activate(full=True, session=session)
    assert done["status"].tolist() == ["ok"]


@pytest.mark.parametrize("kind", ["complaints", "unsubscribe"])
def test_a_complaint_reported_late_dated_before_the_evidence_ends_refuses_the_row(judged, kind):
    """A report of a complaint reaches the sender late, dated when the person complained:
    before the newest complaint the evidence held (seventeenth review, W-17a); so may an
    opt-out that reaches another account's list late, dated in the past (a replica
    replayed, a write that propagated late: twentieth review, W-20b)."""
    emulator, session, clear = judged
    victim = str(clear["email"].iloc[0])
    early = _latest(session) - pd.Timedelta(days=90)
    _late(emulator, kind, OPS, victim, early)
    with pytest.raises(ValueError, match="did not hold") as refused:
        clear[clear["email"] == victim].mm.activate(full=True, dry_run=True, session=session)
    assert victim in str(refused.value)


def test_a_sub_account_key_cannot_check_the_other_accounts_and_is_refused(judged):
    """Judged on every account's evidence, written with news@'s own key, which reads none
    of the others: what came since on them cannot be checked (W-17c)."""
    emulator, session, clear = judged
    news = session.for_account(NEWS)
    emulator.reset_stats()
    with pytest.raises(ValueError, match="cannot read"):
        clear.head(3).mm.activate(full=True, session=news)
    writes = [m for m in emulator.stats()["methods"] if m.startswith("POST")]
    assert writes == []


@pytest.mark.parametrize("kind", ["complaints", "unsubscribe"])
def test_a_dry_run_bounded_to_a_moment_does_not_see_what_came_after_it(judged, kind):
    """A report's own dry run looks no later than its page (``bound_ends``): an opt-out
    another account listed after that moment, found by the row's address, or a complaint
    after it, does not refuse the row there, and refuses it unbounded."""
    emulator, session, clear = judged
    victim = str(clear["email"].iloc[0])
    moment = _latest(session) + pd.Timedelta(days=1)
    _late(emulator, kind, OPS, victim, moment + pd.Timedelta(days=2))
    rows = clear[clear["email"] == victim]
    bounded = rows.copy()
    bound_ends(bounded, moment)
    assert bounded.mm.activate(full=True, dry_run=True, session=session)["status"].tolist() == [
        "planned"
    ]
    with pytest.raises(ValueError, match="did not hold"):
        rows.mm.activate(full=True, dry_run=True, session=session)


@pytest.mark.parametrize(("kind", "where"), [("complaints", OPS), ("unsubscribe", OPS)])
@pytest.mark.parametrize(
    "ahead", [pd.Timedelta(minutes=3), pd.Timedelta(days=40), pd.Timedelta(days=3 * 365)]
)
def test_a_complaint_dated_ahead_of_this_machines_clock_refuses_the_row(judged, kind, where, ahead):
    """Twenty-ninth review, S1: a complaint or an opt-out stamped after this machine's now
    (a server clock running ahead, a history replayed with later times) was read by no
    loader (each read ends at now), and the row was put back; thirtieth review, S2: one
    stamped more than a month ahead still was. The refusal says a read ending now will not
    return it, so judging again cannot help (C1)."""
    emulator, session, clear = judged
    victim = str(clear["email"].iloc[0])
    _late(emulator, kind, where, victim, dates._clock().floor("s") + ahead)
    refused_both_ways(
        clear[clear["email"] == victim], session, "did not hold", victim, "after this machine's now"
    )


def test_a_refused_row_a_run_before_took_off_the_list_is_named_to_suppress_again(judged):
    """Thirtieth review, W1: a ``full=True`` run that failed half-way took a row off the
    list (its recipient left inactive); a complaint came, and the resumed run's refusal said
    only "nothing was sent ... judge the rows anew", which cannot list the row again: the
    person who complained stayed off the list. The refusal names such a row as no longer
    listed, and says how to list it again."""
    emulator, session, clear = judged
    victim, other = (str(e) for e in clear["email"].iloc[:2])
    session.for_account(NEWS).post("suppressions/activate", emailaddress=victim)
    _late(emulator, "complaints", OPS, victim, _latest(session) + pd.Timedelta(days=3))
    _late(emulator, "complaints", OPS, other, _latest(session) + pd.Timedelta(days=3))
    rows = clear[clear["email"].isin([victim, other])]
    with pytest.raises(ValueError, match="did not hold") as refused:
        rows.mm.activate(full=True, dry_run=True, session=session)
    said = str(refused.value)
    assert f"no longer on {NEWS}'s list: {victim}" in said, said
    assert ".mm.suppress()" in said and other not in said.split("no longer on")[1], said


def test_a_dry_runs_result_is_activated_as_the_judged_frame_it_was_made_of(judged):
    """Thirty-third review, W1 and S-a: a dry run's result kept none of the judging's
    record, so activating its planned rows was refused as a frame that lost it ("pandas
    drops attrs in pd.concat and merge", though none was used); dropping the judged columns
    to get past that left a plain frame, and a complaint made since went unchecked. The
    result carries the record: its rows are checked as the judged frame's."""
    emulator, session, clear = judged
    plan = clear.mm.activate(full=True, dry_run=True, session=session)
    victim = str(clear["email"].iloc[0])
    _late(emulator, "complaints", OPS, victim, _latest(session) + pd.Timedelta(days=3))
    planned = plan[plan["status"] == "planned"]
    refused_both_ways(planned, session, "did not hold", victim)
    rest = planned[planned["email"] != victim].head(2)
    assert rest.mm.activate(full=True, session=session)["status"].tolist() == ["ok", "ok"]
