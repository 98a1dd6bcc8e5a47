"""A finding (one incident, its sentences, tables and fix), the lines it is judged
against, and the words every finding shares."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

#: Bounces over messages sent at or above which a group's period is a breach. The
#: contract names no line; 2 % is where mailbox providers' and ESPs' guidance starts
#: warning (a list with more dead addresses than that is not being cleaned).
BOUNCE_RATE_LINE = 0.02
#: Fewer complaints (bounces) than this in a period are noise, whatever their rate.
MIN_COMPLAINTS, MIN_BOUNCES = 5, 20


@dataclass
class Finding:
    """One incident: a title, its size, sentences, tables, and what to do about it."""

    kind: str  # "spike" | "complaints" | "bounces"
    title: str
    account: str
    weight: int  # rows affected: how findings are ranked
    summary: str  # one line for the summary at the top
    said: list[str] = field(default_factory=list)  # the computed sentences
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    advice: str = ""  # what to do, in words
    code: str = ""  # the exact code of the fix or the look (dry run first)
    dry_run: str = ""  # the dry run's result, in words, when there is a fix
    fix: pd.DataFrame | None = None  # the rows the fix would activate
    day: pd.Timestamp | None = None  # a spike's day
    verdicts: dict[str, int] = field(default_factory=dict)  # a spike's rows per verdict
    applied: str = ""  # what this run did with the fix, when it applied it
    #: The rates told within it ("bounce rate": a spike holding a breach of the line).
    told: set[str] = field(default_factory=set)
    journal: str = ""  # the journal file the fix's code names (the demo's run writes it)
    after: str = ""  # the summary's sentence after its verdicts (a spike's bounce rate)


def and_(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
