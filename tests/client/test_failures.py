"""Incomplete reads are never silent; faults that retries absorb change nothing."""

from __future__ import annotations

import io
import json
import warnings

import pandas as pd
import pytest
import urllib3
from requests.adapters import HTTPAdapter

import mmframe as mm
from tests.waiting import ManualClock

pytestmark = pytest.mark.clock  # reads today's date or the clock


def _frames(session):
    return {
        "accounts": mm.read_accounts(session=session),
        "senders": mm.read_senders(details=True, accounts="all", session=session),
        "suppressions": mm.read_suppressions(
            "2025-06-01", "2026-03-01", accounts="all", session=session
        ),
        "counts": mm.read_suppression_counts(
            "2025-06-01", "2026-03-01", freq="W", accounts="all", session=session
        ),
        "xheaders": mm.read_xheaders(accounts="all", session=session),
        "recipients": mm.read_recipients(
            [f"u{i}@example.com" for i in range(1500)], session=session
        ),
    }


@pytest.mark.slow
def test_every_loader_returns_the_same_frame_under_mixed_faults(demo_emulator, make_emulator):
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as clean:
        expected = _frames(clean)
    faulty = make_emulator(
        "demo", fault_rate=0.1, fault_mode="mixed", stall_seconds=1, seed_value=0
    )
    with mm.Session(faulty.url, faulty.master_apikey, timeout=(2, 0.5), retries=8) as s:
        got = _frames(s)
    faults = faulty.stats()["totals"]["faults"]
    assert faults > 20
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(got[name], frame, obj=name)


def test_failed_chunks_raise_with_frame_and_report(make_emulator):
    emulator = make_emulator("demo", seed_value=2)
    with mm.Session(emulator.url, emulator.master_apikey, retries=0) as session:
        session.account_keys()
        emulator.configure(fault_rate=0.6, fault_mode="error-before")
        with pytest.raises(mm.PartialLoadError) as caught:
            mm.read_suppression_counts("2026-01-01", "2026-03-01", accounts="all", session=session)
    report = caught.value.chunks
    assert list(report.columns) == [
        "account",
        "start",
        "end",
        "status",
        "rows",
        "expected",
        "attempts",
        "error",
    ]
    failed = report[report["status"] == "failed"]
    assert len(failed) > 0 and failed["error"].str.contains("503").all()
    # The counts still queued when one failed for good are not sent (see the test below).
    unsent = report[report["status"] == "unsent"]
    assert (unsent["attempts"] == 0).all() and unsent["error"].str.startswith("not sent").all()
    assert len(failed) + len(unsent) == (report["status"] != "ok").sum()
    frame = caught.value.frame
    assert frame["count"].isna().sum() == len(failed) + len(unsent) and len(frame) == len(report)
    assert emulator.master_apikey not in str(caught.value) + report.to_csv()
    # The docs-only adversary: .attempts said 1 whatever the read had sent.
    # What was sent, the counts under way when one failed included; none for the unsent.
    sent = report[report["status"] != "unsent"]
    assert caught.value.attempts == int(report["attempts"].sum()) >= len(sent) >= 1


def test_on_error_warn_returns_what_loaded(make_emulator):
    emulator = make_emulator("demo", seed_value=5)
    with mm.Session(emulator.url, emulator.master_apikey, retries=0) as session:
        session.account_keys()
        emulator.configure(fault_rate=0.5, fault_mode="error-before")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frame = mm.read_suppressions(
                "2026-01-01", "2026-06-01", accounts="all", session=session, on_error="warn"
            )
    (warning,) = [w for w in caught if issubclass(w.category, mm.PartialLoadWarning)]
    report = warning.message.chunks
    assert (report["status"] != "ok").any()
    assert len(frame) == report["rows"].sum()


class DroppingAdapter(HTTPAdapter):
    """A server that says one thing in /count and serves fewer rows on some pages."""

    def __init__(self, drop: int, times: int):
        super().__init__()
        self.drop, self.times = drop, times

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        if "/suppressions?" in request.url and self.times > 0:
            body = json.loads(response.raw.read())
            rows = body["response"]["data"]["suppressions"]
            if len(rows) == 500:
                self.times -= 1
                body["response"]["data"]["suppressions"] = rows[self.drop :]
            data = json.dumps(body).encode()
            response.raw = urllib3.HTTPResponse(
                body=io.BytesIO(data),
                preload_content=False,
                status=200,
                headers=response.raw.headers,
            )
        return response


def _seed(session, count):
    addresses = [f"user{i:05d}@x.com" for i in range(count)]
    for start in range(0, count, 1000):
        session.post("suppressions", emailaddress=addresses[start : start + 1000])


@pytest.mark.parametrize(("times", "short"), [(1, False), (99, True)])
def test_count_check_catches_a_shortfall(session, times, short):
    _seed(session, 1200)
    session.transport.http.mount("http://", DroppingAdapter(drop=7, times=times))
    if not short:  # one short read: the chunk is read again and comes back whole
        assert len(mm.read_suppressions(session=session)) == 1200
        return
    with pytest.raises(mm.PartialLoadError, match="count says 1200") as caught:
        mm.read_suppressions(session=session)
    assert caught.value.chunks["status"].tolist() == ["short"]
    assert caught.value.chunks["rows"].tolist() == [1200 - 14]
    assert len(caught.value.frame) == 1200 - 14


def test_rows_added_after_the_count_are_read_too(make_emulator):
    # The server's clock stands still, so the late rows fall inside the read's range
    # (which ends where the second of as_of begins: one after theirs) whatever the
    # machine's clock does meanwhile.
    clock = ManualClock(pd.Timestamp("2026-05-01 12:00", tz="UTC").timestamp())
    emulator = make_emulator("empty", clock=clock)
    session = mm.Session(emulator.url, emulator.master_apikey)
    _seed(session, 1000)
    late = [f"late{i:04d}@x.com" for i in range(600)]

    class Growing(HTTPAdapter):
        def send(self, request, **kwargs):
            response = super().send(request, **kwargs)
            if "/suppressions/count?" in request.url and late:
                session.post("suppressions", emailaddress=late)
                late.clear()
            return response

    session.transport.http.mount("http://", Growing(pool_maxsize=8))
    frame = mm.read_suppressions(session=session, as_of="2026-05-01 12:00:01")
    # the count said 1000, then 1600: the range moved, so it was read again, whole
    assert len(frame) == 1600 and frame["suppression_id"].is_unique
    session.close()


@pytest.mark.parametrize(
    "read",
    [
        lambda s: mm.read_rates("2024-11-01", "2026-11-01", freq="MS", session=s),
        lambda s: mm.read_suppression_counts("2024-11-01", "2026-11-01", freq="W", session=s),
    ],
    ids=["read_rates", "read_suppression_counts"],
)
def test_a_count_read_that_raises_stops_sending_once_one_count_has_failed(make_emulator, read):
    # The 48th review: a server failing every request, and a read of hundreds of counts
    # retried every one of them (the throttle shared by all retries) before it raised.
    emulator = make_emulator("demo", seed_value=3)
    with mm.Session(emulator.url, emulator.master_apikey, retries=1, max_workers=4) as session:
        session.account_keys()
        emulator.configure(fault_rate=1.0, fault_mode="error-before")
        before = emulator.stats()["totals"]["requests"]
        with pytest.raises(mm.PartialLoadError) as caught:
            read(session)
        sent = emulator.stats()["totals"]["requests"] - before
    report = caught.value.chunks
    assert len(report) >= 100  # 24 months x 6 reports, or 104 weeks: many counts planned
    failed, unsent = report[report["status"] == "failed"], report[report["status"] == "unsent"]
    assert len(failed) >= 1 and failed["error"].str.contains("503").all()
    # The 49th review: a worker done with the first failure took a queued count and sent
    # it, retries and all (the read failed after two requests' retries, not one).
    assert len(failed) <= 4  # the four under way; none taken after
    assert len(unsent) >= len(report) - 4 and (unsent["attempts"] == 0).all()
    # Each count in flight when the first failed may finish its own retries: no more.
    assert sent <= 2 * (4 + 4)
    assert "not sent once one had failed for good" in str(caught.value)
    assert emulator.master_apikey not in str(caught.value) + report.to_csv()


def test_count_suppressions_warns_with_the_accounts_it_could_count(make_emulator):
    # The 49th review: count_suppressions took on_error="warn" and raised all the same.
    emulator = make_emulator("demo", seed_value=3)
    accounts = ["ops@example.com", "news@example.com", "promo@example.org"]
    with mm.Session(emulator.url, emulator.master_apikey, retries=0) as session:
        session.account_keys()
        clean = mm.count_suppressions(
            "2025-11-01", "2026-10-31", accounts=accounts, session=session
        )
        emulator.configure(fault_rate=1.0, fault_mode="error-before")
        with pytest.warns(mm.PartialLoadWarning) as caught:
            counts = mm.count_suppressions(
                "2025-11-01", "2026-10-31", accounts=accounts, session=session, on_error="warn"
            )
        with pytest.raises(mm.ServerError):  # raise, the default: the server's own error
            mm.count_suppressions("2025-11-01", "2026-10-31", accounts=accounts, session=session)
    assert counts.isna().all() and list(counts.index) == list(clean.index)
    (warning,) = caught
    assert (warning.message.chunks["status"] == "failed").all()
    assert emulator.master_apikey not in str(warning.message)
