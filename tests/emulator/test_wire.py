"""Wire rules in isolation: dates, address lists, parameter folding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.emulator.wire import (
    SQL_TIME,
    ApiError,
    address_list,
    collect_params,
    date_range,
    format_time,
    is_address,
    parse_time,
)

T0 = 1388631845  # 2014-01-02T03:04:05Z


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2014-01-02T03:04:05", id="naive-is-utc"),
        pytest.param("2014-01-02T03:04:05Z", id="zulu"),
        pytest.param("2014-01-02T03:04:05+00:00", id="colon-offset"),
        pytest.param("2014-01-02T03:04:05+0000", id="php-offset"),
        pytest.param("2014-01-02T05:04:05+02:00", id="converted"),
        pytest.param("2014-01-02T03:04:05.999", id="fraction-truncated"),
        pytest.param("2014-01-02T03:04:05.123456789Z", id="nanoseconds"),
    ],
)
def test_accepted_time_forms(text):
    assert parse_time(text, "startdate") == T0


def test_date_only_is_midnight_utc():
    assert parse_time("2014-01-02", "enddate") == T0 - (3 * 3600 + 4 * 60 + 5)


@pytest.mark.parametrize(
    "text",
    [
        "yesterday",
        "2014-13-01",
        "20140102",
        "2014-01-02 03:04:05",
        "2014-01-02T25:00:00",
        "2014-01-02T03:04",
        "1388631845",
        "",
    ],
)
def test_rejected_time_forms(text):
    with pytest.raises(ApiError) as caught:
        parse_time(text, "startdate")
    assert caught.value.status == 452
    assert "startdate" in caught.value.messages[0]


def test_format_round_trips():
    assert format_time(T0) == "2014-01-02T03:04:05+00:00"
    assert parse_time(format_time(T0), "x") == T0


def test_range_aliases_and_order():
    assert date_range({"starttime": ["2014-01-02"], "endtime": ["2014-01-03"]}) == (
        T0 - 11045,
        T0 - 11045 + 86400,
    )
    assert date_range({}) == (None, None)
    with pytest.raises(ApiError):
        date_range({"startdate": ["2014-01-03"], "enddate": ["2014-01-02"]})


def test_address_list_trims_dedupes_case_insensitively():
    got = address_list({"emailaddress": [" A@x.com ,b@y.org,,a@X.COM", "c@z.net"]}, 10)
    assert got == ["A@x.com", "b@y.org", "c@z.net"]


def test_address_limit_checked_before_syntax():
    with pytest.raises(ApiError) as caught:
        address_list({"emailaddress": ["bad,a@x.com,b@x.com"]}, 2)
    assert "At most 2" in caught.value.messages[0]


def test_every_invalid_address_is_named():
    with pytest.raises(ApiError) as caught:
        address_list({"emailaddress": ["ok@x.com,nope,also@bad"]}, 10)
    assert len(caught.value.messages) == 2
    assert "'nope'" in caught.value.messages[0]
    assert "'also@bad'" in caught.value.messages[1]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("a.b+tag@sub.example.co.uk", True),
        ("o'brien@example.com", True),
        ("a..b@x.com", False),
        (".a@x.com", False),
        ("a@-x.com", False),
        ("a@x", False),
        ("a b@x.com", False),
        ("x" * 65 + "@x.com", False),
        ("a@" + "x" * 250 + ".com", False),
    ],
)
def test_address_syntax(text, ok):
    assert is_address(text) is ok


def test_bracketed_and_repeated_names_fold_and_body_wins():
    merged = collect_params(
        [("apikey", "q"), ("to[]", "a")], [("apikey", "b"), ("to[0]", "x"), ("to[1]", "y")]
    )
    assert merged == {"apikey": ["b"], "to": ["x", "y"]}


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 4_102_444_799))  # 1970 to the end of 2099
def test_times_rendered_by_sqlite_are_the_ones_python_renders(epoch):
    """The pages SQLite renders and the rows Python synthesises write a time alike."""
    import sqlite3

    with sqlite3.connect(":memory:") as db:
        (rendered,) = db.execute(f"SELECT {SQL_TIME.format('?')}", [epoch]).fetchone()
    assert rendered == format_time(epoch)
