"""Address lists: the per-request limit, atomic rejection, case-insensitivity (SPEC A7-A9)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.clock  # reads today's date or the clock


@pytest.fixture
def small_limit(make_emulator):
    from tests.conftest import call_api

    emulator = make_emulator("empty", max_addresses=5)
    return lambda verb, method, **p: call_api(emulator, verb, method, **p)


@pytest.mark.parametrize(
    ("verb", "method"),
    [
        ("POST", "suppressions"),
        ("POST", "suppressions/activate"),
        ("GET", "recipients/status"),
        ("POST", "recipients/activate"),
    ],
)
def test_limit_counts_distinct_addresses(small_limit, verb, method):
    five = ",".join(f"a{i}@x.com" for i in range(5))
    assert small_limit(verb, method, emailaddress=five + ",A0@x.com, ,")[0] == 200
    status, body = small_limit(verb, method, emailaddress=five + ",a5@x.com")
    assert status == 452
    assert "At most 5" in body["data"][0]


def test_default_limit_is_1000(api):
    ok = ",".join(f"a{i}@x.com" for i in range(1000))
    assert api("POST", "suppressions", emailaddress=ok)[0] == 200
    assert api("POST", "suppressions", emailaddress=ok + ",z@x.com")[0] == 452


def test_one_invalid_address_rejects_the_batch(api, emulator):
    status, body = api("POST", "suppressions", emailaddress="a@x.com,bad@,b@x.com,also bad@x.com")
    assert status == 452
    assert len(body["data"]) == 2
    assert api("GET", "suppressions/count")[1]["data"]["count"] == 0
    api("POST", "suppressions", emailaddress="a@x.com")
    assert api("POST", "suppressions/activate", emailaddress="a@x.com,nope")[0] == 452
    assert api("GET", "suppressions/count")[1]["data"]["count"] == 1
    assert emulator.stats()["methods"]["POST suppressions"]["addresses"] == 1


def test_case_insensitive_identity_shown_as_first_given(api):
    api("POST", "suppressions", emailaddress="Mixed.Case@Example.COM")
    api("POST", "suppressions", emailaddress="mixed.case@example.com")
    rows = api("GET", "suppressions")[1]["data"]["suppressions"]
    assert [r["emailaddress"] for r in rows] == ["Mixed.Case@Example.COM"]
    status = api("GET", "recipients/status", emailaddress="MIXED.case@example.com")[1]["data"]
    assert status["recipients"][0]["suppressionstatus"] == "suppressed"
    api("POST", "suppressions/activate", emailaddress="MIXED.CASE@EXAMPLE.COM")
    assert api("GET", "suppressions/count")[1]["data"]["count"] == 0


def test_an_address_holding_a_line_break_is_refused(api):
    # The list is checked in one regex pass over the items joined by line breaks: an item
    # holding one must not pass as two addresses.
    status, body = api("POST", "suppressions", emailaddress="a@x.com\nb@x.com,c@x.com")
    assert status == 452
    assert "'a@x.com\\nb@x.com'" in body["data"][0]
    assert api("GET", "suppressions/count")[1]["data"]["count"] == 0
