"""Temporary refusals that ended in suppressions do not pass with time (issue 33, third
review, D6: a one-day range told the analyst that 157 deferrals, every one of them
suppressed that day, "pass with time", and nothing pointed at the fix)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.reporting import build
from tests.report.scenarios import UNKNOWN, _Builder

DAY, NEXT = "2026-06-17", "2026-06-18"
BUSY = (
    "451 4.7.500 Server busy. Please try again later from [198.51.100.23]. (S77719) "
    "[AM0EUR02FT014.eop-EUR02.prod.protection.outlook.com]"
)


def _history() -> dict[str, pd.DataFrame]:
    """One day of mail to outlook.com: 157 deferrals, each suppressed a second later, 6 dead
    mailboxes (suppressed too), 40 deferrals never suppressed, the rest delivered."""
    b = _Builder(seed=33)
    at = pd.Timestamp(DAY, tz="UTC") + pd.Timedelta(hours=9)
    for i in range(600):
        sent = b.send(b.address("outlook.com"), at + pd.Timedelta(seconds=i))
        if i < 157:
            b.bounce(sent, "soft", BUSY, suppress=True)
        elif i < 163:
            b.bounce(sent, "hard", UNKNOWN.format(email=sent["email"]), suppress=True)
        elif i < 203:
            b.bounce(sent, "soft", BUSY, suppress=False)
    return {kind: rows for kind, rows in b.frames().items() if len(rows)}  # no complaints


@pytest.fixture(scope="module")
def advice(tmp_path_factory: pytest.TempPathFactory) -> str:
    out: Path = tmp_path_factory.mktemp("one_day")
    with Emulator("empty", port=0) as emulator:
        emulator.replay(**_history())
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            made, _path = build(session, out, DAY, NEXT, as_of=NEXT, progress=False)
    found = [f for f in made.findings if f.kind == "bounces"]
    assert len(found) == 1, [f.title for f in made.findings]
    return found[0].advice


def test_suppressed_deferrals_are_not_said_to_pass_with_time(advice: str) -> None:
    assert "197 of the 203 were temporary" in advice, advice
    # 157 of them ended in suppressions: those stay until someone puts them back.
    assert "157 of them ended in suppressions" in advice, advice
    assert "the other 40 pass with time" in advice, advice


def test_a_range_too_short_for_spikes_says_which_range_judges_them(advice: str) -> None:
    # One day cannot tell whether the 157 were a spike; 9 days of data can, and the spike's
    # finding holds the fix (which of them to reactivate).
    assert "at least 9 days" in advice and "spike" in advice, advice
