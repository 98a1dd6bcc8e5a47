"""Every error code a method can give, with its envelope (SPEC 1.5, A1-A3, A13, A14)."""

from __future__ import annotations

import pytest
import requests

SUB = {"username": "sub@example.com", "password": "pw", "companyname": "Co", "phone": "1"}


@pytest.mark.parametrize(
    ("verb", "method"),
    [
        pytest.param("GET", "nosuchmethod", id="unknown-method"),
        pytest.param("POST", "suppressions/count", id="wrong-verb"),
        pytest.param("GET", "senders/delete", id="get-on-post-only"),
        pytest.param("DELETE", "senders", id="delete-verb"),
    ],
)
def test_404_envelope_before_key_check(api, verb, method):
    status, body = api(verb, method, key=None)
    assert (status, body["message"]) == (404, "Not Found")


@pytest.mark.parametrize("fmt", ["xml", "html"])
def test_other_formats_404(emulator, fmt):
    response = requests.get(emulator.url.replace("/json", f"/{fmt}") + "/senders", timeout=10)
    assert response.status_code == 404
    assert response.json()["response"]["status"] == 404


def test_unknown_path_404(emulator):
    response = requests.get(emulator.url.replace("/rest/json", "/nothing"), timeout=10)
    assert response.json()["response"]["status"] == 404


@pytest.mark.parametrize("key", [None, "", "0" * 32, "not-a-key"])
def test_451_missing_or_unknown_key(api, key):
    status, body = api("GET", "senders", key=key)
    assert (status, body["message"], body["data"]) == (451, "Missing or Invalid API Key", {})


@pytest.mark.parametrize(
    ("verb", "method", "params"),
    [
        pytest.param("GET", "suppressions", {"startindex": "-1"}, id="negative-startindex"),
        pytest.param("GET", "senders", {"startindex": "ten"}, id="text-startindex"),
        pytest.param("GET", "suppressions", {"startdate": "nope"}, id="bad-date"),
        pytest.param(
            "GET",
            "suppressions/count",
            {"startdate": "2020-01-02", "enddate": "2020-01-01"},
            id="start-after-end",
        ),
        pytest.param("POST", "suppressions", {}, id="missing-address"),
        pytest.param("POST", "suppressions", {"emailaddress": "bad"}, id="invalid-address"),
        pytest.param("GET", "recipients/status", {"emailaddress": "a@x.com,bad"}, id="status-bad"),
        pytest.param("POST", "senders", {"emailaddress": "s@x.com", "seeding": "2"}, id="seeding"),
        pytest.param("GET", "senders/details", {"emailaddress": "who@x.com"}, id="unknown-sender"),
        pytest.param("GET", "senders/status", {"emailaddress": "who@x.com"}, id="unknown-status"),
        pytest.param(
            "POST", "senders/dkim", {"emailaddress": "who@x.com", "dkim": "s"}, id="unknown-dkim"
        ),
        pytest.param("POST", "senders/delete", {"emailaddress": "who@x.com"}, id="unknown-delete"),
        pytest.param("POST", "accounts", {"username": "new@x.com"}, id="create-missing-fields"),
        pytest.param("POST", "accounts", {**SUB, "username": "nope"}, id="username-not-email"),
        pytest.param("POST", "accounts", {**SUB, "timezone": "+14.00"}, id="timezone-range"),
        pytest.param("POST", "accounts", {**SUB, "trackopens": "yes"}, id="flag"),
        pytest.param("POST", "accounts/delete", {"username": "ghost@x.com"}, id="delete-unknown"),
        pytest.param(
            "POST", "accounts/delete", {"username": "admin@example.com"}, id="delete-master"
        ),
        pytest.param("POST", "accounts/xheaders", {"xheader1": "Campaign"}, id="xheader-name"),
    ],
)
def test_452_with_messages(api, verb, method, params):
    status, body = api(verb, method, **params)
    assert (status, body["message"]) == (452, "Missing or Invalid Required Fields")
    assert body["data"]
    assert all(isinstance(m, str) for m in body["data"])


def test_452_create_lists_each_missing_field(api):
    _, body = api("POST", "accounts", username="new@x.com")
    assert [m.split("'")[1] for m in body["data"]] == ["password", "companyname", "phone"]


def test_dkim_selector_syntax(api):
    api("POST", "senders", emailaddress="s@x.com")
    status, body = api("POST", "senders/dkim", emailaddress="s@x.com", dkim="bad selector!")
    assert status == 452
    assert "dkim" in body["data"][0]


@pytest.mark.clock
def test_453_username_of_another_master(emulator, api):
    other = requests.post(
        f"{emulator.admin_url}/masters",
        json={"username": "boss@other.com"},
        headers=emulator.admin_headers,
        timeout=10,
    ).json()
    assert api("POST", "accounts", **SUB, key=other["apikey"])[0] == 200
    status, body = api("POST", "accounts", **SUB)
    assert (status, body["message"]) == (453, "Object Already Exists")
    assert api("POST", "accounts", **{**SUB, "username": "boss@other.com"})[0] == 453
