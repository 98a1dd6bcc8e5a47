"""``dyn==1.8.6``'s report calls against the emulator: what works unmodified, and why the rest
fails (docs/coming-from-dyn.md, "The historical client"). Every failure is in the client."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import pytest
import requests

dyn_session = pytest.importorskip("dyn.mm.session", reason="the dev extra installs dyn==1.8.6")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # locale.getdefaultlocale

NEWS = "news@example.com"
DAY = {"starttime": "2026-06-09", "endtime": "2026-06-10"}
LISTS = ("sent", "delivered", "bounces", "complaints", "issues", "opens", "clicks")


@pytest.fixture
def dyn(demo_emulator):
    listed = requests.get(
        f"{demo_emulator.url}/accounts", params={"apikey": demo_emulator.master_apikey}, timeout=30
    ).json()["response"]["data"]["accounts"]
    key = next(a["apikey"] for a in listed if a["username"] == NEWS)
    session = dyn_session.MMSession.new_session(
        key, host="127.0.0.1", port=demo_emulator.port, ssl=False
    )
    yield session
    session._conn.close()  # dyn's close_session() forgets the socket without closing it
    dyn_session.MMSession.close_session()


def test_the_reports_module_cannot_be_imported():
    sys.modules.pop("dyn.mm.reports", None)
    with pytest.raises(ImportError, match="str_to_date"):
        import dyn.mm.reports  # noqa: F401  (SPEC Part B 3.8: names removed from utils)


def test_every_report_works_through_execute_unmodified(dyn):
    for report in LISTS:
        rows = dyn.execute(f"/reports/{report}", "GET", dict(DAY))[report]
        # dyn's own trailing slash on counts (SPEC 1.1) is accepted.
        count = dyn.execute(f"/reports/{report}/count/", "GET", dict(DAY))["count"]
        assert len(rows) == min(500, count) and count > 0
    for report in ("opens", "clicks"):
        unique = dyn.execute(f"/reports/{report}/count/unique", "GET", dict(DAY))["count"]
        assert 0 < unique <= dyn.execute(f"/reports/{report}/count", "GET", dict(DAY))["count"]
    bounces = dyn.execute("/reports/bounces/count", "GET", dict(DAY))
    assert bounces["hardbouncecount"] + bounces["softbouncecount"] == bounces["count"]
    campaign = dyn.execute("/reports/sent", "GET", dict(DAY))["sent"][0]["xheaders"]["X-Campaign"]
    narrowed = dyn.execute("/reports/sent/count", "GET", {**DAY, "X-Campaign": campaign})
    assert narrowed["count"] > 0


@pytest.fixture
def reports_module(monkeypatch):
    """``dyn.mm.reports`` importable with SPEC Part B section 4's test-only patch."""
    import dyn.compat
    import dyn.mm.utils

    monkeypatch.setattr(dyn.mm.utils, "str_to_date", dyn.compat.str_to_date, raising=False)
    monkeypatch.setattr(dyn.mm.utils, "date_to_str", dyn.compat.date_to_str, raising=False)
    monkeypatch.delitem(sys.modules, "dyn.mm.reports", raising=False)
    import dyn.mm.reports

    yield dyn.mm.reports
    sys.modules.pop("dyn.mm.reports", None)


def test_patched_report_classes_read_one_page_and_cannot_count(dyn, reports_module):
    start, end = datetime(2026, 6, 9, tzinfo=UTC), datetime(2026, 6, 10, tzinfo=UTC)
    bounces = reports_module.Bounce(start, end)
    assert len(bounces.report) == 388 and "bouncemessage" in bounces.report[0]
    sent = reports_module.Sent(start, end)
    total = dyn.execute("/reports/sent/count", "GET", dict(DAY))["count"]
    assert len(sent.report) == 500 < total  # it never sends startindex (SPEC Part B 3.19)
    for report in (sent, reports_module.Opens(start, end)):
        # count sends raw datetimes, which dyn's own request log cannot serialise.
        with pytest.raises(TypeError, match="datetime is not JSON serializable"):
            _ = report.count
    with pytest.raises(TypeError, match="datetime is not JSON serializable"):
        _ = reports_module.Clicks(start, end).unique_count
