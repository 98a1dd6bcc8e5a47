"""A bounce row ``suppress`` lists again is a manual add before ``suppress`` says ``ok``
(twenty-second review). Under a propagation delay the list went on showing the bounce row
for its length: ``suppress`` said ``ok`` at once (``verify=True`` too, which took the old
row's "suppressed" for the new one), and a judged fix run then put the person back
(SAFETY-1, WRONG-1). A journal of a run with ``relist=False`` skipped the rows a later run
was to list again (SAFETY-2). A take-off that failed was said to leave the row maybe off
the list, when it was still a bounce row (CONFUSING-1).

The emulator's delay runs on a ManualClock, moved by the client's waits (no sleeps)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import mmframe as mm
from tests.waiting import ManualClock
from tests.writes.lists import Down, bounce_listed

pytestmark = [
    pytest.mark.clock,
    pytest.mark.filterwarnings("ignore:.*again as a manual add:UserWarning"),
]
T0 = pd.Timestamp("2026-03-01", tz="UTC")
DELAY = 90.0
LISTED = ["a@example.org", "b@example.org"]


def _reasons(session) -> dict[str, str]:
    rows = mm.read_suppressions(None, None, session=session)
    return dict(zip(rows["email"].str.lower(), rows["reason"].astype(str), strict=True))


@pytest.fixture
def lagging(make_emulator, monkeypatch):
    """An emulator whose reads lag its writes by DELAY s, its clock moved by the client's
    waits; two addresses listed for a bounce; a session; the waits."""
    clock = ManualClock((T0 + pd.Timedelta(days=30)).timestamp())
    emulator = make_emulator("empty", clock=clock)
    waits: list[float] = []

    def pause(seconds, closed):
        waits.append(seconds)
        clock.advance(seconds)

    monkeypatch.setattr("mmframe.client.transport._pause", pause)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        bounce_listed(emulator, session, LISTED, T0)
        emulator.configure(propagation_delay=DELAY)
        yield emulator, session, waits


@pytest.mark.parametrize("verify", [False, True])
def test_suppress_says_ok_only_once_the_list_shows_the_manual_add(lagging, verify):
    _emulator, session, waits = lagging
    done = pd.DataFrame({"email": LISTED}).mm.suppress(session=session, verify=verify)
    assert done["status"].tolist() == ["ok", "ok"], done["error"].tolist()
    assert DELAY <= sum(waits) < 2 * DELAY  # it waited for the delay, not much longer
    assert _reasons(session) == {"a@example.org": "manual", "b@example.org": "manual"}
    # A fix of the storm run now sees the hand add, and refuses it.
    with pytest.raises(ValueError, match="manual"):
        mm.read_suppressions(None, None, session=session).mm.activate(session=session)


def test_a_relist_the_list_does_not_show_in_time_fails_saying_so(lagging):
    _emulator, session, _waits = lagging
    with pytest.warns(mm.BatchWriteWarning):
        done = pd.DataFrame({"email": LISTED}).mm.suppress(
            session=session, verify_timeout=DELAY / 2, on_error="warn"
        )
    assert done["status"].tolist() == ["failed", "failed"]
    assert done["error"].str.contains("bounce").all(), done["error"].tolist()
    assert done["error"].str.contains("suppress again").all(), done["error"].tolist()


def test_a_journal_of_a_run_keeping_bounce_rows_does_not_skip_their_relisting(
    emulator, session, tmp_path
):
    bounce_listed(emulator, session, LISTED, T0)
    frame = pd.DataFrame({"email": LISTED})
    journal = tmp_path / "suppress.jsonl"
    with pytest.warns(UserWarning, match="keep that reason"):
        frame.mm.suppress(session=session, relist=False, journal=journal)
    assert set(_reasons(session).values()) == {"bounce"}
    with pytest.warns(UserWarning, match="again as a manual add"):
        done = frame.mm.suppress(session=session, journal=journal)
    assert done["status"].tolist() == ["ok", "ok"], done["error"].tolist()
    assert set(_reasons(session).values()) == {"manual"}
    again = frame.mm.suppress(session=session, journal=journal)  # done now: nothing to do
    assert set(again["status"]) <= {"ok", "skipped"}
    assert set(_reasons(session).values()) == {"manual"}


def test_a_failed_take_off_says_the_row_is_still_a_bounce_row(emulator, session):
    bounce_listed(emulator, session, LISTED, T0)
    with mm.Session(emulator.url, emulator.master_apikey, retries=0) as broken:
        broken.transport.http.mount("http://", Down("/suppressions/activate"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            with pytest.warns(mm.BatchWriteWarning):
                done = pd.DataFrame({"email": LISTED}).mm.suppress(session=broken, on_error="warn")
    assert done["status"].tolist() == ["failed", "failed"]
    assert not done["error"].str.contains("OFF the list").any(), done["error"].tolist()
    assert done["error"].str.contains("still listed for its bounce").all(), done["error"].tolist()
    assert set(_reasons(session).values()) == {"bounce"}  # what the error says is so
