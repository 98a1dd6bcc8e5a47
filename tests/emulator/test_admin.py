"""Admin routes: info, reset, seed, stats, settings, masters (SPEC A17), behind a credential."""

from __future__ import annotations

import json
import math

import pytest
import requests

from mmframe.emulator import Emulator, Settings
from tests.conftest import call_api


def admin(emulator, verb, path, *, token="admin", **kwargs):
    """One admin request; ``token`` is "admin", "master", None or a literal credential."""
    if token == "admin":
        token = emulator.admin_token
    elif token == "master":
        token = emulator.master_apikey
    headers = dict(kwargs.pop("headers", {}))
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(
        verb, f"{emulator.admin_url}/{path}", headers=headers, timeout=60, **kwargs
    )


@pytest.mark.clock
def test_info_and_stats_count_calls(emulator):
    info = admin(emulator, "GET", "info").json()
    assert info["seed"] == "empty"
    assert info["master_apikey"] == emulator.master_apikey
    call_api(emulator, "GET", "senders")
    call_api(emulator, "POST", "suppressions", emailaddress="a@x.com,b@x.com")
    call_api(emulator, "POST", "suppressions", emailaddress="bad")
    stats = admin(emulator, "GET", "stats").json()
    assert stats["methods"]["GET senders"] == {
        "requests": 1,
        "addresses": 0,
        "faults": {},
        "statuses": {"200": 1},
    }
    assert stats["methods"]["POST suppressions"]["statuses"] == {"200": 1, "452": 1}
    assert stats["totals"] == {"requests": 3, "writes": 2, "addresses": 2, "faults": 0}
    assert admin(emulator, "POST", "stats").json()["totals"]["requests"] == 0


@pytest.mark.clock
def test_reset_restores_the_seed(emulator):
    call_api(emulator, "POST", "suppressions", emailaddress="a@x.com")
    assert admin(emulator, "POST", "reset").status_code == 200
    assert call_api(emulator, "GET", "suppressions/count")[1]["data"]["count"] == 0


def test_seed_route_loads_a_dataset(emulator):
    body = admin(emulator, "POST", "seed", json={"name": "demo"}).json()
    assert body["seed"] == "demo"
    accounts = call_api(emulator, "GET", "accounts")[1]["data"]["accounts"]
    assert len(accounts) == 5
    bad = admin(emulator, "POST", "seed", json={"name": "nope"})
    assert bad.status_code == 400
    assert "unknown seed" in bad.json()["error"]


def test_settings_route_changes_behaviour(emulator):
    admin(emulator, "POST", "settings", json={"max_addresses": 1})
    assert call_api(emulator, "POST", "suppressions", emailaddress="a@x.com,b@x.com")[0] == 452


@pytest.mark.clock
def test_masters_route(emulator):
    made = admin(emulator, "POST", "masters", json={"username": "m2@x.com"}).json()
    accounts = call_api(emulator, "GET", "accounts", key=made["apikey"])[1]["data"]["accounts"]
    assert [a["username"] for a in accounts] == ["m2@x.com"]
    again = admin(emulator, "POST", "masters", json={"username": "m2@x.com"})
    assert again.status_code == 409


# --- authentication --------------------------------------------------------------------

ROUTES = [
    ("GET", "info"),
    ("POST", "reset"),
    ("POST", "seed"),
    ("GET", "stats"),
    ("POST", "stats"),
    ("GET", "settings"),
    ("POST", "settings"),
    ("POST", "masters"),
]


@pytest.mark.clock
@pytest.mark.parametrize(("verb", "path"), ROUTES)
@pytest.mark.parametrize("token", [None, "wrong-token-0123456789", ""])
def test_every_admin_route_needs_a_credential(emulator, verb, path, token):
    call_api(emulator, "POST", "suppressions", emailaddress="kept@x.com")
    body = {"name": "demo", "max_addresses": 1, "username": "m3@x.com", "latency_ms": 100}
    response = admin(emulator, verb, path, token=token, json=body)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert "credential" in response.json()["error"]
    assert emulator.master_apikey not in response.text
    # nothing changed: the seed, the settings, the statistics, the accounts
    assert call_api(emulator, "GET", "suppressions/count")[1]["data"]["count"] == 1
    assert emulator.runtime.settings == Settings()
    assert emulator.stats()["totals"]["requests"] >= 2
    assert len(call_api(emulator, "GET", "accounts")[1]["data"]["accounts"]) == 1


@pytest.mark.clock
def test_only_the_admin_token_opens_the_admin_routes(emulator):
    # Issue 19.10: any master key opened them, so a second tenant read the first master's
    # key from /info, changed the settings of all and reset all state.
    assert admin(emulator, "GET", "info", token="master").status_code == 401
    second = admin(emulator, "POST", "masters", json={"username": "m2@x.com"}).json()["apikey"]
    for verb, path in ROUTES:
        response = admin(emulator, verb, path, token=second, json={"latency_ms": 1})
        assert response.status_code == 401, (verb, path)
        assert emulator.master_apikey not in response.text
    assert emulator.runtime.settings == Settings()
    sub = call_api(
        emulator,
        "POST",
        "accounts",
        username="sub@x.com",
        password="p" * 8,
        companyname="c",
        phone="1",
    )[1]["data"]["apikey"]
    assert admin(emulator, "GET", "info", token=sub).status_code == 401


@pytest.mark.parametrize(
    "change",
    [
        {"rate_limit": 5e-324},
        {"rate_limit": 1e300},
        {"latency_ms": 1e300},
        {"jitter_ms": 1e12},
        {"stall_seconds": 1e9},
        {"propagation_delay": 1e15},
        {"max_addresses": 10**18},
    ],
)
def test_every_setting_is_bounded(emulator, change):
    response = admin(emulator, "POST", "settings", json=change)
    assert response.status_code == 400, change
    assert next(iter(change)) in response.json()["error"]
    assert emulator.runtime.settings == Settings()
    assert call_api(emulator, "GET", "senders")[0] == 200


def test_a_fixed_admin_token_can_be_given():
    with Emulator(admin_token="fixed-admin-token-for-tests") as emu:
        assert emu.admin_token == "fixed-admin-token-for-tests"
        assert admin(emu, "GET", "stats").status_code == 200


def test_binding_beyond_loopback_needs_a_flag():
    with pytest.raises(ValueError, match="allow_remote"):
        Emulator(host="0.0.0.0")
    with pytest.warns(RuntimeWarning, match="reachable from other machines"):
        emu = Emulator(host="0.0.0.0", allow_remote=True)
    emu.backend.close()


# --- settings: validated as a whole, all or none --------------------------------------

BAD_SETTINGS = [
    {"fault_rate": "0.5"},
    {"latency_ms": "5"},
    {"latency_ms": -1},
    {"latency_ms": math.inf},
    {"latency_ms": True},
    {"fault_rate": 1.5},
    {"fault_mode": "chaos"},
    {"fault_mode": 3},
    {"max_addresses": 2.5},
    {"max_addresses": 0},
    {"rate_limit": 0},
    {"rate_limit": "fast"},
    {"stall_seconds": None},
    {"latency_ms": 5, "fault_rate": 7},  # one bad value rejects the good one too
    {"latency_ms": 5, "nope": 1},
]


@pytest.mark.parametrize("changes", BAD_SETTINGS)
def test_bad_settings_change_nothing(emulator, changes):
    raw = json.dumps(changes)  # json= would refuse to send Infinity
    response = admin(emulator, "POST", "settings", data=raw)
    assert response.status_code == 400
    assert isinstance(response.json()["error"], str)
    assert emulator.runtime.settings == Settings()
    assert call_api(emulator, "GET", "suppressions/count")[0] == 200
    with pytest.raises((ValueError, TypeError)):
        emulator.configure(**changes)
    assert emulator.runtime.settings == Settings()
    assert call_api(emulator, "GET", "senders")[0] == 200


def test_query_settings_are_parsed_from_text(emulator):
    response = admin(emulator, "POST", "settings?latency_ms=5&fault_mode=mixed&rate_limit=none")
    assert response.status_code == 200, response.text
    assert response.json()["latency_ms"] == 5.0
    assert emulator.runtime.settings.fault_mode == "mixed"
    assert emulator.runtime.settings.rate_limit is None
    bad = admin(emulator, "POST", "settings?latency_ms=5&fault_rate=lots")
    assert bad.status_code == 400
    assert "fault_rate" in bad.json()["error"]
    assert emulator.runtime.settings.fault_rate == 0
    assert call_api(emulator, "GET", "senders")[0] == 200


def test_constructor_refuses_bad_settings():
    with pytest.raises(TypeError, match="latency_ms"):
        Emulator(latency_ms="5")


# --- hostile bodies: 400, never 500 ----------------------------------------------------


@pytest.mark.parametrize("path", ["seed", "masters", "settings"])
@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"[1, 2]",
        b'"text"',
        b"\xff\xfe",
        b'{"seed_value": 1e400}',
        b"null",
        b'{"name": 5}',
        b'{"seed_value": -1}',
        b'{"seed_value": true}',
        b'{"username": ["a"]}',
    ],
)
def test_malformed_bodies_answer_400(emulator, path, raw):
    response = admin(emulator, "POST", path, data=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert isinstance(response.json()["error"], str)
    assert emulator.runtime.seed == "empty"
    assert emulator.runtime.settings == Settings()
