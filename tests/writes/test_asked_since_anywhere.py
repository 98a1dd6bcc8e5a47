"""Invariant over generated histories: a row the judging cleared is refused when its address
complained on any account the evidence covered, or another such account lists it for a
complaint, an unsubscribe or by hand, whatever the time it is dated (reported late, or
before the evidence ended: W-17a, W-20b), an account made since included; and only then
(another account's bounce row, or nothing, lets it go back).

The activation reads the rows' states on each covered account and that list's reasons only
where it lists a row, not every opt-out of every account: this holds both ways."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from tests.writes.lists import refused_both_ways

pytestmark = pytest.mark.invariants

NEWS, OPS, SHOP = "news@example.com", "ops@example.com", "shop@example.com"
#: An account a replay makes after the judging: "all" covers it too.
LATE = "late@example.com"
DAY = pd.Timestamp("2026-06-09 10:00", tz="UTC")
STORM = "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints"
#: When an event since the judging is dated: before the evidence ended, or after.
WHEN = {"before": pd.Timestamp("2026-05-15 08:00", tz="UTC"),
        "after": pd.Timestamp("2026-06-20 08:00", tz="UTC")}  # fmt: skip
#: What may come since, and whether it keeps the person out.
ASKED = {"complaint": True, "unsubscribe": True, "manual": True, "listed complaint": True,
         "bounce": False}  # fmt: skip
EVENT = st.tuples(
    st.sampled_from(sorted(ASKED)),
    st.sampled_from([NEWS, OPS, SHOP, LATE]),
    st.sampled_from(sorted(WHEN)),
    st.booleans(),  # spelt with a +tag: the same mailbox (twenty-seventh review)
)
PEOPLE = 4


def _history(emulator) -> None:
    """news@'s storm (a deferral each: judged reactivate), and someone else's complaint
    and opt-out on the other accounts (the evidence then ends on each)."""
    emails = [f"p{i}@yahoo.com" for i in range(PEOPLE)]
    emulator.replay(
        suppressions=pd.DataFrame({
            "account": [NEWS] * PEOPLE + [SHOP], "email": [*emails, "q@yahoo.com"],
            "suppressed_at": [DAY] * PEOPLE + [DAY - pd.Timedelta(days=7)],
            "reason": ["bounce"] * PEOPLE + ["unsubscribe"],
        }),
        bounces=pd.DataFrame({
            "account": NEWS, "email": emails, "bounced_at": DAY - pd.Timedelta(seconds=20),
            "sent_at": DAY - pd.Timedelta(minutes=1), "bounce_type": "soft", "message": STORM,
        }),
        complaints=pd.DataFrame({
            "account": [OPS], "email": ["q@yahoo.com"],
            "complained_at": [DAY - pd.Timedelta(days=8)], "sent_at": [DAY - pd.Timedelta(days=9)],
        }),
    )  # fmt: skip


def _judged(session: mm.Session) -> pd.DataFrame:
    every = {"accounts": "all", "session": session, "progress": False}
    rows = mm.read_suppressions(None, None, accounts=[NEWS], session=session, progress=False)
    judged = mm.remediation_candidates(
        rows,
        bounces=mm.read_bounces(None, None, **every),
        complaints=mm.read_complaints(None, None, **every),
        opt_outs=mm.read_suppressions(None, None, **every),
    )
    assert judged["verdict"].astype(str).eq("reactivate").all(), judged[["email", "verdict"]]
    return judged


def _since(emulator, events: list[list[tuple[str, str, str, bool]]]) -> set[str]:
    """Replay each person's events, some spelt with a +tag (the same mailbox); the
    addresses they keep out."""
    complaints, lists, out, listed = [], [], set(), set()
    for i, drawn in enumerate(events):
        person = f"p{i}@yahoo.com"
        for what, account, when, tagged in drawn:
            at = WHEN[when]
            email = f"p{i}+news@yahoo.com" if tagged else person
            if what == "complaint":
                complaints.append({"account": account, "email": email, "complained_at": at,
                                   "sent_at": at - pd.Timedelta(hours=1)})  # fmt: skip
            elif (account != NEWS or tagged) and (email, account) not in listed:  # one a list
                listed.add((email, account))
                lists.append({"account": account, "email": email, "suppressed_at": at,
                              "reason": what.removeprefix("listed ")})  # fmt: skip
            else:
                continue
            out |= {person} if ASKED[what] else set()
    frames = {"complaints": pd.DataFrame(complaints), "suppressions": pd.DataFrame(lists)}
    given_frames = {k: v for k, v in frames.items() if len(v)}
    if given_frames:
        emulator.replay(**given_frames)
    return out


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=st.lists(st.lists(EVENT, max_size=2), min_size=PEOPLE, max_size=PEOPLE))
def test_a_cleared_row_goes_back_only_if_nobody_asked_on_any_covered_account(make_emulator, events):
    emulator = make_emulator("empty")
    _history(emulator)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        clear = _judged(session)
        out = _since(emulator, events)
        if out:
            with pytest.raises(ValueError, match="did not hold") as refused:
                clear.mm.activate(full=True, dry_run=True, session=session, progress=False)
            named = {
                f"p{i}@yahoo.com"
                for i in re.findall(r"p(\d)(?:\+news)?@yahoo\.com", str(refused.value))
            }
            assert named == out, str(refused.value)
        back = clear[~clear["email"].isin(sorted(out))]
        done = back.mm.activate(full=True, session=session, progress=False)
        assert done["status"].astype(str).eq("ok").all(), done
        still = mm.read_recipients(sorted(out), session=session.for_account(NEWS)) if out else None
        if still is not None:
            assert still["suppression_status"].astype(str).eq("suppressed").all()


@pytest.mark.parametrize("account", [NEWS, OPS])
def test_an_opt_out_of_another_spelling_listed_late_refuses_the_row(make_emulator, account):
    """Twenty-eighth review, S1 and S2: an opt-out under another spelling of the row's
    mailbox reaching a list late, dated before the evidence ended, on the row's own account
    or another, let the row be put back (the lists were read by the rows' own addresses)."""
    emulator = make_emulator("empty")
    _history(emulator)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        clear = _judged(session)
        _since(emulator, [[], [("unsubscribe", account, "before", True)], [], []])
        # Named by the row it refuses, the spelling beside (twenty-ninth review, C1).
        said = "p1@yahoo.com (unsubscribed as p1+news@yahoo.com"
        refused_both_ways(clear, session, "did not hold", "p1@yahoo.com", said)


@pytest.mark.parametrize(
    ("row", "spelling"),
    [("kim@me.com", "Kim@iCloud.com"), ("pat@proton.me", "pat+x@protonmail.com")],
)
def test_a_complaint_at_the_services_other_domain_since_refuses_the_row(
    make_emulator, row, spelling
):
    """Thirtieth review, S1: a complaint from kim@icloud.com, made after the judging,
    was named by no check, and the storm row kim@me.com (one Apple mailbox) went back."""
    emulator = make_emulator("empty")
    _storm_of(emulator, [row])
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        clear = _judged(session)
        _complained_since(emulator, spelling)
        said = f"{row} (a complaint as {spelling.lower()}, {SHOP}"
        refused_both_ways(clear, session, "did not hold", row, said)


def test_a_refusal_names_every_row_of_the_mailbox_as_the_frame_spells_it(make_emulator):
    """Thirty-second review, W1 and C2: two rows of one mailbox (``Sue@me.com`` and
    ``sue+shop@MAC.com``) and one complaint from ``SUE@ICLOUD.COM``: the refusal named one
    row, lower-cased, so a frame filtered by the names it gave was refused again."""
    emulator = make_emulator("empty")
    _storm_of(emulator, ["Sue@me.com", "sue+shop@MAC.com", "dan@example.org"])
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        clear = _judged(session)
        spelt = sorted(str(e) for e in clear["email"] if "@example.org" not in str(e))
        _complained_since(emulator, "SUE@ICLOUD.COM")
        with pytest.raises(ValueError, match="did not hold") as refused:
            clear.mm.activate(full=True, dry_run=True, session=session, progress=False)
        said = str(refused.value)
        assert "2 rows" in said, said
        for email in spelt:
            assert f"{email} (a complaint as sue@icloud.com" in said, said
        rest = clear[~clear["email"].isin(spelt)]
        assert rest.mm.activate(full=True, session=session, progress=False)["status"].tolist() == [
            "ok"
        ]


def _storm_of(emulator, rows: list[str]) -> None:
    """news@'s storm of ``rows`` (a deferral each: judged reactivate), and someone else's
    complaint on shop@ (the complaints read then ends there)."""
    emulator.replay(
        suppressions=pd.DataFrame({"account": NEWS, "email": rows, "suppressed_at": DAY,
                                   "reason": "bounce"}),
        bounces=pd.DataFrame({"account": NEWS, "email": rows, "message": STORM,
                              "bounced_at": DAY - pd.Timedelta(seconds=20),
                              "sent_at": DAY - pd.Timedelta(minutes=1), "bounce_type": "soft"}),
        complaints=pd.DataFrame({"account": [SHOP], "email": ["q@yahoo.com"],
                                 "complained_at": [DAY - pd.Timedelta(days=8)],
                                 "sent_at": [DAY - pd.Timedelta(days=9)]}),
    )  # fmt: skip


def _complained_since(emulator, email: str) -> None:
    """A complaint to shop@ after the judging, made as ``email``."""
    at = WHEN["after"]
    emulator.replay(
        complaints=pd.DataFrame({"account": [SHOP], "email": [email], "complained_at": [at],
                                 "sent_at": [at - pd.Timedelta(hours=1)]})
    )  # fmt: skip
