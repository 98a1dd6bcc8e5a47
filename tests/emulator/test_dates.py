"""Date ranges over HTTP on the demo data: every accepted form, half-open bounds (SPEC A5)."""

from __future__ import annotations

import pytest

from tests.conftest import call_api


@pytest.fixture(scope="module")
def news(demo_emulator):
    """The demo's busiest sub-account, read with its own key."""
    accounts = call_api(demo_emulator, "GET", "accounts")[1]["data"]["accounts"]
    key = next(a["apikey"] for a in accounts if a["username"] == "news@example.com")
    return lambda verb, method, **p: call_api(demo_emulator, verb, method, key=key, **p)


def _count(news, **params):
    status, body = news("GET", "suppressions/count", **params)
    assert status == 200, body
    return body["data"]["count"]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param("2026-03-02", "2026-03-03", id="dates"),
        pytest.param("2026-03-02T00:00:00", "2026-03-03T00:00:00", id="naive"),
        pytest.param("2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z", id="zulu"),
        pytest.param("2026-03-02T00:00:00+00:00", "2026-03-03T00:00:00+00:00", id="offset"),
        pytest.param("2026-03-02T00:00:00+0000", "2026-03-03T00:00:00+0000", id="php"),
        pytest.param("2026-03-01T19:00:00-05:00", "2026-03-02T19:00:00-0500", id="converted"),
        pytest.param("2026-03-02T00:00:00.000Z", "2026-03-03T00:00:00.0", id="fraction"),
    ],
)
def test_every_form_selects_the_same_day(news, start, end):
    assert (
        _count(news, startdate=start, enddate=end)
        == _count(news, startdate="2026-03-02", enddate="2026-03-03")
        > 0
    )


def test_aliases(news):
    assert _count(news, starttime="2026-03-02", endtime="2026-03-09") == _count(
        news, startdate="2026-03-02", enddate="2026-03-09"
    )


def test_half_open_range_with_times_read_back(news):
    rows = news("GET", "suppressions", startdate="2026-03-02", enddate="2026-03-03")[1]["data"][
        "suppressions"
    ]
    t = rows[10]["suppresstime"]
    same = sum(r["suppresstime"] == t for r in rows)
    before = sum(r["suppresstime"] < t for r in rows)
    assert _count(news, startdate="2026-03-02", enddate=t) == before
    assert _count(news, startdate=t, enddate=t) == 0
    selected = news("GET", "suppressions", startdate=t, enddate=rows[-1]["suppresstime"])[1][
        "data"
    ]["suppressions"]
    assert [r["suppresstime"] for r in selected[:same]] == [t] * same


def test_open_bounds_and_split_adds_up(news):
    total = _count(news)
    assert total > 40_000
    assert _count(news, enddate="2025-11-01") + _count(news, startdate="2025-11-01") == total


@pytest.mark.parametrize(
    "params",
    [
        {"startdate": "2026-02-30"},
        {"enddate": "03/02/2026"},
        {"startdate": "2026-03-02T10:00"},
        {"startdate": "2026-03-03", "enddate": "2026-03-02"},
    ],
)
def test_rejected_dates(news, params):
    status, body = news("GET", "suppressions", **params)
    assert status == 452
    assert body["data"]
