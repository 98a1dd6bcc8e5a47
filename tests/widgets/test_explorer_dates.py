"""The explorer reads its dates as every loader does (ninth review, F20):
``SuppressionExplorer(start="01/11/2026")`` read January 11th and drew ten months, while
``read_suppressions``, ``report`` and the command line refuse the same text."""

from __future__ import annotations

import pytest

from mmframe.widgets import SuppressionExplorer


@pytest.mark.parametrize("option", ["start", "end"])
@pytest.mark.parametrize("value", ["01/11/2026", "13/10/2026", "01.11.2026", "2026/11/01"])
def test_a_date_that_leaves_the_month_to_guess_is_refused(session, emulator, option, value):
    emulator.reset_stats()
    given = {"start": "2026-10-01", "end": "2026-12-01"} | {option: value}
    with pytest.raises(ValueError, match=rf"^{option}='{value}' is ambiguous \(which number"):
        SuppressionExplorer(session, debounce=0, **given)
    assert emulator.stats()["totals"]["requests"] == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0001-01-01", "outside the times"), ("2026-13-01", "not a date"), ("tomorrow", "not a date")],
)
def test_a_date_that_is_none_or_out_of_range_is_refused(session, value, expected):
    with pytest.raises(ValueError, match=rf"^start='{value}' (?:is )?.*{expected}"):
        SuppressionExplorer(session, start=value, end="2026-12-01", debounce=0)


def test_a_date_with_an_offset_is_its_utc_day(session):
    # As a loader reads it: 23:00 at -05:00 is the next day, UTC.
    explorer = SuppressionExplorer(session, start="2026-10-31T23:00-05:00", debounce=0)
    assert str(explorer.start.value) == "2026-11-01"
