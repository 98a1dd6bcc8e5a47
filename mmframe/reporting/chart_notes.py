"""What a chart draws that no finding judges, and how it chose the groups it names, said
under the chart.

A domain with one complaint in 30 messages is drawn at 3.33 %, far over the 0.3 % limit,
while the findings judge a period only on :data:`MIN_COMPLAINTS` complaints or more: the
reader sees the line and needs to be told why no sentence names it.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.rates import SPAM_RATE_LIMIT
from ..rate_charts import RATE_LINES, rate_groups
from .finding import MIN_COMPLAINTS, and_
from .numbers import isolate, plural
from .period_names import period_words


def unjudged_over(rates: pd.DataFrame, *, by: str, top: int = 8) -> str | None:
    """A sentence naming every period a complaint-rate chart draws over the limit (a dot)
    that no finding judges alone (fewer than :data:`MIN_COMPLAINTS` complaints), group by
    group, and whether the group's range as a whole is judged; None when there is none."""
    drawn = set(rate_groups(rates, by=by, top=top))
    years = pd.to_datetime(rates["start"]).dt.year.nunique() > 1
    told: list[str] = []
    within: list[str] = []
    for group, rows in rates.groupby(by, observed=True):
        over = rows[rows["above_limit"].fillna(False).astype(bool)]  # the chart's dots
        alone = over[over["complaints"].fillna(0) < MIN_COMPLAINTS].sort_values("start")
        if str(group) not in drawn or alone.empty:
            continue
        told.append(f"{isolate(group)} ({_periods(alone, years)})")
        if _range_judged(rows):
            within.append(isolate(group))
    if not told:
        return None
    said = (
        f"Drawn over the {SPAM_RATE_LIMIT:.1%} limit but not judged: {and_(told)}. A period "
        f"is judged on {MIN_COMPLAINTS} complaints or more: each of these periods had fewer, "
        "too few to tell a pattern from chance"
    )
    if not within:
        return (
            said + f", and the range as a whole is not over the limit on {MIN_COMPLAINTS} or more."
        )
    verb = "is" if len(within) == 1 else "are"
    said += (
        f". {and_(within)} {verb} over the limit over the range as a whole, on "
        f"{MIN_COMPLAINTS} complaints or more: a finding names {'it' if verb == 'is' else 'them'}."
    )
    rest = len(told) - len(within)
    return said + (
        f" The range as a whole of the other{'s' if rest > 1 else ''} is not over the limit "
        f"on {MIN_COMPLAINTS} or more."
        if rest
        else ""
    )


def _periods(rows: pd.DataFrame, years: bool) -> str:
    """``0.58% in October, 0.59% in November, 2 complaints each``: each period's rate and
    when, then the complaints (once, when every period had as many)."""
    complaints = [int(n) for n in rows["complaints"].fillna(0)]
    rates = [f"{float(r):.2%} in {period_words(row, years=years)}" for r, (_i, row) in zip(
        rows["complaint_rate"], rows.iterrows(), strict=True)]  # fmt: skip
    if len(set(complaints)) == 1:
        each = " each" if len(rows) > 1 else ""
        return ", ".join(rates) + f", {plural(complaints[0], 'complaint')}{each}"
    return ", ".join(
        f"{r} from {plural(n, 'complaint')}" for r, n in zip(rates, complaints, strict=True)
    )


def _range_judged(rows: pd.DataFrame) -> bool:
    """Whether a finding judges the group over the range as a whole: over the limit there,
    on enough complaints (as :func:`.rate_findings.range_totals` counts them)."""
    complaints, delivered = int(rows["complaints"].sum()), int(rows["delivered"].sum())
    return (
        len(rows) > 1 and complaints >= MIN_COMPLAINTS and complaints >= SPAM_RATE_LIMIT * delivered
    )


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
    return f'Named: {", then ".join(parts)}; the other {groups - len(drawn)} are one line, "other".'
