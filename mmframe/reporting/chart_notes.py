"""What a chart draws that no finding judges, and how it chose the groups it names, said
under the chart.

A domain with one complaint in 30 messages is drawn at 3.33 %, far over the 0.3 % limit,
while the findings judge a period only on :data:`MIN_COMPLAINTS` complaints or more: the
reader sees the line and needs to be told why no sentence names it. So for a bounce rate
under :data:`MIN_BOUNCES` bounces; both charts are scaled to the periods judged
(:mod:`.rate_scale`).
"""

from __future__ import annotations

import pandas as pd

from ..analysis.rates import SPAM_RATE_LIMIT
from ..rate_charts import RATE_LINES, rate_groups
from .finding import BOUNCE_RATE_LINE, MIN_BOUNCES, MIN_COMPLAINTS, and_
from .numbers import isolate, plural
from .period_names import period_words
from .rate_scale import axis_top, events


def unjudged_over(
    rates: pd.DataFrame, *, by: str, top: int = 8, metric: str = "complaint_rate"
) -> str | None:
    """A sentence naming every period a rate chart draws over its line (the complaint
    chart's dots) that no finding judges alone (fewer than :data:`MIN_COMPLAINTS`
    complaints, :data:`MIN_BOUNCES` bounces), group by group, those off the chart's scale
    (:mod:`.rate_scale`) so marked, and whether the group's range as a whole is judged;
    None when there is none."""
    drawn = set(rate_groups(rates, by=by, top=top, metric=metric))
    years = pd.to_datetime(rates["start"]).dt.year.nunique() > 1
    cap = axis_top(rates, by=by, metric=metric, top=top)
    line, noun, least_ = _words(metric)
    told: list[str] = []
    within: list[str] = []
    for group, rows in rates.groupby(by, observed=True):
        over = rows[_over(rows, metric)]
        alone = over[events(over, metric) < least_].sort_values("start")
        if str(group) not in drawn or alone.empty:
            continue
        off = cap is not None and bool((alone[metric].astype("float64") > cap).any())
        marked = ", off the scale (▲ at the chart's top)" if off else ""
        told.append(f"{isolate(group)} ({_periods(alone, years, metric)}){marked}")
        if _range_judged(rows, metric):
            within.append(isolate(group))
    if not told:
        return None
    said = (
        f"Drawn over the {line} but not judged: {and_(told)}. A period is judged on "
        f"{least_} {noun} or more: each of these periods had fewer, too few to tell a pattern "
        "from chance"
    )
    kind = line.split()[-1]  # "limit", "line"
    if not within:
        return said + f", and the range as a whole is not over the {kind} on {least_} or more."
    verb = "is" if len(within) == 1 else "are"
    said += (
        f". {and_(within)} {verb} over the {kind} over the range as a whole, on "
        f"{least_} {noun} or more: a finding names {'it' if verb == 'is' else 'them'}."
    )
    rest = len(told) - len(within)
    return said + (
        f" The range as a whole of the other{'s' if rest > 1 else ''} is not over the {kind} "
        f"on {least_} or more."
        if rest
        else ""
    )


def _words(metric: str) -> tuple[str, str, int]:
    """A rate's line in words, its events, and how many a period is judged on."""
    if metric == "bounce_rate":
        return f"{BOUNCE_RATE_LINE:.0%} line", "bounces", MIN_BOUNCES
    return f"{SPAM_RATE_LIMIT:.1%} limit", "complaints", MIN_COMPLAINTS


def _over(rows: pd.DataFrame, metric: str) -> pd.Series:
    """The periods a chart draws over its line (the complaint chart's dots)."""
    if metric == "bounce_rate":
        return (rows["bounce_rate"].astype("float64") >= BOUNCE_RATE_LINE).fillna(False)
    return rows["above_limit"].fillna(False).astype(bool)


def _periods(rows: pd.DataFrame, years: bool, metric: str = "complaint_rate") -> str:
    """``0.58% in October, 0.59% in November, 2 complaints each``: each period's rate and
    when, then the events (once, when every period had as many)."""
    noun = "bounce" if metric == "bounce_rate" else "complaint"
    counts = [int(n) for n in events(rows, metric)]
    rates = [f"{float(r):.2%} in {period_words(row, years=years)}" for r, (_i, row) in zip(
        rows[metric], rows.iterrows(), strict=True)]  # fmt: skip
    if len(set(counts)) == 1:
        each = " each" if len(rows) > 1 else ""
        return ", ".join(rates) + f", {plural(counts[0], noun)}{each}"
    return ", ".join(f"{r} from {plural(n, noun)}" for r, n in zip(rates, counts, strict=True))


def _range_judged(rows: pd.DataFrame, metric: str = "complaint_rate") -> bool:
    """Whether a finding judges the group over the range as a whole: over the line there,
    on enough events (as :func:`.rate_findings.range_totals` counts them)."""
    _line, _noun, least_ = _words(metric)
    level = BOUNCE_RATE_LINE if metric == "bounce_rate" else SPAM_RATE_LIMIT
    mail = rows["sent" if metric == "bounce_rate" else "delivered"].sum()
    total = int(events(rows, metric).sum())
    return len(rows) > 1 and total >= least_ and total >= level * int(mail)


def drawn_by_name(rates: pd.DataFrame, *, by: str, metric: str, top: int = 8) -> str | None:
    """How a rate chart of more groups than it names chose them (those over its lowest line,
    then the most mail sent: :func:`~mmframe.rate_charts.rate_groups`), and how many fold
    into "other"; None when it names every group."""
    groups = rates[by].astype(str).nunique() if len(rates) else 0
    drawn = rate_groups(rates, by=by, top=top, metric=metric)
    if groups <= len(drawn):
        return None
    level, label, _style = min(RATE_LINES[metric])
    worst = rates.groupby(rates[by].astype(str))[metric].max().astype("float64")
    over = sum(1 for group in drawn if worst.get(group, 0.0) >= level)
    line = label.split(": ")[-1]
    parts = [f"{over} over the {line} line, the highest first"] if over else []
    if len(drawn) > over:
        parts.append(f"the {len(drawn) - over} with the most mail sent")
    return f'Named: {", then ".join(parts)}; {folded_words(groups - len(drawn))}, "other".'


def folded_words(n: int) -> str:
    """``the other 3 are one line``; ``the other 1 is one line`` (twelfth review, R6)."""
    return f"the other {n} {'is' if n == 1 else 'are'} one line"


def hidden_under(
    rates: pd.DataFrame, *, by: str, metric: str = "complaint_rate", top: int = 8
) -> str | None:
    """A sentence naming each line a rate chart draws under another in a period it draws
    over its line, their rates equal to the 0.01 % the page prints: the chart shows one
    where the findings name two (thirteenth review, R3). Moving a line off its value to show
    it would draw a rate nobody had; so it is said. None when no line is hidden so."""
    drawn = rate_groups(rates, by=by, top=top, metric=metric)  # in the order drawn
    order = {name: i for i, name in enumerate(drawn)}
    rows = rates[rates[by].astype(str).isin(order)]
    rows = rows[_over(rows, metric).to_numpy(dtype=bool)]
    years = pd.to_datetime(rates["start"]).dt.year.nunique() > 1
    under: dict[str, dict[str, list[str]]] = {}  # hidden -> the one over it -> periods
    for _start, period in rows.groupby("start", sort=True):
        level = period[metric].astype("float64").round(4)
        for _level, same in period.groupby(level, sort=False):
            names = sorted(same[by].astype(str), key=order.__getitem__)
            if len(names) < 2:
                continue
            row = same.iloc[0]
            when = f"{float(row[metric]):.2%} in {period_words(row, years=years)}"
            for name in names[:-1]:  # all under the one drawn last
                under.setdefault(name, {}).setdefault(names[-1], []).append(when)
    if not under:
        return None
    told = [
        f"{isolate(name)} "
        + " and ".join(f"under {isolate(over)} ({', '.join(w)})" for over, w in tops.items())
        for name, tops in sorted(under.items(), key=lambda item: order[item[0]])
    ]
    return f"Drawn one over the other, their rates equal: {'; '.join(told)}."
