"""The fix a report prints, run as printed (issue 33, fourth review A7): it stopped at once
with NoSession (no ``mm.connect()``), its last line applied right after the dry run, and
its ``clear`` held addresses refused for the sender's sake that the page said to fix first
(put back before, they bounce again)."""

from __future__ import annotations

import ast
import html
import io
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

import mmframe as mm
from mmframe.reporting import build
from tests.report.generated import EPOCH, STORM_DAY, Storm, history
from tests.report.generated import storm_plan as _plan

pytestmark = [pytest.mark.slow, pytest.mark.clock]

UNAUTHENTICATED = (
    "550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and "
    "Gmail users, and has been blocked. The sender must authenticate with at least one of "
    "SPF or DKIM."
)
#: Refusals whose cause the sender must fix before the address is put back.
SENDER_CAUSED = {"authfailure", "blocked", "badreputation", "requireptr", "spamdetected",
                 "contenterror", "virusdetected", "policyviolation"}  # fmt: skip


def _printed_code(page: str) -> str:
    """The first code block of a spike finding, as the reader copies it off the page."""
    found = re.search(r"<pre><code>(.*?)</code></pre>", page, re.S)
    assert found, "no printed code on the page"
    return html.unescape(found.group(1))


def _storm_of_two_kinds():
    """A storm day of over-quota deferrals at gmail.com (they pass) and of refusals for
    failed authentication at hotmail.com (the sender's to fix first)."""
    plan = _plan()
    account = plan.accounts[0]
    quota = Storm(day=STORM_DAY, domain="gmail.com", size=60, text=1, dead=False,
                  complained_before=(), complained_after=0, dead_after=0)  # fmt: skip
    unsigned = replace(quota, domain="hotmail.com", size=70)
    plan = replace(plan, accounts=(replace(account, storms=(quota, unsigned)),))
    h = history(plan)
    bounces = h.frames["bounces"]
    day = EPOCH + pd.Timedelta(days=STORM_DAY)
    storm = (bounces["email"].str.endswith("@hotmail.com")) & (
        bounces["bounced_at"].dt.tz_convert("UTC").dt.floor("D") == day
    )
    bounces.loc[storm & (bounces["message"] != ""), "message"] = UNAUTHENTICATED
    return h


def test_the_printed_fix_runs_as_printed_writes_nothing_and_holds_back_sender_refusals(
    make_emulator, tmp_path
):
    emulator = make_emulator("empty")
    h = _storm_of_two_kinds()
    emulator.replay(**h.frames)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, path = build(session, tmp_path / "report", h.start, h.end, as_of=h.end,
                               progress=False, stream=io.StringIO())  # fmt: skip
    spike = next(f for f in evidence.findings if f.kind == "spike")
    assert spike.fix is not None
    causes = set(spike.fix["cause"].astype(str))
    assert causes & SENDER_CAUSED and causes - SENDER_CAUSED, causes  # both kinds put back
    code = _printed_code(path.read_text())

    # Running the block never applies: no call in it is given confirm=.
    calls = [n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Call)]
    assert not [c for c in calls if any(k.arg == "confirm" for k in c.keywords)], code
    assert "confirm=True" in code  # the apply step is there, to be run on purpose

    day = EPOCH + pd.Timedelta(days=STORM_DAY)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        before = mm.read_suppressions(day, day + pd.Timedelta(days=1), session=session)
    out = tmp_path / "run"
    out.mkdir()
    keep = "\nclear.to_pickle('clear.pkl'); later.to_pickle('later.pkl')\n"  # in cwd
    env = {
        **os.environ,
        "MMFRAME_URL": emulator.url,
        "MMFRAME_APIKEY": emulator.master_apikey,
        "PYTHONPATH": str(Path(mm.__file__).parents[1]),
    }  # this tree's mmframe
    done = subprocess.run(
        [sys.executable, "-c", code + keep], cwd=out, env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert not list(out.glob("*.jsonl"))  # no journal: nothing was applied
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        after = mm.read_suppressions(day, day + pd.Timedelta(days=1), session=session)
    assert sorted(after["email"]) == sorted(before["email"])  # the dry run wrote nothing

    clear, later = pd.read_pickle(out / "clear.pkl"), pd.read_pickle(out / "later.pkl")
    assert not set(clear["cause"].astype(str)) & SENDER_CAUSED
    assert set(later["cause"].astype(str)) <= SENDER_CAUSED and len(later)
    assert set(clear["email"]) | set(later["email"]) == set(spike.fix["email"])
    text = html.unescape(re.sub(r"<[^>]+>", " ", path.read_text()))
    assert f"when the report was written: {len(clear)} now, {len(later)} later" in text
    # The page's dry run covers both steps, and says which of its rows wait.
    assert f"Of them, {len(later)} wait for the code's later step" in text, text


def test_every_code_block_of_the_demo_report_runs_as_printed_and_applies_nothing(
    make_emulator, tmp_path
):
    # Fourth review A7, beyond the spike's fix: the complaint finding's look and the DKIM
    # fix had no mm.connect() either, and the DKIM fix applied right after its dry run.
    from mmframe import demo

    page = demo.run(tmp_path / "demo", progress=False, stream=io.StringIO()).read_text()
    blocks = [html.unescape(b) for b in re.findall(r"<pre><code>(.*?)</code></pre>", page, re.S)]
    assert len(blocks) >= 2, len(blocks)
    emulator = make_emulator("demo")
    env = {
        **os.environ,
        "MMFRAME_URL": emulator.url,
        "MMFRAME_APIKEY": emulator.master_apikey,
        "PYTHONPATH": str(Path(mm.__file__).parents[1]),
    }  # this tree's mmframe
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        before = mm.read_suppressions(None, None, session=session)
    for code in blocks:
        calls = [n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Call)]
        assert not [c for c in calls if any(k.arg == "confirm" for k in c.keywords)], code
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True,
            text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, (code, done.stderr[-1500:])
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        after = mm.read_suppressions(None, None, session=session)
    assert len(after) == len(before) and not list(tmp_path.glob("*.jsonl"))
