"""``mmframe demo --apply`` twice into one folder (issue 33, ninth review, F16): the second
run was refused, its journal recording the first run's emulator, on another port. Each
demo runs a fresh emulator, so an earlier demo's journal is moved aside, not read."""

from __future__ import annotations

from mmframe.demo import fresh_journal


def test_an_earlier_demos_journal_is_moved_aside(tmp_path):
    journal = tmp_path / "fix-news@example.com-2026-06-09.jsonl"
    journal.write_text('{"endpoint": "http://127.0.0.1:44087/rest/json"}\n', encoding="utf-8")
    moved = fresh_journal(journal)
    assert moved == tmp_path / "fix-news@example.com-2026-06-09.previous.jsonl"
    assert not journal.exists() and moved.read_text(encoding="utf-8").startswith('{"endpoint"')
    assert fresh_journal(journal) is None  # none left: nothing to move
