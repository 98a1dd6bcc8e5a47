"""A person suppressed by hand after a storm was judged is not put back by the judged fix
(twenty-first review, W-21a). The address is on news@'s list for the storm's bounce, and
the API keeps an existing suppression's reason and time (SPEC A10): ``suppress`` answered
``ok`` and the row stayed a bounce row, so nothing on the server showed the hand add, and
the judged frame's activation put the person back. ``suppress`` now takes such an address
off the list and adds it back, so the list holds it as a manual add, which the activation
refuses; a failure between the two steps is a failed row that says the address is off the
list, and running ``suppress`` again lists it."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from tests.writes.lists import Down, bounce_listed, refused_both_ways

NEWS = "news@example.com"


def _reasons(session, account: str | None = None) -> dict[str, str]:
    where = {"accounts": [account]} if account else {}
    rows = mm.read_suppressions(None, None, session=session, **where)
    return dict(zip(rows["email"].str.lower(), rows["reason"].astype(str), strict=True))


def test_a_person_suppressed_by_hand_after_the_judging_is_not_put_back(judged):
    _emulator, session, clear = judged
    victim = str(clear["email"].iloc[0])
    assert _reasons(session, NEWS)[victim.lower()] == "bounce"
    by_hand = pd.DataFrame({"account": [NEWS], "email": [victim]})
    with pytest.warns(UserWarning, match="lists it again as a manual add"):
        done = by_hand.mm.suppress(session=session)
    assert done["status"].tolist() == ["ok"]
    assert _reasons(session, NEWS)[victim.lower()] == "manual"
    refused_both_ways(clear, session, "manual", victim)
    rest = clear[clear["email"] != victim]
    assert set(rest.mm.activate(full=True, session=session)["status"]) == {"ok"}


def test_the_dry_run_plans_the_bounce_rows_and_the_warning_says_what_changes(emulator, session):
    bounce_listed(emulator, session, ["a@example.org"])
    frame = pd.DataFrame({"email": ["a@example.org", "new@example.org"]})
    with pytest.warns(UserWarning, match="lists it again as a manual add") as said:
        plan = frame.mm.suppress(dry_run=True, session=session)
    assert "a@example.org" in str(said[0].message)
    assert plan["status"].tolist() == ["planned", "planned"]
    assert _reasons(session)["a@example.org"] == "bounce"  # a dry run sends nothing


def test_relist_false_keeps_the_bounce_row_and_warns_so(emulator, session):
    bounce_listed(emulator, session, ["a@example.org"])
    frame = pd.DataFrame({"email": ["a@example.org"]})
    with pytest.warns(UserWarning, match="keeps that reason"):
        plan = frame.mm.suppress(dry_run=True, relist=False, session=session)
    assert plan["status"].tolist() == ["unchanged"]
    with pytest.warns(UserWarning, match="keeps that reason"):
        frame.mm.suppress(relist=False, session=session)
    assert _reasons(session)["a@example.org"] == "bounce"
    with pytest.raises(TypeError, match="relist"):
        frame.mm.suppress(relist="yes", session=session)


def test_a_failure_between_the_two_steps_says_the_address_is_off_the_list(emulator, session):
    bounce_listed(emulator, session, ["a@example.org", "b@example.org"])
    frame = pd.DataFrame({"email": ["a@example.org", "b@example.org"]})
    with mm.Session(emulator.url, emulator.master_apikey, retries=0) as broken:
        broken.transport.http.mount("http://", Down("/suppressions"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            with pytest.warns(mm.BatchWriteWarning):
                done = frame.mm.suppress(session=broken, on_error="warn")
    assert done["status"].tolist() == ["failed", "failed"]
    assert done["error"].str.contains("OFF the list").all()
    assert done["error"].str.contains("suppress again").all()
    assert "a@example.org" not in _reasons(session)  # what the error says is so
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not listed now: a plain add, nothing to warn
        again = frame.mm.suppress(session=session)
    assert set(again["status"]) == {"ok"}
    assert _reasons(session) == {"a@example.org": "manual", "b@example.org": "manual"}


#: What the list holds of an address before ``suppress``: nothing, or a row of a reason.
BEFORE = st.sampled_from([None, "bounce", "complaint", "unsubscribe", "manual"])


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(before=st.lists(BEFORE, min_size=1, max_size=8), relist=st.booleans())
def test_after_suppress_every_row_is_listed_and_none_a_person_asked_for_changes(
    make_emulator, before, relist
):
    """Invariant over generated lists: after ``suppress`` every address is on the list;
    one listed for a complaint, an opt-out or by hand keeps its reason and time; one
    listed for a bounce is a manual add with ``relist`` (its default), a bounce row
    without; one not listed is a manual add."""
    emulator = make_emulator("empty")
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        emails = [f"p{i}@example.org" for i in range(len(before))]
        at = pd.Timestamp("2026-06-09 10:00", tz="UTC")
        listed = [(e, r) for e, r in zip(emails, before, strict=True) if r is not None]
        if listed:
            emulator.replay(
                suppressions=pd.DataFrame(
                    {
                        "account": session.identity(),
                        "email": [e for e, _ in listed],
                        "suppressed_at": at,
                        "reason": [r for _, r in listed],
                    }
                )
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            done = pd.DataFrame({"email": emails}).mm.suppress(relist=relist, session=session)
        assert set(done["status"]) == {"ok"}
        rows = mm.read_suppressions(None, None, session=session)
        pairs = zip(rows["reason"].astype(str), rows["suppressed_at"], strict=True)
        now = dict(zip(rows["email"], pairs, strict=True))
        assert set(now) == set(emails)
        for email, reason in zip(emails, before, strict=True):
            if reason in ("complaint", "unsubscribe", "manual") or (reason and not relist):
                assert now[email] == (reason, at)
            else:
                assert now[email][0] == "manual"


def test_bounce_rows_are_listed_again_where_the_server_takes_fewer_addresses(make_emulator):
    """The list is read in halves where a read is refused (a server taking 7 addresses a
    request; an address it refuses): every bounce row is still found and listed again."""
    emulator = make_emulator("empty", max_addresses=7)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        emails = [f"s{i}@example.com" for i in range(30)]
        bounce_listed(emulator, session, emails[::3])
        frame = pd.DataFrame({"email": [*emails, "odd@host.c0m"]})
        with pytest.warns(UserWarning, match="10 addresses are on the list already"):
            done = frame.mm.suppress(session=session, on_invalid="skip", on_error="warn")
        assert done.set_index("email")["status"].drop("odd@host.c0m").eq("ok").all()
        assert set(_reasons(session).values()) == {"manual"}
        assert len(_reasons(session)) == 30
