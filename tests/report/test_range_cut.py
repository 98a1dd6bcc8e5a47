"""An end asked for after the report's moment is cut there, and the report says so
(thirty-first review, 4: ``--end 2027-01-01`` read 64 days, not 90, without a word)."""

from __future__ import annotations

import io

import pandas as pd

import mmframe as mm
from mmframe.reporting import build

AS_OF = pd.Timestamp("2026-06-01 12:00", tz="UTC")


def _sends() -> pd.DataFrame:
    days = pd.date_range("2026-04-01", "2026-06-01", freq="D", tz="UTC", inclusive="left")
    return pd.DataFrame({"email": [f"u{i}@example.com" for i in range(len(days))],
                         "sender": "mail@sender.example",
                         "sent_at": days + pd.Timedelta(hours=9)})  # fmt: skip


def _built(make_emulator, tmp_path, end: str) -> tuple[mm.reporting.Evidence, str, str]:
    emulator = make_emulator("empty", clock=lambda: AS_OF.timestamp())
    emulator.replay(sent=_sends())
    said = io.StringIO()
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, path = build(
            session, tmp_path, "2026-05-01", end, as_of=AS_OF, progress=False, stream=said
        )
    return evidence, said.getvalue(), path.read_text()


def test_an_end_after_the_reports_moment_is_cut_there_and_said(make_emulator, tmp_path):
    evidence, terminal, page = _built(make_emulator, tmp_path, "2026-07-01")
    assert evidence.end == AS_OF
    words = "the end asked for, 2026-07-01, is after the moment the report is as of"
    assert words in terminal, terminal
    assert words in page


def test_an_end_before_the_moment_says_nothing_of_it(make_emulator, tmp_path):
    evidence, terminal, page = _built(make_emulator, tmp_path, "2026-05-20")
    assert evidence.end == pd.Timestamp("2026-05-20", tz="UTC")
    assert "end asked for" not in terminal and "end asked for" not in page
