"""A finding (one incident, its sentences, tables and fix), the lines it is judged
against, and the words every finding shares."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .numbers import count

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


def mix(values: pd.Series, limit: int = 4) -> str:
    """``"302 blocked, 40 userunknown and 5 of 2 other kinds"``: the largest groups of
    ``values`` (a single one left over is named: "1 other kinds" says less than its name)."""
    counts = values.astype(str).value_counts()
    limit = len(counts) if len(counts) == limit + 1 else limit
    shown = [f"{count(n)} {name}" for name, n in counts.head(limit).items()]
    rest = int(counts.iloc[limit:].sum())
    if rest:
        shown.append(f"{count(rest)} of {len(counts) - limit} other kinds")
    return and_(shown)


def and_(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
