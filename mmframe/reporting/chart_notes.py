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


def unjudged_over(rates: pd.DataFrame, *, by: str, top: int = 8) -> str | None:
    """A sentence naming each group a complaint-rate chart draws over the limit that no
    period, and not the range as a whole, has the complaints to judge; None when none."""
    drawn = set(rate_groups(rates, by=by, top=top))
    told = []
    for group, rows in rates.groupby(by, observed=True):
        over = rows[rows["complaint_rate"].astype("float64") >= SPAM_RATE_LIMIT]
        if str(group) not in drawn or over.empty or _judged(rows, over):
            continue
        worst = over.sort_values("complaint_rate", ascending=False, kind="stable").iloc[0]
        complaints = plural(int(worst["complaints"]), "complaint")
        told.append(
            f"{isolate(group)} ({float(worst['complaint_rate']):.2%} from {complaints}, "
            f"in the period from {pd.Timestamp(worst['start']):%Y-%m-%d})"
        )
    if not told:
        return None
    return (
        f"Drawn over the {SPAM_RATE_LIMIT:.1%} limit but not judged: {and_(told)}. A period "
        f"is judged on {MIN_COMPLAINTS} complaints or more: each of these periods had fewer, "
        "too few to tell a pattern from chance, and the range as a whole is not over the "
        f"limit on {MIN_COMPLAINTS} or more."
    )


def _judged(rows: pd.DataFrame, over: pd.DataFrame) -> bool:
    """Whether a finding judges the group: a period over the limit with enough complaints,
    or the range as a whole over it with enough."""
    if (over["complaints"].fillna(0) >= MIN_COMPLAINTS).any():
        return True
    complaints, delivered = int(rows["complaints"].sum()), int(rows["delivered"].sum())
    return complaints >= MIN_COMPLAINTS and complaints >= SPAM_RATE_LIMIT * delivered


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
