"""A read over its request budget, as the command line and the report say it (eighth
review, 13): the remedy each offers is one it takes, never Python's ``max_requests=``."""

from __future__ import annotations

import pickle

import pytest

import mmframe as mm
from mmframe import cli


@pytest.fixture
def env(monkeypatch, emulator):
    monkeypatch.setenv("MMFRAME_URL", emulator.url)
    monkeypatch.setenv("MMFRAME_APIKEY", emulator.master_apikey)
    return emulator


def _error_line(capsys, argv) -> str:
    """The one error line, after what the command was doing ("reading ... to ...")."""
    status = cli.main(argv)
    err = capsys.readouterr().err
    assert status == 1 and err.count("error: ") == 1, err
    line = err.splitlines()[-1]
    assert line.startswith("error: ") and err.endswith(line + "\n"), err
    return line


@pytest.fixture
def over_budget(monkeypatch):
    """The report's reads plan more requests than one read may send (as four accounts
    from 1970 do: 682 months x 5 accounts x 4 reports), without sending them."""
    from mmframe.listing import check_requests

    def gather(*args, **kwargs):
        check_requests(13_640, 10_000, "read_rates: accounts x groups x periods x reports")

    monkeypatch.setattr("mmframe.reporting.gather", gather)


def test_report_over_the_budget_names_a_later_start(capsys, env, over_budget, tmp_path):
    argv = ["report", "--start", "1970-01-01", "--end", "2026-11-02"]
    err = _error_line(capsys, [*argv, "--out", str(tmp_path / "r")])
    assert "13,640 requests" in err and "10,000" in err, err
    assert "max_requests" not in err and "--max-requests" not in err, err
    assert "a later --start" in err, err


def test_the_python_report_names_its_own_argument(session, over_budget, tmp_path):
    with pytest.raises(mm.RequestBudgetError) as refused:
        mm.report("1970-01-01", "2026-11-02", out=tmp_path / "r", session=session)
    assert "max_requests" not in str(refused.value) and "start=" in str(refused.value)
    assert (refused.value.planned, refused.value.max_requests) == (13_640, 10_000)


def test_export_over_the_budget_names_its_options(capsys, env, tmp_path):
    argv = ["export", "suppressions", "--start", "1970-01-01", "--end", "2026-11-02"]
    err = _error_line(capsys, [*argv, "--freq", "D", "--out", str(tmp_path / "x")])
    assert "20,761" in err and "max_requests" not in err, err
    assert "--max-requests" in err and "--freq" in err, err


def test_the_budget_error_is_a_value_error_with_its_numbers():
    from mmframe.dates import chunk_range, to_utc

    with pytest.raises(mm.RequestBudgetError) as refused:
        chunk_range(to_utc("2000-01-01", "s"), to_utc("2001-01-01", "e"), "D", max_requests=10)
    error = refused.value
    assert isinstance(error, ValueError) and "max_requests=10:" in str(error)
    again = pickle.loads(pickle.dumps(error))
    assert (again.planned, again.max_requests, again.what) == (368, 10, error.what)
