"""Key isolation: a sub-account key sees and changes only its own data (SPEC A3)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.clock  # reads today's date or the clock


def _sub(api, name):
    return api(
        "POST", "accounts", username=f"{name}@x.com", password="p", companyname="c", phone="1"
    )[1]["data"]["apikey"]


@pytest.mark.parametrize(
    ("verb", "method", "params"),
    [
        ("GET", "accounts", {}),
        (
            "POST",
            "accounts",
            {"username": "z@x.com", "password": "p", "companyname": "c", "phone": "1"},
        ),
        ("POST", "accounts/delete", {"username": "b@x.com"}),
    ],
)
def test_sub_key_on_accounts_is_451(api, verb, method, params):
    key = _sub(api, "a")
    _sub(api, "b")
    assert api(verb, method, key=key, **params)[0] == 451
    assert len(api("GET", "accounts")[1]["data"]["accounts"]) == 3


def test_each_key_sees_only_its_own(api):
    a, b = _sub(api, "a"), _sub(api, "b")
    api("POST", "suppressions", key=a, emailaddress="one@x.com,two@x.com")
    api("POST", "senders", key=a, emailaddress="s@x.com")
    api("POST", "accounts/xheaders", key=a, xheader1="X-A")
    assert api("GET", "suppressions/count", key=a)[1]["data"]["count"] == 2
    assert api("GET", "suppressions/count", key=b)[1]["data"]["count"] == 0
    assert api("GET", "suppressions/count")[1]["data"]["count"] == 0
    assert api("GET", "senders", key=b)[1]["data"]["senders"] == []
    assert api("GET", "senders/status", key=b, emailaddress="s@x.com")[0] == 452
    assert api("GET", "accounts/xheaders", key=b)[1]["data"]["xheader1"] == ""
    status = api("GET", "recipients/status", key=b, emailaddress="one@x.com")[1]["data"]
    assert status["recipients"][0]["suppressionstatus"] == "unsuppressed"
    api("POST", "suppressions/activate", key=b, emailaddress="one@x.com")
    assert api("GET", "suppressions/count", key=a)[1]["data"]["count"] == 2


def test_master_key_acts_on_master_only(api):
    a = _sub(api, "a")
    api("POST", "suppressions", key=a, emailaddress="one@x.com")
    api("POST", "suppressions/activate", emailaddress="one@x.com")
    assert api("GET", "suppressions/count", key=a)[1]["data"]["count"] == 1
