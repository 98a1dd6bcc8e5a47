"""A range's words say where it ends (issue 33, eighth review, 15): the page read "From
2026-09-01 to 2026-12-05 (UTC)" for a range whose end is excluded, which a reader takes as
inclusive; a 19.5-day range was "19 days and part of another"."""

from __future__ import annotations

import io
import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import mmframe as mm
from mmframe.reporting import build
from mmframe.reporting.numbers import duration, span
from tests.report.test_mid_day_end import ACCOUNT, DAY, LAST, served  # noqa: F401 (fixture)
from tests.report.test_report_page import _text

UNITS = {"day": "D", "days": "D", "hour": "h", "hours": "h", "minute": "min", "minutes": "min"}
T0 = pd.Timestamp("2026-09-01", tz="UTC")


def _length(words: str) -> pd.Timedelta:
    """A length said by :func:`duration`, read back."""
    parts = re.fullmatch(r"(\d+ (?:days?|hours?|minutes?))( \d+ (?:hours?|minutes?)){0,2}", words)
    assert parts, words
    return sum(
        (pd.Timedelta(int(n), unit=UNITS[u]) for n, u in re.findall(r"(\d+) (\w+)", words)),
        pd.Timedelta(0),
    )


def test_a_range_of_19_and_a_half_days_is_said_so():
    assert duration(T0, T0 + pd.Timedelta(days=19, hours=12)) == "19 days 12 hours"
    assert duration(T0, T0 + pd.Timedelta(days=95)) == "95 days"
    assert duration(T0, T0 + pd.Timedelta(hours=6, minutes=30)) == "6 hours 30 minutes"


@given(st.integers(1, 400 * 24 * 60))
def test_a_length_in_words_reads_back_to_the_same_length(minutes):
    length = pd.Timedelta(minutes=minutes)
    assert _length(duration(T0, T0 + length)) == length


@given(st.integers(0, 400 * 24 * 4), st.integers(1, 200 * 24 * 4))
def test_a_range_in_words_reads_back_to_the_same_range(start, length):
    # Quarter hours from 2026-09-01: at midnight or not, ends inclusive or not.
    first = T0 + pd.Timedelta(minutes=15 * start)
    end = first + pd.Timedelta(minutes=15 * length)
    said = span(first, end)
    found = re.fullmatch(
        r"from (\S+(?: \S+ UTC)?) (?:to (\S+) inclusive|until (\S+(?: \S+ UTC)?), not included)"
        r"|on (\S+)",
        said,
    )
    assert found, said
    if found.group(4):  # one whole day
        day = pd.Timestamp(found.group(4), tz="UTC")
        assert (first, end) == (day, day + pd.Timedelta(days=1)), said
        return
    assert pd.Timestamp(found.group(1).replace(" UTC", ""), tz="UTC") == first, said
    if found.group(2):  # a last day, included
        assert pd.Timestamp(found.group(2), tz="UTC") + pd.Timedelta(days=1) == end, said
    else:
        assert pd.Timestamp(found.group(3).replace(" UTC", ""), tz="UTC") == end, said
        assert end != end.floor("D"), said


def test_the_page_says_which_day_its_range_ends_on(served, tmp_path):  # noqa: F811
    emulator, _frames = served
    ends = {
        "midnight": (DAY + pd.Timedelta(days=1), f"to {DAY:%Y-%m-%d} inclusive"),
        "10:10": (DAY + pd.Timedelta(hours=10, minutes=10), f"until {DAY:%Y-%m-%d} 10:10"),
    }
    start = DAY - pd.Timedelta(days=25)
    for name, (end, said) in ends.items():
        out = tmp_path / name
        out.mkdir()
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            evidence, path = build(
                session, out, start.isoformat(), end.isoformat(), as_of=LAST.isoformat(),
                accounts=[ACCOUNT], progress=False, stream=io.StringIO(),
            )  # fmt: skip
        text = _text(path.read_text())
        line = re.search(r"(?:From|On) \d{4}-\d\d-\d\d[^;]*?data as of", text).group(0)
        assert said in line, (name, line)
        assert "not included" in line if name == "10:10" else "inclusive" in line, line
        # Every sentence naming the range says it alike.
        assert f"Checked 1 account {span(evidence.start, evidence.end)} (" in text, text
