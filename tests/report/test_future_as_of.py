"""A report as of a moment still to come is refused (issue 33, fifth review, D6): the page
said "data as of 2027-01-01" on 2026-12-05, the running month not marked partial."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm

NOW = pd.Timestamp("2026-12-05T07:05:09Z")


@pytest.fixture
def clock(monkeypatch):
    """The clock every read compares with, at ``NOW`` (as the command line's checks read it)."""
    monkeypatch.setattr("mmframe.dates._clock", lambda: NOW)


@pytest.mark.parametrize("as_of", ["2027-01-01", "2026-12-05T07:05:10Z", "2026-12-05T09:00+01:00"])
def test_a_report_as_of_a_moment_after_now_raises_before_any_read(clock, emulator, tmp_path, as_of):
    out = tmp_path / "r"
    emulator.reset_stats()
    session = mm.Session(emulator.url, emulator.master_apikey)
    with session, pytest.raises(ValueError) as raised:
        mm.report(as_of=as_of, out=out, session=session, progress=False)
    said = str(raised.value)
    assert said.startswith(f"as_of={as_of!r} is after now (2026-12-05 07:05 UTC)"), said
    assert "as_of=None" in said, said
    assert emulator.stats()["totals"]["requests"] == 0
    assert not out.exists()


def test_a_report_as_of_now_is_made(clock, emulator, tmp_path):
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        path = mm.report(as_of=NOW, out=tmp_path / "r", session=session, progress=False)
    assert "data as of 2026-12-05 07:05" in path.read_text()
