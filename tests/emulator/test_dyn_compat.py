"""The historical ``dyn`` client (1.8.6, unmodified) talks to the emulator for its GET calls.

It sends a ``{}`` body with every GET and keeps its connection alive (SPEC Part B section 4);
its POSTs crash inside the client before sending, so only GETs are exercised here.
"""

from __future__ import annotations

import pytest

dyn_session = pytest.importorskip("dyn.mm.session", reason="the dev extra installs dyn==1.8.6")
dyn_errors = pytest.importorskip("dyn.mm.errors")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # locale.getdefaultlocale


def _open(emulator, key):
    return dyn_session.MMSession.new_session(key, host="127.0.0.1", port=emulator.port, ssl=False)


def _close(session):
    session._conn.close()  # dyn's close_session() forgets the socket without closing it
    dyn_session.MMSession.close_session()


@pytest.fixture
def dyn(demo_emulator):
    session = _open(demo_emulator, demo_emulator.master_apikey)
    yield session
    _close(session)


def test_get_calls_on_one_kept_alive_connection(dyn):
    accounts = dyn.execute("/accounts", "GET", {})
    assert len(accounts["accounts"]) == 5
    assert accounts["emailcap"] == "100000"
    senders = dyn.execute("/senders", "GET", {"startindex": 25})["senders"]
    assert len(senders) == 0 or "emailaddress" in senders[0]
    first = dyn.execute("/senders", "GET", {})["senders"][0]["emailaddress"]
    details = dyn.execute("/senders/details", "GET", {"emailaddress": first})
    assert details["emailaddress"] == first
    assert details["spf"] in (0, 1)
    assert dyn.execute("/senders/status", "GET", {"emailaddress": first})["ready"] in (0, 1)
    assert set(dyn.execute("/accounts/xheaders", "GET", {})) == {
        "xheader1",
        "xheader2",
        "xheader3",
        "xheader4",
    }


def test_suppressions_and_counts_with_dates(dyn):
    count = dyn.execute(
        "/suppressions/count",
        "GET",
        {"startdate": "2026-01-01T00:00:00+00:00", "enddate": "2026-02-01"},
    )
    page = dyn.execute(
        "/suppressions",
        "GET",
        {"startdate": "2026-01-01", "enddate": "2026-02-01", "startindex": 0},
    )
    assert count["count"] == len(page["suppressions"]) or len(page["suppressions"]) == 500
    row = page["suppressions"][0]
    status = dyn.execute("/recipients/status", "GET", {"emailaddress": row["emailaddress"]})
    assert status["recipients"][0]["suppressionstatus"] == "suppressed"


def test_errors_map_to_dyn_exceptions(demo_emulator, dyn):
    with pytest.raises(dyn_errors.EmailInvalidArgumentError):
        dyn.execute("/senders/details", "GET", {"emailaddress": "nobody@nowhere.com"})
    dyn._conn.close()
    bad = _open(demo_emulator, "0" * 32)
    try:
        with pytest.raises(dyn_errors.EmailKeyError):
            bad.execute("/senders", "GET", {})
    finally:
        _close(bad)
