"""``verify=True`` while the server's reads lag its writes (issue 29, item 13; SPEC A15).

The emulator's ``propagation_delay`` runs on a ManualClock, and verify's waits move that
clock instead of sleeping (``mmframe.client.transport._pause``, the wait of every retry).
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
import urllib3
from requests.adapters import HTTPAdapter

import mmframe as mm
from mmframe.emulator import Emulator
from tests.waiting import ManualClock

#: Bounce rows activated unjudged on purpose (what is tested is elsewhere): the warning
#: that they were never judged (tests/writes/test_never_judged_warned.py) is expected.
UNJUDGED = pytest.mark.filterwarnings("ignore:.*never judged:mmframe.errors.EvidenceWarning")
pytestmark = [pytest.mark.clock, UNJUDGED]  # reads today's date or the clock

T0 = pd.Timestamp("2026-03-01", tz="UTC")
DELAY = 90.0  # seconds before a write shows
ADDRESSES = [f"b{i:03d}@example.com" for i in range(40)]


@pytest.fixture
def lagging(make_emulator, monkeypatch):
    """An emulator whose reads lag writes by DELAY s, its clock moved by verify's waits,
    holding ADDRESSES suppressed after bounces (inactive recipients); and the waits."""
    clock = ManualClock((T0 + pd.Timedelta(days=30)).timestamp())
    emulator = make_emulator("empty", clock=clock, propagation_delay=DELAY)
    _bounced(emulator, ADDRESSES)
    waits: list[float] = []

    def pause(seconds, closed):
        waits.append(seconds)
        clock.advance(seconds)

    monkeypatch.setattr("mmframe.client.transport._pause", pause)
    return emulator, waits


def _bounced(emulator: Emulator, addresses: list[str]) -> None:
    """Suppressed for a bounce, and inactive, as a bounce leaves an address."""
    backend = emulator.backend
    with backend.store.transaction() as db:
        master = db.execute("SELECT id FROM accounts").fetchone()[0]
        db.executemany(
            "INSERT INTO recipients (account_id, email_key, email, status)"
            " VALUES (?, ?, ?, 'inactive')",
            [(master, a, a) for a in addresses],
        )
        backend.suppressions.insert(
            master, [(a, int(T0.timestamp()), "bounce") for a in addresses], keep_existing=False
        )
    backend.store.forget_order(master)


def test_verify_waits_for_writes_the_server_has_not_shown_yet(lagging):
    # Issue 29.13: under a propagation delay, verify read the recipients at once, found
    # them still inactive (the API has no "pending" status for a reactivation) and failed
    # every accepted row: "state unchanged".
    emulator, waits = lagging
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        frame = mm.read_suppressions(session=session)
        done = frame.mm.activate(full=True, verify=True, session=session)
        assert done["status"].tolist() == ["ok"] * len(ADDRESSES), done["error"].dropna()[:3]
        after = mm.read_recipients(ADDRESSES, session=session)
    assert (after["status"] == "active").all()
    assert (after["suppression_status"] == "unsuppressed").all()
    assert DELAY <= sum(waits) < 2 * DELAY  # waited for the delay, not much longer


def test_a_pending_state_is_the_wanted_state_on_its_way(lagging):
    emulator, waits = lagging
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        fresh = pd.DataFrame({"email": [f"new{i}@example.com" for i in range(5)]})
        done = fresh.mm.suppress(verify=True, session=session)
        pending = mm.read_recipients(fresh["email"], session=session)
    assert done["status"].eq("ok").all()
    assert pending["suppression_status"].eq("pending addition").all()
    assert waits == []  # "pending addition" leads to "suppressed": no need to wait


class Swallow(HTTPAdapter):
    """Answers 200 to writes without applying them."""

    def send(self, request, **kwargs):
        if request.method != "POST":
            return super().send(request, **kwargs)
        body = json.dumps({"response": {"status": 200, "message": "OK", "data": {}}})
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(body.encode()),
            preload_content=False,
            status=200,
            headers={"content-type": "application/json"},
        )
        return self.build_response(request, raw)


@pytest.mark.parametrize("timeout", [0, 30, 300])
def test_a_write_that_never_shows_fails_once_the_deadline_passed(lagging, timeout):
    emulator, waits = lagging
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        frame = mm.read_suppressions(session=session).head(3)
        session.transport.http.mount("http://", Swallow())
        emulator.reset_stats()
        with pytest.warns(mm.BatchWriteWarning, match="3 of 3 row"):
            done = frame.mm.activate(
                full=True, verify=True, verify_timeout=timeout, session=session, on_error="warn"
            )
    assert done["status"].tolist() == ["failed"] * 3
    assert done["error"].str.contains(f"unchanged {timeout} s after the write").all()
    assert sum(waits) == timeout
    reads = emulator.stats()["methods"]["GET recipients/status"]["requests"]
    # The plan's read before any write (the server's reasons), one read at once after the
    # write, then one after each wait.
    assert reads == len(waits) + 2


def test_verify_timeout_is_checked_before_any_request(lagging):
    emulator, _waits = lagging
    frame = pd.DataFrame({"email": ADDRESSES[:1]})
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        emulator.reset_stats()
        for bad, error in [(-1, ValueError), ("60", TypeError), (True, TypeError)]:
            with pytest.raises(error, match="verify_timeout"):
                frame.mm.suppress(verify=True, verify_timeout=bad, session=session)
    assert emulator.stats()["totals"]["requests"] == 0
