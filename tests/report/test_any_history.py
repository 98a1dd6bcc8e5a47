"""The report's invariants on any history (issue 29): drawn by Hypothesis, replayed into a
real emulator, reported on, and held against what the history itself says.

For every history:

- the report builds: a page, never an exception;
- the numbers it prints are the history's own, recomputed here from the same frames;
- no fix includes an address that complained or unsubscribed in anything the report could
  read, or that any bounce before the range's end called dead, however long before; nor
  one that complained, opted out or was called dead on another account the key reads
  (the accounts of a history share addresses);
- no spike is flagged on a day the account's data does not cover;
- the text tells what the page shows: every spike the chart marks, every account the
  headline shows over a line (a finding, or a sentence on what could not be judged).
"""

from __future__ import annotations

import html
import io
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings

import mmframe as mm
from mmframe.charts import trend_spikes
from mmframe.emulator import Emulator
from mmframe.reporting import Evidence, build
from mmframe.reporting.numbers import count
from tests.report.generated import History, Plan, history, plans
from tests.report.printed import run_printed

pytestmark = [pytest.mark.slow, pytest.mark.invariants, pytest.mark.clock]


@pytest.fixture(scope="module")
def replica():
    with Emulator("empty", port=0) as emulator:
        yield emulator


def _report(replica: Emulator, h: History) -> tuple[Evidence, str]:
    replica.load("empty")
    replica.replay(**h.frames)
    with (
        tempfile.TemporaryDirectory() as out,
        mm.Session(replica.url, replica.master_apikey) as session,
    ):
        evidence, path = build(
            session, Path(out), h.start, h.end, as_of=h.end, progress=False,
            stream=io.StringIO(),
        )  # fmt: skip
        return evidence, path.read_text(encoding="utf-8")


def _read_until(h: History, kind: str, account: str, end: pd.Timestamp) -> pd.DataFrame:
    """The rows of ``kind`` the report could read: everything before its end."""
    rows = h.rows(kind, account)
    if rows.empty:
        return rows
    column = {"complaints": "complained_at", "bounces": "bounced_at"}.get(kind, "suppressed_at")
    return rows[rows[column] < end]


def _dead(bounces: pd.DataFrame) -> set[str]:
    """The addresses a hard bounce called dead, at any time."""
    if bounces.empty:
        return set()
    return set(bounces.loc[bounces["bounce_type"] == "hard", "email"].str.lower())


def _never_back(h: History, evidence: Evidence) -> None:
    """No fix holds an address that complained, unsubscribed or was ever called dead."""
    for finding in evidence.findings:
        if finding.fix is None:
            continue
        account = finding.account
        fixed = set(finding.fix["email"].str.lower())
        complained = _read_until(h, "complaints", account, evidence.end)
        assert not fixed & set(complained["email"].str.lower()), finding.title
        listed = _read_until(h, "suppressions", account, evidence.end)
        unwanted = listed[listed["reason"].isin(["unsubscribe", "complaint", "manual"])]
        assert not fixed & set(unwanted["email"].str.lower()), finding.title
        bounces = _read_until(h, "bounces", account, evidence.end)
        dead = _dead(bounces)
        assert not fixed & dead, finding.title  # called dead once, however long before: kept
        assert not fixed & _opted_out_anywhere(h, evidence.end), finding.title
        assert not fixed & _dead_anywhere(h, evidence.end), finding.title  # any account's
        day = finding.fix["suppressed_at"].dt.floor("D")
        assert (day == finding.day).all()  # the fix is the spike's day, nothing else
        assert set(finding.fix["verdict"].astype(str)) == {"reactivate"}


def _opted_out_anywhere(h: History, end: pd.Timestamp | None = None) -> set[str]:
    """The addresses that complained, or opted out (an unsubscribe, a suppression for a
    complaint, one added by hand), on any account of the history before ``end`` (None:
    at any time)."""
    listed = h.frames["suppressions"]
    none = pd.DataFrame({"email": pd.Series(dtype=str), "complained_at": pd.Series(dtype=object)})
    complained = h.frames.get("complaints", none)  # a history with no complaints has none
    opted = listed[listed["reason"].isin(["unsubscribe", "complaint", "manual"])]
    if end is not None:
        opted = opted[opted["suppressed_at"] < end]
        complained = complained[complained["complained_at"] < end] if len(complained) else none
    return set(opted["email"].str.lower()) | set(complained["email"].str.lower())


def _dead_anywhere(h: History, end: pd.Timestamp | None = None) -> set[str]:
    """The addresses any account's servers called dead before ``end`` (None: at any time):
    a dead mailbox is the mailbox's, whichever of the sender's accounts mailed it."""
    bounces = h.frames.get("bounces")
    if bounces is None or bounces.empty:
        return set()
    if end is not None:
        bounces = bounces[bounces["bounced_at"] < end]
    return _dead(bounces)


def _printed_fix_finds_the_same(replica: Emulator, h: History, evidence: Evidence) -> None:
    """The printed code of every fix, run as pasted (as a dry run), finds the fix's rows or
    fewer (it reads until now, which may hold more complaints and bounces), and never an
    address the history calls dead or complained."""
    for finding in evidence.findings:
        if finding.fix is None:
            continue
        bounces = h.rows("bounces", finding.account)
        dead = _dead(bounces)  # at any time: the report reads every bounce the account keeps
        complained = set(h.rows("complaints", finding.account)["email"].str.lower())
        # The printed fix, as a user pastes it: both its steps, now and later.
        run = run_printed(finding.code, replica.url, replica.master_apikey)
        assert isinstance(run["clear"], pd.DataFrame) and isinstance(run["later"], pd.DataFrame)
        found = set(pd.concat([run["clear"], run["later"]])["email"].str.lower())
        # Its first step never holds a refusal the sender must fix first (greylisting, read
        # from its words, passes): they wait, all of them, in the later step.
        assert not mm.waits_for_sender(run["clear"]).any(), finding.title
        assert mm.waits_for_sender(run["later"]).all(), finding.title
        assert found <= set(finding.fix["email"].str.lower()), finding.title
        assert not found & (dead | complained), finding.title
        assert not found & _opted_out_anywhere(h), finding.title  # it reads until now
        assert not found & _dead_anywhere(h), finding.title


def _covered(h: History, evidence: Evidence) -> None:
    """Every spike is a day of the account's data, inside the range."""
    for spike in evidence.spikes.itertuples():
        account, day = str(spike.group), pd.Timestamp(spike.start)
        times = [
            h.rows(kind, account)[column]
            for kind, column in (
                ("sent", "sent_at"),
                ("bounces", "bounced_at"),
                ("complaints", "complained_at"),
                ("suppressions", "suppressed_at"),
            )
            if len(h.rows(kind, account))
        ]
        every = pd.concat(times)
        assert every.min().floor("D") <= day <= every.max().floor("D"), (account, day)
        assert evidence.start.floor("D") <= day < evidence.end


def _numbers(h: History, evidence: Evidence, page: str) -> None:
    """The page's figures are the history's: suppressions per account and day, mail sent,
    each spike's rows and verdicts, in the summary as in the finding."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    start, end = evidence.start, min(evidence.end, evidence.as_of)
    total = 0
    for account in evidence.accounts:
        sup = h.rows("suppressions", account)
        if len(sup):
            sup = sup[(sup["suppressed_at"] >= start) & (sup["suppressed_at"] < end)]
            total += len(sup)
    assert int(evidence.counts["count"].fillna(0).sum()) == total
    sent = 0
    for account in evidence.accounts:
        rows = h.rows("sent", account)
        if len(rows):
            sent += int(((rows["sent_at"] >= start) & (rows["sent_at"] < end)).sum())
    assert evidence.sent == sent
    assert f"{count(total)} suppression" in text and f"{count(sent)} message" in text
    for finding in evidence.findings:
        assert html.unescape(finding.summary) in text or finding.summary in page
        if finding.kind != "spike":
            continue
        day = h.rows("suppressions", finding.account)
        at = day["suppressed_at"]
        # The day as the range holds it: a start or end inside it bounds it (a range that
        # starts at 10:15 UTC on the storm's day judges the rows from then on).
        day = day[(at.dt.floor("D") == finding.day) & (at >= start) & (at < end)]
        assert f": {count(len(day))} suppressions" in finding.summary
        reactivate = 0 if finding.fix is None else len(finding.fix)
        if reactivate:
            assert f"{count(reactivate)} to reactivate" in finding.summary
            planned = re.search(r"would change ([\d,]+)", finding.dry_run)
            assert planned and int(planned.group(1).replace(",", "")) <= reactivate
        else:
            assert "to reactivate" not in finding.summary


#: Histories drawn in all (``MMFRAME_HISTORIES``), half here and half in
#: ``test_any_history_more.py``: two modules run on two workers at once.
HISTORIES = int(os.environ.get("MMFRAME_HISTORIES", "30"))
SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


def check(replica: Emulator, plan: Plan) -> None:
    """Every invariant of the module docstring, on the history of ``plan``."""
    h = history(plan)
    evidence, page = _report(replica, h)
    fixes = [f for f in evidence.findings if f.fix is not None]
    event(f"spikes: {min(len(evidence.spikes), 2)}, fixes: {min(len(fixes), 2)}")
    event(f"findings: {sorted({f.kind for f in evidence.findings})}")
    _never_back(h, evidence)
    _printed_fix_finds_the_same(replica, h, evidence)
    _covered(h, evidence)
    _numbers(h, evidence, page)
    _page_agrees(evidence, page)


def _page_agrees(evidence: Evidence, page: str) -> None:
    """Every spike the chart marks, and every account the headline shows over a line, is a
    finding or named, on the page, under what could not be judged."""
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    assert all(line in text for line in evidence.unjudged)
    spikes = {(f.account, f.day) for f in evidence.findings if f.kind == "spike"}
    for mark in trend_spikes(evidence.counts, by="account", as_of=evidence.as_of).itertuples():
        if (str(mark.group), mark.start) not in spikes:
            said = f"{mark.group}, {mark.start:%Y-%m-%d}: "
            assert any(line.startswith(said) for line in evidence.unjudged), said
    for head in evidence.headlines:
        for figure in head.figures:
            if figure.state != "over":
                continue
            kind = "bounces" if figure.label == "bounce rate" else "complaints"
            told = [f for f in evidence.findings if f.account == head.account]
            if any(f.kind == kind or figure.label in f.told for f in told):
                continue
            said = f"{head.account}: {figure.label} {figure.value} over the range"
            assert any(line.startswith(said) for line in evidence.unjudged), said


@settings(max_examples=(HISTORIES + 1) // 2, **SETTINGS)
@given(plan=plans())
def test_any_history_gives_a_true_page_that_puts_back_nobody_it_must_not(replica, plan):
    check(replica, plan)
