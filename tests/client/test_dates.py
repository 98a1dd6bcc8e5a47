"""UTC bounds and the chunking of ranges on pandas frequencies."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.dates import chunk_range, to_utc, utc_range, wire

FREQS = ["D", "W", "MS", "h", "7D", "QS", "YS", "15min", "W-MON", "ME", "2h", "SME"]
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 1, 1), timezones=st.just(dt.UTC)
).map(lambda t: pd.Timestamp(t).floor("s"))


@settings(max_examples=300, deadline=None)
@given(a=moments, span=st.integers(0, 400 * 86400), freq=st.sampled_from(FREQS))
def test_chunks_cover_the_range_exactly_once(a, span, freq):
    b = a + pd.Timedelta(seconds=span)
    if freq in ("h", "15min", "2h") and span > 40 * 86400:
        b = a + pd.Timedelta(days=40)  # keep the hourly cases small
    chunks = chunk_range(a, b, freq)
    if a == b:
        assert chunks == []
        return
    assert chunks[0][0] == a and chunks[-1][1] == b
    assert all(lo < hi for lo, hi in chunks)
    assert all(chunks[i][1] == chunks[i + 1][0] for i in range(len(chunks) - 1))


@settings(max_examples=300, deadline=None)
@given(a=moments, span=st.integers(1, 400 * 86400), freq=st.sampled_from(FREQS))
def test_every_edge_inside_the_range_is_a_period_boundary_at_midnight(a, span, freq):
    # Sixth review: a range starting at 12:46:56 was cut into months starting on the 1st at
    # 12:46:56 (the calendar anchors kept the start's time of day), so a month's counts held
    # the next month's first hours, and the headline's "nothing counted before" was a month
    # early. Days, weeks, months, quarters and years begin at midnight.
    b = a + pd.Timedelta(seconds=span)
    if freq in ("h", "15min", "2h") and span > 40 * 86400:
        return
    offset = pd.tseries.frequencies.to_offset(freq)
    for lo, _hi in chunk_range(a, b, freq)[1:]:
        assert offset.is_on_offset(lo), (lo, freq)
        if freq not in ("h", "15min", "2h"):
            assert lo == lo.normalize(), (lo, freq)


def test_monthly_chunks_of_a_range_starting_mid_day_begin_at_midnight():
    chunks = chunk_range(to_utc("2026-06-09 12:46:56", "s"), to_utc("2026-09-07", "e"), "MS")
    assert [lo.isoformat() for lo, _ in chunks] == [
        "2026-06-09T12:46:56+00:00",
        "2026-07-01T00:00:00+00:00",
        "2026-08-01T00:00:00+00:00",
        "2026-09-01T00:00:00+00:00",
    ]


def test_daily_chunks_align_to_midnight():
    chunks = chunk_range(to_utc("2025-01-01 10:30", "s"), to_utc("2025-01-03 12:00", "e"), "D")
    assert [lo.isoformat() for lo, _ in chunks] == [
        "2025-01-01T10:30:00+00:00",
        "2025-01-02T00:00:00+00:00",
        "2025-01-03T00:00:00+00:00",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-02", "2026-01-02T00:00:00+00:00"),
        ("2026-01-02T05:00:00+05:00", "2026-01-02T00:00:00+00:00"),
        (dt.date(2026, 1, 2), "2026-01-02T00:00:00+00:00"),
        (dt.datetime(2026, 1, 2, 3, 4, 5, 999999), "2026-01-02T03:04:05+00:00"),
        (pd.Timestamp("2026-01-02 03:04", tz="US/Eastern"), "2026-01-02T08:04:00+00:00"),
    ],
)
def test_bounds_become_utc_seconds(value, expected):
    assert wire(to_utc(value, "start")) == expected


@pytest.mark.parametrize("value", ["nonsense", "2026-13-01"])
def test_unreadable_bounds_name_the_argument(value):
    with pytest.raises(ValueError, match="start="):
        to_utc(value, "start")


@pytest.mark.parametrize("value", [2025, 20250101, 1.7e9, np.int64(2026), object(), [2026]])
def test_numbers_and_other_types_are_refused(value):
    with pytest.raises(TypeError, match=r"start=.*is not a date"):
        to_utc(value, "start")  # type: ignore[arg-type]


def test_range_order():
    assert utc_range(None, None) == (None, None)
    with pytest.raises(ValueError, match="before"):
        utc_range("2026-02-01", "2026-01-01")


# Eighth review, 6: "01/11/2026" was read month first (January 11th) and "13/10/2026" day
# first, silently; a European user's November report covered ten months.
@pytest.mark.parametrize(
    "value",
    [
        *("01/11/2026", "13/10/2026", "11/01/2026", "2026/11/01", "1/11/26", "11/2026"),
        *("01.11.2026", "01-11-2026", "01 11 2026", "26-11-01"),
    ],
)
def test_slashed_and_day_or_month_first_dates_are_refused_naming_the_argument(value):
    with pytest.raises(ValueError, match=r"start='[^']+' is ambiguous.*year first.*'2026-11-01'"):
        to_utc(value, "start")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20261101", "2026-11-01T00:00:00+00:00"),
        ("2026-11-01T13:00", "2026-11-01T13:00:00+00:00"),
        ("2026-11-01 13:00:00-02:00", "2026-11-01T15:00:00+00:00"),
        ("1 Nov 2026", "2026-11-01T00:00:00+00:00"),
        ("Nov 1, 2026", "2026-11-01T00:00:00+00:00"),
    ],
)
def test_dates_that_say_which_is_the_month_are_read(value, expected):
    assert wire(to_utc(value, "start")) == expected


def test_a_reader_refuses_a_slashed_bound_before_any_request(emulator, session):
    import mmframe as mm

    emulator.reset_stats()
    with pytest.raises(ValueError, match=r"start='01/11/2026' is ambiguous"):
        mm.read_suppressions("01/11/2026", "2026-11-02", session=session)
    with pytest.raises(ValueError, match=r"end='13/10/2026' is ambiguous"):
        mm.read_suppressions("2026-10-01", "13/10/2026", session=session)
    assert emulator.stats()["totals"]["requests"] == 0


# Eighth review, 5: "today" was this instant (pandas: the machine's local time, taken as
# UTC), so a range from today was empty; it is midnight UTC of the clock's day.
def test_today_is_midnight_utc_and_now_the_clock(monkeypatch):
    monkeypatch.setattr("mmframe.dates._clock", lambda: pd.Timestamp("2026-12-05T16:54:30.5Z"))
    assert wire(to_utc("today", "start")) == "2026-12-05T00:00:00+00:00"
    assert wire(to_utc("now", "end")) == "2026-12-05T16:54:30+00:00"
    assert wire(to_utc(" Today ", "start")) == "2026-12-05T00:00:00+00:00"
