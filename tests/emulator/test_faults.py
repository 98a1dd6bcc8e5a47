"""Injected faults, the rate limit and the propagation delay do what SPEC A15/A16 say."""

from __future__ import annotations

import contextlib
import time

import pytest
import requests

from tests.conftest import call_api
from tests.waiting import ManualClock, wait_for


def _count(emulator):
    return call_api(emulator, "GET", "suppressions/count")[1]["data"]["count"]


def _suppress(emulator, address="a@x.com", timeout=10.0):
    return requests.post(
        f"{emulator.url}/suppressions",
        timeout=timeout,
        data={"apikey": emulator.master_apikey, "emailaddress": address},
    )


def test_error_before_answers_503_and_applies_nothing(make_emulator):
    emulator = make_emulator(fault_rate=1.0, fault_mode="error-before")
    response = _suppress(emulator)
    assert response.status_code == 503
    assert response.json()["response"] == {
        "status": 503,
        "message": "Service Unavailable",
        "data": {},
    }
    emulator.configure(fault_rate=0.0)
    assert _count(emulator) == 0
    assert emulator.stats()["methods"]["POST suppressions"]["faults"] == {"error-before": 1}


@pytest.mark.clock
def test_reset_after_applies_then_drops_the_connection(make_emulator):
    emulator = make_emulator(fault_rate=1.0, fault_mode="reset-after")
    with pytest.raises(requests.ConnectionError):
        _suppress(emulator)
    emulator.configure(fault_rate=0.0)
    assert _count(emulator) == 1


def test_stall_outlasts_the_client_timeout_and_applies_nothing(make_emulator):
    emulator = make_emulator(fault_rate=1.0, fault_mode="stall", stall_seconds=1.0)
    with pytest.raises(requests.Timeout):
        _suppress(emulator, timeout=0.3)
    emulator.configure(fault_rate=0.0)

    def stall_over():  # the stalled handler has finished: it must still not apply the write
        faults = emulator.stats()["methods"]["POST suppressions"]["faults"]
        return faults.get("stall") == 1

    wait_for(stall_over, timeout=30)
    assert _count(emulator) == 0


@pytest.mark.clock
def test_mixed_draws_every_mode(make_emulator):
    emulator = make_emulator(fault_rate=1.0, fault_mode="mixed", stall_seconds=0.05)
    for _ in range(30):
        with contextlib.suppress(requests.ConnectionError):
            _suppress(emulator, timeout=5)
    faults = emulator.stats()["methods"]["POST suppressions"]["faults"]
    assert set(faults) == {"error-before", "reset-after", "stall"}
    assert sum(faults.values()) == 30


@pytest.mark.clock
def test_partial_fault_rate(make_emulator):
    emulator = make_emulator(fault_rate=0.3, fault_mode="error-before", seed_value=7)
    statuses = [_suppress(emulator, f"u{i}@x.com").status_code for i in range(200)]
    assert 30 < statuses.count(503) < 90
    assert statuses.count(200) == 200 - statuses.count(503)


def test_faults_never_hit_admin_routes(make_emulator):
    emulator = make_emulator(fault_rate=1.0, fault_mode="error-before")
    for path in ("info", "stats", "settings"):
        response = requests.get(
            f"{emulator.admin_url}/{path}", headers=emulator.admin_headers, timeout=5
        )
        assert response.status_code == 200
    response = requests.post(
        f"{emulator.admin_url}/reset", headers=emulator.admin_headers, timeout=30
    )
    assert response.status_code == 200


def test_rate_limit_answers_429_with_retry_after(make_emulator):
    clock = ManualClock()  # stands still: the bucket refills only when the test says
    emulator = make_emulator(rate_limit=2, clock=clock)
    responses = [_suppress(emulator) for _ in range(6)]
    assert [r.status_code for r in responses] == [200, 200, 429, 429, 429, 429]
    limited = responses[2:]
    assert all(int(r.headers["Retry-After"]) >= 1 for r in limited)
    assert limited[0].json()["response"]["status"] == 429
    clock.advance(1.1)
    assert _suppress(emulator).status_code == 200


def test_propagation_delay_shows_pending_states(make_emulator):
    clock = ManualClock()
    emulator = make_emulator(propagation_delay=0.6, clock=clock)

    def status():
        body = call_api(emulator, "GET", "recipients/status", emailaddress="a@x.com")[1]
        return body["data"]["recipients"][0]["suppressionstatus"]

    _suppress(emulator)
    assert (status(), _count(emulator)) == ("pending addition", 0)
    clock.advance(0.8)
    assert (status(), _count(emulator)) == ("suppressed", 1)
    call_api(emulator, "POST", "suppressions/activate", emailaddress="a@x.com")
    assert (status(), _count(emulator)) == ("pending removal", 1)
    clock.advance(0.8)
    assert (status(), _count(emulator)) == ("unsuppressed", 0)


def test_latency_is_applied(make_emulator):
    emulator = make_emulator(latency_ms=150, jitter_ms=50)
    started = time.perf_counter()
    call_api(emulator, "GET", "senders")
    assert time.perf_counter() - started >= 0.15


def test_invalid_settings_are_refused(make_emulator):
    emulator = make_emulator()
    response = requests.post(
        f"{emulator.admin_url}/settings",
        json={"fault_mode": "chaos"},
        headers=emulator.admin_headers,
        timeout=5,
    )
    assert response.status_code == 400
    assert "fault_mode" in response.json()["error"]
    with pytest.raises(ValueError, match="fault_rate"):
        emulator.configure(fault_rate=2)
    assert emulator.runtime.settings.fault_rate == 0
