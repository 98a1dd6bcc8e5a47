"""The command line's dates (eighth review, 5 and 6): the words ``now`` and ``today``, and
numeric dates that leave the month to be guessed."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mmframe import cli
from tests.conftest import usage_error

# Mid-second, as a clock is; after the machine's, so that a "now" read on any other clock shows.
CLOCK = pd.Timestamp("2030-12-05T16:54:30.25Z")


@pytest.fixture
def env(monkeypatch, emulator):
    monkeypatch.setenv("MMFRAME_URL", emulator.url)
    monkeypatch.setenv("MMFRAME_APIKEY", emulator.master_apikey)
    return emulator


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr("mmframe.dates._clock", lambda: CLOCK)
    return CLOCK


@pytest.mark.parametrize("command", ["report", "export"])
def test_a_start_of_now_is_the_empty_range_error(capsys, env, clock, tmp_path, command):
    # "mmframe report --start now" wrote a report of the range 16:54 to 16:54, exit 0.
    words = ["export", "suppressions"] if command == "export" else ["report"]
    end = [] if command == "report" else ["--end", "now"]
    out = tmp_path / "out"
    err = usage_error(capsys, [*words, "--start", "now", *end, "--out", str(out)])
    assert err.startswith(f"mmframe {command}: error: empty range: --start now is not before --end")
    assert "defaults to now (2030-12-05 16:54 UTC)" in err or "--end now" in err, err
    assert not out.exists() and env.stats()["totals"]["requests"] == 0


def test_a_start_of_today_reads_from_midnight_utc(capsys, env, clock, tmp_path):
    argv = ["report", "--start", "today", "--no-progress", "--out", str(tmp_path / "r")]
    assert cli.main(argv) == 0, capsys.readouterr().err
    assert "reading 2030-12-05 to 2030-12-05 16:54:30 UTC" in capsys.readouterr().err


def test_an_end_of_today_ends_at_midnight(capsys, env, clock, tmp_path):
    argv = ["report", "--start", "2030-12-01", "--end", "today", "--out", str(tmp_path / "r")]
    assert cli.main(argv) == 0, capsys.readouterr().err
    assert "reading 2030-12-01 to 2030-12-05 ..." in capsys.readouterr().err
    line = usage_error(capsys, ["report", "--start", "today", "--end", "2030-12-01"])
    assert "--start today (2030-12-05 00:00 UTC) is not before --end 2030-12-01" in line, line


@pytest.mark.parametrize("option", ["--start", "--end", "--as-of"])
@pytest.mark.parametrize("value", ["01/11/2026", "13/10/2026", "01.11.2026"])
def test_a_date_that_leaves_the_month_to_guess_is_a_usage_error(capsys, clock, option, value):
    # "--start 01/11/2026" read January 11th, "--start 13/10/2026" October 13th.
    bounds = {"--start": "2026-01-01", "--end": "2026-12-01"} | {option: value}
    line = usage_error(capsys, ["report", *(word for pair in bounds.items() for word in pair)])
    assert f"argument {option}: '{value}' is ambiguous" in line, line
    assert line.count(value) == 1 and "year first, such as 2026-11-01" in line, line


def test_a_report_from_now_is_an_empty_range_in_python_too(session, emulator, clock, tmp_path):
    import mmframe as mm

    out = tmp_path / "r"
    with pytest.raises(ValueError, match=r"^empty range: start='now' is not before now \(2030-"):
        mm.report("now", out=out, session=session, progress=False)
    assert not out.exists()


OUT_OF_RANGE = ["0001-01-01", "1677-12-31", "2262-01-01", "9999-12-31T00:00+02:00"]


@pytest.mark.parametrize("option", ["--start", "--end", "--as-of"])
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_a_date_outside_the_apis_times_is_a_usage_error(
    capsys, env, clock, tmp_path, option, value
):
    # Ninth review, F15: "--start 0001-01-01" reached the server as "1-01-01" and came back
    # as its raw 452, with no hint.
    env.reset_stats()
    bounds = {"--start": "2026-01-01", "--end": "2026-12-01"} | {option: value}
    words = [word for pair in bounds.items() for word in pair]
    line = usage_error(capsys, ["report", *words, "--out", str(tmp_path / "r")])
    assert f"argument {option}: '{value}' is outside the times the API's clients read" in line
    assert "(1678-01-01 to 2261-12-31): check the year, such as 2026-11-01" in line, line
    assert env.stats()["totals"]["requests"] == 0


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_a_date_outside_the_apis_times_is_refused_in_python_before_a_request(
    session, emulator, clock, tmp_path, value
):
    import mmframe as mm
    from mmframe.answers import MAX_TIME, MIN_TIME
    from mmframe.dates import END_TIME, FIRST_TIME

    assert pd.Timestamp(MIN_TIME) == FIRST_TIME and pd.Timestamp(MAX_TIME) == END_TIME
    emulator.reset_stats()
    told = rf"^start='{re.escape(value)}' is outside the times the API's clients read \(1678"
    with pytest.raises(ValueError, match=told):
        mm.read_suppressions(value, "2026-01-01", session=session)
    with pytest.raises(ValueError, match=told):
        mm.report(value, "2026-01-01", out=tmp_path / "r", session=session, progress=False)
    assert emulator.stats()["totals"]["requests"] == 0 and not (tmp_path / "r").exists()
