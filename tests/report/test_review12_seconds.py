"""The twelfth review, R4: a range ending at 10:58:25 was printed "until 2026-05-01 10:58,
not included", and the complaints it counted, at 10:58:20 to 10:58:24, fell after that
printed end: an end with seconds is printed with them."""

from __future__ import annotations

import pandas as pd

from mmframe.reporting.numbers import moment, span
from mmframe.reporting.servers_said import _part_words

START = pd.Timestamp("2026-05-01T10:55", tz="UTC")
END = pd.Timestamp("2026-05-01T10:58:25", tz="UTC")


def test_a_range_end_with_seconds_is_printed_with_them():
    assert (
        span(START, END) == "from 2026-05-01 10:55 UTC until 2026-05-01 10:58:25 UTC, not included"
    )
    assert moment(END) == "2026-05-01 10:58:25 UTC"


def test_a_spikes_part_of_the_day_keeps_the_seconds():
    day = START.floor("D")
    assert _part_words(day, START, END) == " from 10:55 to 10:58:25 UTC"
