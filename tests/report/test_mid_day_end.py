"""A range that ends inside a spike's day (its end, or ``as_of``) judges the day up to it,
as a range starting inside the day judges it from its start (adversarial review adv33g,
defect 3): with ``--end 2026-06-09T10:10`` the finding judged, dry-ran and printed code
for the whole day's 60 suppressions while "Checked" counted the 20 in the range. No row
outside ``[start, end)`` is judged, planned or read by the printed code."""

from __future__ import annotations

import io
import os
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.reporting import build
from mmframe.reporting.numbers import count
from tests.report.one_account import account_frames, serving
from tests.report.printed import run_printed

pytestmark = [pytest.mark.slow, pytest.mark.invariants]

ACCOUNT = "news@example.com"
DAY = pd.Timestamp("2026-06-09", tz="UTC")
FIRST, LAST = DAY - pd.Timedelta(days=40), DAY + pd.Timedelta(days=16)
#: The storm: one suppression every 5 minutes all day from 00:02:30, each a second after its
#: bounce (a Yahoo deferral that passes; every seventh a dead mailbox, kept), so any second
#: of the day cuts it.
STORM, EVERY = 288, pd.Timedelta(minutes=5)
PASS = (
    "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected "
    "volume or user complaints"
)
DEAD = "550 5.1.1 <{email}>: Recipient address rejected: User unknown in virtual mailbox table"


def _history() -> dict[str, pd.DataFrame]:
    """100 newsletters a day at 08:00 (one a day to a dead address, suppressed) and the
    storm on ``DAY``."""
    rows: dict[str, list[dict[str, object]]] = {"sent": [], "bounces": [], "suppressions": []}

    def one(email: str, at: pd.Timestamp, text: str | None, hard: bool = False) -> None:
        sent = {"email": email, "sender": "m@example.com", "sent_at": at - pd.Timedelta(minutes=1)}
        rows["sent"].append(sent)
        if text is None:
            return
        kind = "hard" if hard else "soft"
        bounced = at - pd.Timedelta(seconds=1)
        rows["bounces"].append({**sent, "bounced_at": bounced, "bounce_type": kind,
                                "bounce_rule": f"{kind}bounce", "message": text})  # fmt: skip
        rows["suppressions"].append({"email": email, "suppressed_at": at, "reason": "bounce"})

    for d, day in enumerate(pd.date_range(FIRST, LAST, freq="D", inclusive="left")):
        for i in range(100):
            email = f"bg{d}.{i}@gmail.com"
            dead = i == 7
            one(email, day + pd.Timedelta(hours=8, seconds=i), DEAD.format(email=email) if dead
                else None, hard=True)  # fmt: skip
    for i in range(STORM):
        email = f"p{i}@yahoo.com"
        dead = i % 7 == 3
        text = DEAD.format(email=email) if dead else PASS
        one(email, DAY + pd.Timedelta(seconds=150) + i * EVERY, text, hard=dead)
    return account_frames(rows, ACCOUNT)


@pytest.fixture(scope="module")
def served():
    with serving(_history()) as both:
        yield both


def _checked(served, tmp_path, start: pd.Timestamp, end: pd.Timestamp, as_of: pd.Timestamp):
    """Build the report over ``[start, end)`` as of ``as_of`` and check that nothing of the
    storm's day outside the range (``[start, min(end, as_of))``) is judged, dry-run or read
    by the printed fix; returns the spike finding (None: none found)."""
    emulator, frames = served
    stop = min(end, as_of)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, _path = build(
            session, tmp_path, start.isoformat(), end.isoformat(), as_of=as_of.isoformat(),
            accounts=[ACCOUNT], progress=False, stream=io.StringIO(),
        )  # fmt: skip
    sup = frames["suppressions"]
    at = sup["suppressed_at"]
    inside = sup[(at >= max(start, DAY)) & (at < min(stop, DAY + pd.Timedelta(days=1)))]
    spikes = [f for f in evidence.findings if f.kind == "spike" and f.day == DAY]
    if len(inside) >= 30:  # far over the usual day (one): a spike however the range cuts it
        assert spikes, [f.title for f in evidence.findings]
    if not spikes:
        return None
    (spike,) = spikes
    allowed = set(inside["email"])
    assert sum(spike.verdicts.values()) == len(inside), (spike.verdicts, len(inside))
    assert f": {count(len(inside))} suppressions" in spike.summary, spike.summary
    if spike.fix is None:
        return spike
    assert set(spike.fix["email"]) <= allowed
    assert f"Dry run: activating the {count(len(spike.fix))} rows" in (spike.dry_run or "")
    # The printed fix reads no row outside the range, by its literals and by what it reads.
    ((frm, to),) = re.findall(r"rows = mm\.read_suppressions\('([^']+)', '([^']+)'", spike.code)
    assert _stamp(frm) >= start and _stamp(to) <= stop, (frm, to, start, stop)
    run = run_printed(spike.code, emulator.url, emulator.master_apikey)
    read = run["rows"]
    assert set(read["email"]) <= allowed, sorted(set(read["email"]) - allowed)[:5]
    printed = pd.concat([run["clear"], run["later"]])
    assert set(printed["email"]) == set(spike.fix["email"])
    return spike


def _stamp(text: str) -> pd.Timestamp:
    """A moment as the printed code writes it (a day alone is midnight UTC)."""
    stamp = pd.Timestamp(text)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp


def test_a_range_ending_at_10_10_judges_and_fixes_only_the_day_up_to_10_10(served, tmp_path):
    # The review's case: "Checked ... 20 suppressions" beside a spike of the whole day's 60,
    # its dry run activating all 60 and its code reading '2026-06-09' to '2026-06-10'.
    end = DAY + pd.Timedelta(hours=10, minutes=10)
    spike = _checked(served, tmp_path, DAY - pd.Timedelta(days=25), end, LAST)
    assert spike is not None and spike.fix is not None
    assert repr(end.isoformat()) in spike.code
    assert "until 10:10 UTC" in " ".join(spike.said)


@settings(
    max_examples=max(3, int(os.environ.get("MMFRAME_HISTORIES", "30")) // 3),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    cut=st.sampled_from(("end", "as_of", "start")),
    second=st.integers(1, 24 * 3600 - 1),
    later=st.integers(1, 5),
)
def test_no_row_outside_the_range_is_judged_planned_or_read(served, tmp_path, cut, second, later):
    # Any second of the day, as the range's end, as its as_of (the end beyond), or as its
    # start (the end days later: a usual day is measured over 9 days or more).
    at = DAY + pd.Timedelta(seconds=second)
    after = DAY + pd.Timedelta(days=later)
    before = DAY - pd.Timedelta(days=25)
    start, end, as_of = {
        "end": (before, at, LAST),
        "as_of": (before, after, at),
        "start": (at, after + pd.Timedelta(days=10), LAST),
    }[cut]
    _checked(served, tmp_path, start, end, as_of)
