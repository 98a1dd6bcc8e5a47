"""Which bounce-rate breaches a spike holds: told within it, one incident, one sentence.

A breach holds a spike when its period (or the range as a whole) holds the spike's day and
the spike's bounces are part of it: the group had bounces that day. A domain whose dead
addresses bounced on other days is not the storm's; folded into it, it was told as "the
range as a whole, which holds this spike" and left out of the advice. Every other breach is
a bounce-rate finding of its own; a group with periods of both kinds keeps all of them in
that finding (its maximum and tally cover every period the page shows for it), the held
ones marked with their first spike's day, which tells them too (as does every other spike
the period holds, the group bouncing on its day).
"""

from __future__ import annotations

import pandas as pd

from ..xheader_names import is_xheader, xheader_column
from . import findings as judge
from .finding import BOUNCE_RATE_LINE, MIN_BOUNCES, Finding, and_
from .numbers import count
from .period_names import period_words, spans_years

#: A group's bounce rate over the line where a spike lies: the rate, the group in words, and
#: the period judged in words (``the week of 2026-11-23``; None: the range as a whole).
Breach = tuple[float, str, str | None]

_DAY = pd.Timedelta(days=1)


def outside_spikes(
    found: list[Finding],
    account: str,
    periods: pd.DataFrame,
    bounces: pd.DataFrame | None = None,
    listed_from: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The periods of ``account``'s bounce-rate finding, after telling within each spike of
    ``found`` the breaches that hold it (see the module); ``spike`` marks a period a spike
    tells too (its day; NaT elsewhere). ``bounces``: the range's bounces as read (None: not
    read, every breach on a spike's day holds it); ``listed_from``: from when the server
    lists the account's bounces (a day before it cannot say whose bounces it had, and its
    breaches are told within the spike as before)."""
    spikes = [
        (f, f.day)
        for f in found
        if f.kind == "spike" and f.account == account and f.day is not None
    ]
    held: dict[int, list[Breach]] = {}
    keep: list[pd.DataFrame] = []
    for (by, group), rows in periods.groupby(["by", "group"], observed=True):
        told = pd.Series(False, index=rows.index)
        mark = pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns, UTC]")
        ranged = rows["span"].eq("range") if "span" in rows.columns else told.copy()
        for spike, day in spikes:
            if not _bounced_that_day(bounces, account, str(by), str(group), day, listed_from):
                continue
            # A period overlapping the day holds it (one may start inside it: the range's),
            # told in each spike it holds: two spikes in one week told its rates in one and
            # left them out of the other, a contradiction (twenty-fourth review, W2).
            holding = (rows["start"] < day + _DAY) & (rows["end"] > day)
            if not holding.any():
                continue
            told |= holding
            mark[holding & mark.isna()] = day
            at = int(rows[holding]["bounce_rate"].astype("float64").to_numpy().argmax())
            worst, whole = rows[holding].iloc[at], bool(ranged[holding].iloc[at])
            held.setdefault(id(spike), []).append(
                (float(worst["bounce_rate"]), judge.where(str(by), str(group)),
                 None if whole else period_words(worst, years=spans_years(periods)))
            )  # fmt: skip
        if (~told).any():  # a finding of its own, with every period of the group
            keep.append(rows.assign(spike=mark))
    for spike, _day in spikes:
        if id(spike) in held:
            spike.said.extend(breaches_held(held[id(spike)]))
            spike.told.add("bounce rate")
            spike.after = _held_summary(held[id(spike)])
            spike.summary += " " + spike.after
    none = pd.Series(pd.NaT, index=periods.index[:0], dtype="datetime64[ns, UTC]")
    return pd.concat(keep) if keep else periods.iloc[:0].assign(spike=none)


def _bounced_that_day(
    bounces: pd.DataFrame | None,
    account: str,
    by: str,
    group: str,
    day: pd.Timestamp,
    listed_from: pd.Timestamp | None,
) -> bool:
    """Whether ``account`` had a bounce in the group on the spike's ``day``: the spike's
    bounces are part of the group's breach. Where that cannot be read (no list, a day the
    server no longer lists, a column the list lacks), the day is taken as the group's."""
    if bounces is None or (listed_from is not None and listed_from > day):
        return True
    at = bounces["bounced_at"]
    mine = (bounces["account"].astype(str) == account) & (at >= day) & (at < day + _DAY)
    if by == "account":
        return bool(mine.any())
    column = by if by in bounces.columns else xheader_column(by) if is_xheader(by) else by
    if column not in bounces.columns:
        return True
    values = bounces.loc[mine, column].astype(str).str.strip().str.lower()
    return bool((values == group.strip().lower()).any())


def breaches_held(breaches: list[Breach]) -> list[str]:
    """The groups whose bounce rate was over the line in a period holding the spike, in one
    sentence, the highest first (with each period where they differ), and those over it in
    the range as a whole, in another."""
    line = f"{BOUNCE_RATE_LINE:.0%}"
    said = []
    periods = [b for b in breaches if b[2] is not None]
    if periods:
        starts = {start for _rate, _where, start in periods}
        one = len(starts) == 1
        where = f"In {starts.pop()}, which holds" if one else "In the periods holding"
        said.append(f"{where} this spike, the bounce rate was over the {line} line at "
                    + _ranked(periods, dated=not one))  # fmt: skip
    whole = [b for b in breaches if b[2] is None]
    if whole:
        said.append(
            "Over the range as a whole, which holds this spike (no single period had the "
            f"{MIN_BOUNCES} bounces a period is judged on alone), the bounce rate was over "
            f"the {line} line at " + _ranked(whole, dated=False)
        )
    return said


def _held_summary(breaches: list[Breach]) -> str:
    """The summary's words of the breaches a spike tells: its line is the summary's only
    one for them, so it carries the worst (ninth review, F11: "up to 2.3%" at another
    group read as the account's worst while the spike's campaign was at 13.3%)."""
    rate, where, _start = max(breaches, key=lambda b: b[0])
    more = f" ({count(len(breaches) - 1)} more groups over it)" if len(breaches) > 2 else ""
    more = " (1 more group over it)" if len(breaches) == 2 else more
    return (
        f"Its bounce rate is over the {BOUNCE_RATE_LINE:.0%} line: up to {rate:.1%} at "
        f"{where}{more}."
    )


def _ranked(breaches: list[Breach], *, dated: bool) -> str:
    """``domain a (5.0%).`` or ``3 groups, the highest first: ...``."""
    ranked = sorted(breaches, key=lambda b: -b[0])
    items = [
        f"{where} ({rate:.1%}" + (f", {start}" if dated and start is not None else "") + ")"
        for rate, where, start in ranked
    ]
    if len(items) == 1:
        return f"{items[0]}."
    return f"{count(len(items))} groups, the highest first: {and_(items)}."


def told_in_spikes(periods: pd.DataFrame) -> list[str]:
    """A bounce-rate finding's periods a spike tells too, in words: ``The period from
    2026-05-01 (partial), over the line at domain gmail.com, holds the spike of 2026-05-03:
    that spike's finding tells it too.`` One sentence a period, its groups together."""
    if "spike" not in periods.columns:
        return []
    marked = periods[periods["spike"].notna()]
    said = []
    for _keys, rows in marked.groupby(["start", "spike"], sort=True):
        day = pd.Timestamp(rows["spike"].iloc[0])
        groups = [
            judge.where(str(b), str(g)) for b, g in zip(rows["by"], rows["group"], strict=True)
        ]
        when = (
            "The range as a whole"
            if "span" in rows and (rows["span"] == "range").all()
            else _capital(period_words(rows.iloc[0], years=spans_years(periods)))
        )
        said.append(
            f"{when}, over the line at {and_(groups)}, holds the suppression spike of "
            f"{day:%Y-%m-%d}: that spike's finding tells it too."
        )
    return said


def _capital(words: str) -> str:
    """``The week of 2026-11-23``: a period's words opening a sentence (a month's name is
    one already)."""
    return words[:1].upper() + words[1:]
