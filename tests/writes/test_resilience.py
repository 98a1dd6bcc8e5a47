"""Writes that survive faults and crashes: retries, journals, resumes after SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import mmframe as mm
from tests.waiting import ManualClock, wait_for

#: Rows suppressed here by hand (POST suppressions: reason "manual") go back only by
#: the deliberate choice activate asks for (adv12, W1).
BY_HAND = ("reactivate", "keep")

pytestmark = pytest.mark.clock  # reads today's date or the clock


def _fill(session, count, prefix="r"):
    addresses = [f"{prefix}{i:05d}@example.com" for i in range(count)]
    for start in range(0, count, 1000):
        session.post("suppressions", emailaddress=addresses[start : start + 1000])
    return addresses


@pytest.mark.slow
def test_ten_thousand_rows_under_mixed_faults_all_land(make_emulator):
    emulator = make_emulator("empty", stall_seconds=1, seed_value=4)
    with mm.Session(emulator.url, emulator.master_apikey, timeout=(2, 0.5), retries=10) as s:
        keep = _fill(s, 500, prefix="keep")
        _fill(s, 10_000)
        frame = mm.read_suppressions(session=s)
        chosen = frame[frame["email"].str.startswith("r")]
        emulator.configure(fault_rate=0.15, fault_mode="mixed")
        result = chosen.mm.activate(verdicts=BY_HAND, session=s, confirm=True, batch_size=100)
        emulator.configure(fault_rate=0)
        after = mm.read_suppressions(session=s)
    assert result["status"].eq("ok").all() and len(result) == 10_000
    assert sorted(after["email"]) == keep
    assert emulator.stats()["totals"]["faults"] >= 5  # ~15 expected over 100 batches


def test_journal_skips_rows_done_in_an_earlier_run(tmp_path, emulator, session):
    _fill(session, 30)
    frame = mm.read_suppressions(session=session)
    journal = tmp_path / "run.jsonl"
    first = frame.head(10).mm.activate(
        verdicts=BY_HAND, session=session, journal=journal, batch_size=4
    )
    assert first["status"].eq("ok").all()
    header, *entries = [json.loads(line) for line in journal.read_text().splitlines()]
    assert header["operation"] == "unsuppress"
    assert len(entries) == 3 and sum(len(e["ok"]) for e in entries) == 10
    emulator.reset_stats()
    second = frame.mm.activate(verdicts=BY_HAND, session=session, journal=journal, batch_size=4)
    assert second["status"].value_counts().to_dict() == {"ok": 20, "skipped": 10}
    assert emulator.stats()["methods"]["POST suppressions/activate"]["addresses"] == 20
    with pytest.raises(ValueError, match="one journal per operation"):
        frame.mm.suppress(session=session, journal=journal)  # another operation's journal


SCRIPT = """
import sys, mmframe as mm

#: Rows suppressed here by hand (POST suppressions: reason "manual") go back only by
#: the deliberate choice activate asks for (adv12, W1).
BY_HAND = ("reactivate", "keep")
url, key, journal = sys.argv[1:4]
with mm.Session(url, key, max_workers=4) as s:
    frame = mm.read_suppressions(session=s, progress=False)
    frame.mm.activate(verdicts=BY_HAND, session=s, journal=journal, batch_size=100,
                      confirm=True, progress=False)
"""


@pytest.mark.slow
def test_resume_after_sigkill(tmp_path, make_emulator):
    # The writer runs in its own process with the machine's clock: rows are stamped in the
    # past by the test's clock, so both processes read the same range whatever the date.
    past = pd.Timestamp("2026-03-01", tz="UTC").timestamp()
    emulator = make_emulator("empty", latency_ms=40, clock=ManualClock(past))
    with mm.Session(emulator.url, emulator.master_apikey) as s:
        _fill(s, 6_000)
    journal = tmp_path / "run.jsonl"
    script = tmp_path / "write.py"
    script.write_text(textwrap.dedent(SCRIPT))
    args = [sys.executable, str(script), emulator.url, emulator.master_apikey, str(journal)]
    with subprocess.Popen(args) as writer:
        wait_for(
            lambda: journal.exists() and len(journal.read_text().splitlines()) >= 15, timeout=60
        )
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    lines = journal.read_text().splitlines()
    done_before = sum(len(json.loads(line).get("ok", [])) for line in lines if line.endswith("}"))
    sent_before = emulator.stats()["methods"]["POST suppressions/activate"]["addresses"]
    assert 0 < done_before < 6_000
    with mm.Session(emulator.url, emulator.master_apikey) as s:
        remaining = mm.read_suppressions(session=s)
        assert 0 < len(remaining) < 6_000
        everything = pd.DataFrame({"email": [f"r{i:05d}@example.com" for i in range(6_000)]})
        result = everything.mm.activate(
            verdicts=BY_HAND,
            kind="suppressions",
            session=s,
            journal=journal,
            batch_size=100,
            confirm=True,
        )
        assert s.get("suppressions/count")["count"] == 0
    assert (result["status"] == "skipped").sum() == done_before
    sent_total = emulator.stats()["methods"]["POST suppressions/activate"]["addresses"]
    resent = sent_total - 6_000
    assert sent_before >= done_before
    assert resent <= 4 * 100  # at most one batch per worker went out twice
