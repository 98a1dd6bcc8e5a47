"""Admin routes: info, reset, seed, stats, settings, masters (SPEC A17)."""

from __future__ import annotations

import requests

from tests.conftest import call_api


def test_info_and_stats_count_calls(emulator):
    info = requests.get(f"{emulator.admin_url}/info", timeout=5).json()
    assert info["seed"] == "empty"
    assert info["master_apikey"] == emulator.master_apikey
    call_api(emulator, "GET", "senders")
    call_api(emulator, "POST", "suppressions", emailaddress="a@x.com,b@x.com")
    call_api(emulator, "POST", "suppressions", emailaddress="bad")
    stats = requests.get(f"{emulator.admin_url}/stats", timeout=5).json()
    assert stats["methods"]["GET senders"] == {
        "requests": 1,
        "addresses": 0,
        "faults": {},
        "statuses": {"200": 1},
    }
    assert stats["methods"]["POST suppressions"]["statuses"] == {"200": 1, "452": 1}
    assert stats["totals"] == {"requests": 3, "writes": 2, "addresses": 2, "faults": 0}
    assert requests.post(f"{emulator.admin_url}/stats", timeout=5).json()["totals"]["requests"] == 0


def test_reset_restores_the_seed(emulator):
    call_api(emulator, "POST", "suppressions", emailaddress="a@x.com")
    requests.post(f"{emulator.admin_url}/reset", timeout=30)
    assert call_api(emulator, "GET", "suppressions/count")[1]["data"]["count"] == 0


def test_seed_route_loads_a_dataset(emulator):
    body = requests.post(f"{emulator.admin_url}/seed", json={"name": "demo"}, timeout=60).json()
    assert body["seed"] == "demo"
    accounts = call_api(emulator, "GET", "accounts")[1]["data"]["accounts"]
    assert len(accounts) == 5
    bad = requests.post(f"{emulator.admin_url}/seed", json={"name": "nope"}, timeout=5)
    assert bad.status_code == 400
    assert "unknown seed" in bad.json()["error"]


def test_settings_route_changes_behaviour(emulator):
    requests.post(f"{emulator.admin_url}/settings", json={"max_addresses": 1}, timeout=5)
    assert call_api(emulator, "POST", "suppressions", emailaddress="a@x.com,b@x.com")[0] == 452


def test_masters_route(emulator):
    made = requests.post(
        f"{emulator.admin_url}/masters", json={"username": "m2@x.com"}, timeout=5
    ).json()
    accounts = call_api(emulator, "GET", "accounts", key=made["apikey"])[1]["data"]["accounts"]
    assert [a["username"] for a in accounts] == ["m2@x.com"]
    again = requests.post(f"{emulator.admin_url}/masters", json={"username": "m2@x.com"}, timeout=5)
    assert again.status_code == 409
