"""A read of a server that lists fewer detail rows than it counts, said in one plain line.

The hosted service listed the detail rows of its reports (bounces, complaints, sends...)
for the last 30 days and counted them for 18 months (SPEC 1.9; the emulator's
``--report-retention``). A read reaching further back then comes back short, every time:
nothing is wrong with the read, the older rows are simply not listed any more. When every
short chunk is that, counted once more from its first listed row on (the count then equals
the rows listed, so whatever is missing is older), the error says so, and where to start a
read that gets everything the server lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from ..chunks import Outcome
from ..count_reads import count_chunks
from ..dates import wire

#: Days of detail rows the hosted service listed (its counts went back 18 months).
HOSTED_DETAIL_DAYS = 30


def explain(data: pd.DataFrame, outcomes: Sequence[Outcome]) -> str | None:
    """One line saying the server lists only its latest rows, or None when the read's
    failures are anything else (then the chunks are named as usual)."""
    short = [o for o in outcomes if o.status == "short"]
    if not short or any(o.status not in ("ok", "short") for o in outcomes):
        return None
    times = _times(data)
    if times is None:
        return None
    firsts = [_first(times, data, o) for o in short]
    probes = [
        replace(o.chunk, start=wire(first.tz_convert("UTC")))
        for o, first in zip(short, firsts, strict=True)
        if first
    ]
    # The count from the first listed row on equals what was listed: the rest is older.
    again = iter(count_chunks(probes))
    for outcome, first in zip(short, firsts, strict=True):
        if first is not None and next(again).expected != outcome.rows.num_rows:
            return None
    got = sum(o.rows.num_rows for o in short)
    counted = sum(o.expected or 0 for o in short)
    what = _what(short[0])
    known = [f for f in firsts if f is not None]
    listed = f"none listed where the count says {counted:,} {what}"
    hint = f"a start in the last {HOSTED_DETAIL_DAYS} days"
    if known:  # the day after the latest first row: a start every account lists whole
        since = max(known)
        listed = (
            f"{got:,} listed where the count says {counted:,} {what}; those not listed all "
            f"came before {_moment(since)}"
        )
        hint = f"start='{(since + pd.Timedelta(days=1)).floor('D'):%Y-%m-%d}' or later"
    said = (
        f"the server lists only its latest detail rows (the hosted service, the last "
        f"{HOSTED_DETAIL_DAYS} days): {listed}; "
    )
    if any(o.chunk.start is None for o in short):
        return said + _EVIDENCE
    return said + (
        f"to read what it lists, use {hint} (read_event_counts and read_rates count the "
        "older periods)"
    )


#: What a read from the first row is told: the read a fix's evidence must be (a report's
#: printed fix reads every bounce, complaint and opt-out so), which narrowing its start
#: would make blind to the older ones, so the fix would put their addresses back.
_EVIDENCE = (
    "this read asks for every row from the first (start=None), as the evidence of a fix "
    "must (remediation_candidates, a report's printed fix): do not narrow it, since a "
    "complaint or a dead mailbox among the rows not listed keeps its address out of any "
    "fix; re-run the report instead (mmframe report or mm.report: on such a server it "
    "judges on what is counted and puts back nobody it cannot clear). The rows listed "
    "are in this error's frame; read_event_counts and read_rates count the older periods"
)


def _times(data: pd.DataFrame) -> str | None:
    """The column of when each row happened (not when its message was sent, if it has one)."""
    stamps = [c for c in data.columns if str(c).endswith("_at")]
    own = [c for c in stamps if c != "sent_at"]
    return str((own or stamps)[0]) if stamps else None


def _first(times: str, data: pd.DataFrame, outcome: Outcome) -> pd.Timestamp | None:
    """The first row the chunk listed (in its account and range), or None."""
    chunk, at = outcome.chunk, data[times]
    mine = pd.Series(True, index=data.index)
    if chunk.account is not None and "account" in data.columns:
        mine &= data["account"].astype(str).str.lower() == chunk.account.lower()
    if chunk.start is not None:
        mine &= at >= pd.Timestamp(chunk.start)
    if chunk.end is not None:
        mine &= at < pd.Timestamp(chunk.end)
    found = at[mine].dropna()
    return pd.Timestamp(found.min()) if len(found) else None


def _what(outcome: Outcome) -> str:
    """What the chunk lists, in words: ``bounces``, ``complaints``... (the report's name)."""
    name = outcome.chunk.source.method.strip("/").split("/")
    return name[1] if len(name) > 1 and name[0] == "reports" else name[-1] or "rows"


def _moment(when: pd.Timestamp) -> str:
    when = when.tz_convert("UTC")
    return f"{when:%Y-%m-%d}" if when == when.floor("D") else f"{when:%Y-%m-%d %H:%M} UTC"
