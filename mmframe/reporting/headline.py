"""The headline figures: each account's sent, delivered, bounce rate and complaint rate over
the range, each rate against its line, and each figure against the previous range of equal
length (read here: four counts per account and period), or "no previous data" where that
range holds none. Where that range holds counts only from part-way in (an account whose
history began inside it), or too few to compare with, no change is given, and the cell
says why. A rate on fewer events than a period is judged on is "too few to judge", here
and in the previous range, as the summary says, not an alarm (eleventh review, A5).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analysis.rates import SPAM_RATE_LIMIT, SPAM_RATE_TARGET
from ..loaders.rates import rates_of
from .finding import BOUNCE_RATE_LINE, MIN_BOUNCES, MIN_COMPLAINTS, Finding
from .numbers import count, duration, plural, rate_beside, span
from .scope import Scope

#: What each figure counts, as the rates frame names it.
COUNTED = ["sent", "delivered", "hard_bounces", "soft_bounces", "complaints"]
#: A previous count under this is no base for a % change ("previous: 15 (+25233%)"): each
#: message of it moves the change by a percent or more.
MIN_BASE = 100


@dataclass(frozen=True)
class Figure:
    """One headline figure: its value, where it stands, and the previous range's."""

    label: str
    value: str
    standing: str  # against its line, in words ("" for a count)
    state: str  # "ok" | "watch" | "over" | "few" | "none": the cell's colour, said in words too
    before: str  # the previous range's figure and the change, in words
    over_by: float = 0.0  # a rate divided by its line (its limit): what ranks the accounts


@dataclass(frozen=True)
class Headline:
    """One account's headline figures."""

    account: str
    figures: list[Figure]
    #: Where the previous range holds counts only from part-way in, from when ("" if not).
    begun: str = ""
    #: Where this range's counts stop before its end, until when ("" if not).
    ended: str = ""


def previous_range(start: pd.Timestamp, end: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The range of equal length that ends where ``[start, end)`` begins."""
    return start - (end - start), start


def read_previous(
    scope: Scope, start: pd.Timestamp, end: pd.Timestamp, freq: str, as_of: pd.Timestamp
) -> pd.DataFrame:
    """Each account's counts over the previous range of equal length (one row an account),
    and ``counted_from`` and ``counted_to``: its first period there with anything counted,
    where that is after the range's first period (NaT otherwise)."""
    first, stop = previous_range(start, end)
    counted = scope.framed(
        rates_of(
            first, stop, freq=freq, by="account", values=None, top=1,
            kinds=("sent", "delivered", "bounces", "complaints"),
            options={**scope.options(), "as_of": as_of}, rated=False,
        )
    )  # fmt: skip
    summed = totals(counted)
    for column in ("counted_from", "counted_to"):
        summed[column] = pd.Series(pd.NaT, index=summed.index, dtype="datetime64[ns, UTC]")
    if len(counted):
        busy = counted[counted[COUNTED].fillna(0).sum(axis=1) > 0].sort_values("start")
        opened = busy.groupby(busy["account"].astype(str))[["start", "end"]].first()
        late = opened[opened["start"] > counted["start"].min()]
        where = late.index.intersection(summed.index)
        summed.loc[where, "counted_from"] = late.loc[where, "start"]
        summed.loc[where, "counted_to"] = late.loc[where, "end"]
    return summed


def totals(rates: pd.DataFrame) -> pd.DataFrame:
    """Each account's :data:`COUNTED` summed over the periods of ``rates`` (ints)."""
    if not len(rates):
        return pd.DataFrame(columns=COUNTED, dtype="int64")
    mine = rates[rates["by"] == "account"] if "by" in rates.columns else rates
    summed = mine.groupby(mine["account"].astype(str))[COUNTED].sum(min_count=1)
    return summed.fillna(0).astype("int64")


def headlines(
    now: pd.DataFrame, before: pd.DataFrame, accounts: list[str], start: pd.Timestamp,
    end: pd.Timestamp, rates: pd.DataFrame | None = None,
) -> list[Headline]:  # fmt: skip
    """Each account's figures (``now`` and ``before`` as :func:`totals` gives them; the
    range's ``rates`` per period, where given, tell where its counts stop)."""
    out = []
    for account in accounts:
        this = _row(now, account)
        last = _row(before, account)
        had = last is not None and any(int(last[c]) for c in COUNTED)
        prior = last if had else None
        begun = _begun(before, account) if prior is not None else ""
        ended = _ended(rates, account, end) if rates is not None else ""
        figures = _figures(this, prior, partial=bool(begun), stopped=bool(ended))
        out.append(Headline(account, figures, begun, ended))
    return out


def _ended(rates: pd.DataFrame, account: str, end: pd.Timestamp) -> str:
    """Where the range's counts of ``account`` stop a period or more before its end, in
    which period they last fall (a change against a whole previous range would read the
    data's end as a drop: thirty-first review, 4); "" otherwise, or with no mail at all."""
    if not len(rates):
        return ""
    mine = rates[rates["account"].astype(str) == account]
    if "by" in mine.columns:
        mine = mine[mine["by"] == "account"]
    busy = mine[mine[COUNTED].fillna(0).sum(axis=1) > 0]
    if not len(busy):
        return ""
    last = busy.sort_values("start").iloc[-1]
    # Stopped only where a later period of the range holds nothing: the last period's end
    # is the range's to the second, not to its fraction (thirty-second review, W2).
    if not (mine["start"] >= last["end"]).any():
        return ""
    return f"this range: its last counts fall {span(last['start'], last['end'])}; none after"


def previous_said(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """The previous range, named once above the figures (each cell says only "previous")."""
    first, stop = previous_range(start, end)
    return (
        f"Under each figure, the previous range of equal length: {duration(first, stop)}, "
        f"{span(first, stop).replace(' UTC', '')} (UTC)."
    )


def _begun(before: pd.DataFrame, account: str) -> str:
    """Where the previous range holds counts only from part-way in, from when (a change
    against it compares with less than a whole range); "" otherwise."""
    began = before["counted_from"].get(account) if "counted_from" in before.columns else None
    if began is None or pd.isna(began):
        return ""
    # The period the first counts fall in, not its start alone: "nothing counted before
    # 2026-09-28" was the Monday of a week whose first mail was on Thursday.
    return f"previous range: its first counts fall {span(began, before['counted_to'][account])}"


def _row(frame: pd.DataFrame, account: str) -> pd.Series | None:
    if account not in frame.index:
        return None
    return pd.Series(frame.loc[account, COUNTED], index=COUNTED)


def _figures(
    this: pd.Series | None, last: pd.Series | None, *, partial: bool, stopped: bool = False
) -> list[Figure]:
    zero = pd.Series(0, index=COUNTED)
    now = zero if this is None else this
    return [
        _count("sent", now, last, partial, stopped),
        _count("delivered", now, last, partial, stopped),
        _rate("bounce rate", now, last),
        _rate("complaint rate", now, last),
    ]


def _count(
    name: str, now: pd.Series, last: pd.Series | None, partial: bool, stopped: bool = False
) -> Figure:
    """A count and the previous range's, with the change where that range is a base for
    one: counted throughout (``partial``: only from part-way in), of :data:`MIN_BASE` or
    more, and this range's counts not stopping part-way (``stopped``)."""
    value = int(now[name])
    if last is None:
        return Figure(name, count(value), "", "none", "no previous data")
    old = int(last[name])
    if not old:
        change = ""
    elif partial:
        change = " (from part-way in: no % change)"
    elif stopped:
        change = " (this range's mail stops part-way: no % change)"
    elif old < MIN_BASE:
        change = " (too few for a % change)"
    else:
        change = f" ({_change(value, old)})"
    return Figure(name, count(value), "", "none", f"previous: {count(old)}{change}")


def _change(value: int, old: int) -> str:
    """``+10%``, ``-0.1%`` under one percent, ``up under 0.1%`` (never a signed zero), or
    ``the same``."""
    if value == old:
        return "the same"
    ratio = value / old - 1
    if abs(ratio) < 0.0005:
        return f"{'up' if ratio > 0 else 'down'} under 0.1%"
    return f"{ratio:+.1%}" if abs(ratio) < 0.01 else f"{ratio:+.0%}"


def events_of(name: str, row: pd.Series) -> tuple[int, int]:
    """A rate's events and the least a period is judged on (bounces, complaints)."""
    if name == "bounce rate":
        return int(row["hard_bounces"] + row["soft_bounces"]), MIN_BOUNCES
    return int(row["complaints"]), MIN_COMPLAINTS


def rate_of(name: str, row: pd.Series) -> float | None:
    """A rate over a range, as :func:`mmframe.analysis.rates.add_rates` computes it: None
    where there is no mail, or more events than mail (some are about mail before it)."""
    if name == "bounce rate":
        top, bottom = int(row["hard_bounces"] + row["soft_bounces"]), int(row["sent"])
    else:
        top, bottom = int(row["complaints"]), int(row["delivered"])
    return top / bottom if bottom and top <= bottom else None


def _rate(name: str, now: pd.Series, last: pd.Series | None) -> Figure:
    rate = rate_of(name, now)
    standing, state = _standing(name, rate) if rate is not None else (_why_none(name, now), "none")
    events, least = events_of(name, now)
    if state in ("over", "watch") and events < least:  # as the summary: no finding of it
        kind = name.split()[0]
        state = "few"
        standing = (
            f"too few to judge: {plural(events, kind)}, fewer than the {count(least)} a "
            "period is judged on"
        )
    if last is None:
        before = "no previous data"
    else:
        before = "previous: " + _before(name, rate_of(name, last), events_of(name, last))
    shown = "-" if rate is None else rate_shown(name, rate)
    line = BOUNCE_RATE_LINE if name == "bounce rate" else SPAM_RATE_LIMIT
    # Too few: no rank among the alarms (tiny@'s 1 bounce of 1 came first).
    ranked = 0.0 if rate is None or state == "few" else rate / line
    return Figure(name, shown, standing, state, before, ranked)


def _before(name: str, old: float | None, events: tuple[int, int]) -> str:
    """The previous range's rate, marked over its line (limit, aim) as the current cell
    is (tenth review, F13: "previous: 0.32%" beside "over the 0.3% limit"), or too few
    to judge on fewer events than a period is judged on (``events``: its events and
    that least), as the current cell."""
    if old is None:
        return "not computable"
    standing, state = _standing(name, old)
    if state in ("over", "watch") and events[0] < events[1]:
        return f"{rate_shown(name, old)}, too few to judge ({plural(events[0], name.split()[0])})"
    if state == "over":
        return f"{rate_shown(name, old)}, {standing}"
    aim = f", over the {SPAM_RATE_TARGET:.1%} aim" if state == "watch" else ""
    return rate_shown(name, old) + aim


def rate_shown(name: str, rate: float) -> str:
    """A headline rate, to as many decimals as tell it from the lines it is judged
    against (ninth review, F10: "2.00% under the 2% line")."""
    lines = (BOUNCE_RATE_LINE,) if name == "bounce rate" else (SPAM_RATE_TARGET, SPAM_RATE_LIMIT)
    return rate_beside(rate, lines)


def _why_none(name: str, row: pd.Series) -> str:
    """Why a rate could not be computed, from its counts."""
    over, events = ("sent", "bounces") if name == "bounce rate" else ("delivered", "complaints")
    if not int(row[over]):
        return f"not computable: no mail {over} in the range"
    return (
        f"not computable: more {events} than mail {over} (some are about mail sent before "
        "the range)"
    )


def _standing(name: str, rate: float) -> tuple[str, str]:
    """Where a rate stands against its line, in words, and the state it colours."""
    if name == "bounce rate":
        line = f"{BOUNCE_RATE_LINE:.0%}"
        return (f"over the {line} line", "over") if rate >= BOUNCE_RATE_LINE else (
            f"under the {line} line", "ok")  # fmt: skip
    aim, limit = f"{SPAM_RATE_TARGET:.1%}", f"{SPAM_RATE_LIMIT:.1%}"
    if rate >= SPAM_RATE_LIMIT:
        return f"over the {limit} limit", "over"
    if rate >= SPAM_RATE_TARGET:
        return f"over the {aim} aim, under the {limit} limit", "watch"
    return f"under the {aim} aim ({limit} limit)", "ok"


def parts_over(heads: list[Headline], findings: list[Finding]) -> list[str]:
    """Sentences for the rates a headline shows under their line while a finding has part of
    the same account's mail over it (a domain, a sender, a month): the two agree, and say so."""
    said = []
    metric = {"complaints": ("complaint rate", "limit"), "bounces": ("bounce rate", "line")}
    states = {(h.account, f.label): f for h in heads for f in h.figures}
    for number, finding in enumerate(findings, start=1):
        if finding.kind not in metric:
            continue
        label, line = metric[finding.kind]
        shown = states.get((finding.account, label))
        if shown is None or shown.state in ("over", "few"):  # "few": not said to be under
            continue
        said.append(
            f"{finding.account}'s {label} over the range as a whole is {shown.value}, under "
            f"the {line}; part of its mail is over it: see finding {number}."
        )
    return said
