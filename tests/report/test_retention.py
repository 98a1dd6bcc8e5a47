"""Issue 33 (fourth review): the report and the loaders on a server that lists detail rows
only for its last 30 days and counts 18 months (the hosted service, SPEC 1.9; the
emulator's ``report_retention``)."""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace

import pandas as pd
import pytest

import mmframe as mm
from mmframe.errors import PartialLoadError
from mmframe.reporting import build
from mmframe.reporting.numbers import count
from tests.report.generated import EPOCH, NEWS, STORM_DAY, AccountPlan, Storm, history
from tests.report.generated import storm_plan as _plan

pytestmark = [pytest.mark.slow, pytest.mark.invariants, pytest.mark.clock]

QUIET = "quiet1@example.org"


def _two_accounts(start: int, end: int):
    """The storm plan's account, and a second one with a storm of its own and no complaint
    or dead address before it (its older evidence is all listed: an ``ok`` chunk)."""
    plan = _plan(start=start, end=end)
    news = plan.accounts[0]
    storm = Storm(
        day=STORM_DAY - 1, domain="gmail.com", size=60, text=0, dead=False,
        complained_before=(), complained_after=0, dead_after=0,
    )  # fmt: skip
    quiet = AccountPlan(
        name=QUIET, headers=(), values=("spring",), first=0, days=70, volume=20,
        quiet=(0, 0), dead=0.0, soft=0.0, complaints=0.0, unsubscribes=0, zone="UTC",
        storms=(storm,),
    )  # fmt: skip
    return replace(plan, accounts=(news, quiet))


def _served(make_emulator, plan):
    now = EPOCH + pd.Timedelta(days=plan.end)
    emulator = make_emulator("empty", clock=lambda: now.timestamp(), report_retention=True)
    h = history(plan)
    emulator.replay(**h.frames)
    return emulator, h


def _text(path) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", path.read_text())).split())


@pytest.mark.parametrize("start", [pytest.param(0, id="71-days"), pytest.param(50, id="21-days")])
def test_a_report_reaching_past_what_the_server_lists_works_for_every_account(
    make_emulator, tmp_path, start
):
    # A2/B1: "error: 1 of 3 chunks incomplete: ...: short: 288 rows read but the count says
    # 292" for any range reaching back more than 30 days (the default 90 days included), and
    # for two accounts even inside 30 days (one account's older evidence all listed).
    plan = _two_accounts(start, STORM_DAY + 11)
    emulator, h = _served(make_emulator, plan)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, path = build(
            session, tmp_path, h.start, h.end, as_of=h.end, progress=False,
            stream=io.StringIO(),
        )  # fmt: skip
    horizon = EPOCH + pd.Timedelta(days=plan.end - 30)
    for name in (NEWS, QUIET):  # the rates come from the counts, not from what is listed
        mine = evidence.rates[(evidence.rates["by"] == "account")]
        mine = mine[mine["account"].astype(str) == name]
        bounced = h.rows("bounces", name)
        bounced = bounced[(bounced["bounced_at"] >= evidence.start) & (bounced["bounced_at"] < evidence.end)]
        total = int(mine["hard_bounces"].sum() + mine["soft_bounces"].sum())
        assert total == len(bounced), (name, total, len(bounced))
    # Nobody is put back on evidence the server no longer lists.
    for finding in evidence.findings:
        if finding.kind == "spike" and finding.account == NEWS:
            assert finding.fix is None or not (finding.fix["verdict"] == "reactivate").any()
    text = _text(path)
    if start < plan.end - 30:  # the page says which periods are counted but not listed
        assert "counted but not listed" in text, text[:3000]
        assert f"{horizon:%Y-%m-%d}" in text
    else:
        assert "counted but not listed" not in text


def test_the_retention_sentence_says_how_many_are_listed_of_how_many_counted(
    make_emulator, tmp_path
):
    # A3/B12: "Bounces were looked for as far back as the account keeps them, the first on
    # 2026-11-05" then "The server lists 1 of the 162 earlier bounces it counts" (truth: it
    # lists 295 of 456; the 161 before 2026-11-05 are gone).
    plan = _plan(start=50, end=STORM_DAY + 11)
    emulator, h = _served(make_emulator, plan)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, _path = build(
            session, tmp_path, h.start, h.end, as_of=h.end, progress=False,
            stream=io.StringIO(),
        )  # fmt: skip
    spike = next(f for f in evidence.findings if f.kind == "spike" and f.account == NEWS)
    said = " ".join(spike.said)
    horizon = EPOCH + pd.Timedelta(days=plan.end - 30)
    now = EPOCH + pd.Timedelta(days=plan.end)
    for kind, column in (("bounces", "bounced_at"), ("complaints", "complained_at")):
        rows = h.rows(kind, NEWS)
        rows = rows[rows[column] < now]
        listed = int((rows[column] >= horizon).sum())
        gone = len(rows) - listed
        assert gone > 0
        sentence = (
            f"The server lists {count(listed)} of the {count(len(rows))} {kind} it counts; "
            f"the {count(gone)} before {horizon:%Y-%m-%d} are gone"
        )
        assert sentence in said, said
    assert "as far back as the account keeps them" not in said, said
    assert "the first the account keeps" not in said, said


def test_reading_everything_on_such_a_server_says_why_in_one_plain_line(make_emulator):
    # A2/B1: read_bounces(None, None) raised "1 of 1 chunks incomplete: ... (from the first
    # row, until now): short: 340 rows read but the count says 403".
    plan = _plan(start=50, end=STORM_DAY + 11)
    emulator, h = _served(make_emulator, plan)
    horizon = EPOCH + pd.Timedelta(days=plan.end - 30)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        with pytest.raises(PartialLoadError) as raised:
            mm.read_bounces(None, None, accounts=[NEWS], session=session, progress=False)
        message = str(raised.value)
        assert "\n" not in message
        assert "lists only its latest detail rows" in message and "30 days" in message, message
        assert "chunk" not in message and "from the first row" not in message, message
        start = re.search(r"start='([0-9-]+)'", message).group(1)
        assert pd.Timestamp(start, tz="UTC") >= horizon, message
        # What it lists is in the error's frame; a start inside the window reads it whole.
        within = mm.read_bounces(start, None, accounts=[NEWS], session=session, progress=False)
        got = raised.value.frame
        assert len(within) == int((got["bounced_at"] >= pd.Timestamp(start, tz="UTC")).sum())
        assert f"{len(got)} of the {len(h.rows('bounces', NEWS))} bounces it counts" in message
