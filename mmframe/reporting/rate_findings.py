"""Rate findings: complaint and bounce rates over their lines, per period and over the
range, group by group, told in words computed from the rows; and the list to watch."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..analysis.rates import SPAM_RATE_LIMIT, SPAM_RATE_TARGET, add_rates
from .bounce_advice import advice_parts, bounce_advice, most_said
from .complained_of import own_column, who_complained
from .complaint_code import look_code
from .finding import BOUNCE_RATE_LINE, MIN_BOUNCES, MIN_COMPLAINTS, Finding, and_
from .group_names import at, where
from .numbers import capital, count, moment, plural, rate_beside, share, span
from .period_names import period_words, spans_years, whole_rows
from .retention import NONE_LISTED, from_words

#: The order in which a group over the line is told (the most specific first).
_SPECIFIC = {"domain": 0, "sender": 1, "account": 3}


def rate_findings(rates: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """Each (metric, account) with periods over a line, and those periods of every group.

    Returns ``(metric, account, periods)`` for ``complaint_rate`` at or above the 0.3 %
    limit of Gmail and Yahoo (with at least :data:`MIN_COMPLAINTS` complaints) and
    ``bounce_rate`` at or above :data:`BOUNCE_RATE_LINE` (at least :data:`MIN_BOUNCES`),
    whichever groups (``by``: account, domain, sender, an X-header) they were found in:
    one account's breaches are one incident, told group by group.
    """
    found: list[tuple[str, str, pd.DataFrame]] = []
    if rates.empty:
        return found
    periods = rates.assign(span="period")
    totals = range_totals(rates)
    for metric in ("complaint_rate", "bounce_rate"):
        over = periods[_over(periods, metric, SPAM_RATE_LIMIT)]
        judged = set(zip(over["account"].astype(str), over["by"], over["group"], strict=True))
        whole = totals[_over(totals, metric, SPAM_RATE_LIMIT)]
        keys = zip(whole["account"].astype(str), whole["by"], whole["group"], strict=True)
        whole = whole[[k not in judged for k in keys]]  # no period of it is judged alone
        both = pd.concat([f for f in (over, whole) if len(f)] or [over])
        for account, rows in both.groupby("account", observed=True):
            found.append((metric, str(account), rows))
    return found


def _over(rates: pd.DataFrame, metric: str, limit: float) -> pd.Series:
    """Rows at or over the line of ``metric`` (``limit`` for complaints) with enough events
    to judge: :data:`MIN_COMPLAINTS` complaints, :data:`MIN_BOUNCES` bounces."""
    if metric == "complaint_rate":
        hit = (rates[metric] >= limit) & (rates["complaints"].fillna(0) >= MIN_COMPLAINTS)
    else:
        bounced = rates["hard_bounces"].fillna(0) + rates["soft_bounces"].fillna(0)
        hit = (rates[metric] >= BOUNCE_RATE_LINE) & (bounced >= MIN_BOUNCES)
    return hit.fillna(False).astype(bool)


def range_totals(rates: pd.DataFrame) -> pd.DataFrame:
    """Each group's counts over the whole range (groups of two periods or more), with its
    rates, ``span`` "range": a period too small to judge alone (fewer than
    :data:`MIN_COMPLAINTS` complaints) is judged within the range."""
    keys = ["account", "by", "group"]
    counted = ["sent", "delivered", "complaints", "hard_bounces", "soft_bounces"]
    sums = rates.groupby(keys, observed=True).agg(
        start=("start", "min"), end=("end", "max"), periods=("start", "size"),
        is_complete=("is_complete", "all"), **{c: (c, "sum") for c in counted},
    )  # fmt: skip
    sums = sums[sums["periods"] > 1].drop(columns="periods").reset_index()
    for column in counted:
        sums[column] = sums[column].astype("Int64")
    for column in ("unique_opens", "unique_clicks"):
        sums[column] = pd.array([pd.NA] * len(sums), dtype="Int64")
    return add_rates(sums).assign(span="range")


def groups_over(periods: pd.DataFrame, metric: str) -> list[tuple[str, str, pd.DataFrame]]:
    """``(by, group, periods)`` of each group over the line, the lead group first: the one
    of the highest rate (ties: the most specific); then the others, most specific, then
    worst first. The lead is what a finding's title, summary line, table, words and code
    name (thirteenth review, R5: the summary led with a campaign at 100%, the title and
    table with a domain at 1.98%)."""
    parts = [
        (str(by), str(group), rows.sort_values("start"))
        for (by, group), rows in periods.groupby(["by", "group"], observed=True)
    ]
    ordered = sorted(parts, key=lambda p: (_SPECIFIC.get(p[0], 2), -p[2][metric].max()))
    return _worst_first(ordered, metric)


def _weight(groups: list[tuple[str, str, pd.DataFrame]], columns: list[str]) -> int:
    """A rate finding's place on the page: the events of its most specific group, whichever
    group leads it (a campaign of 5 complaints leading does not move the finding down)."""
    rows = min(groups, key=lambda p: _SPECIFIC.get(p[0], 2))[2]
    return int(rows[columns].fillna(0).to_numpy().sum())


def _spans(rows: pd.DataFrame, metric: str) -> str:
    """``3 periods``, or the range as a whole where no period had enough events alone (of
    the events ``metric`` counts: a bounce rate is judged on bounces alone)."""
    if _whole_range(rows):
        least = (
            f"{MIN_COMPLAINTS} complaints" if metric == "complaint_rate"
            else f"{MIN_BOUNCES} bounces"
        )  # fmt: skip
        return (
            f"the range as a whole (no single period had the {least} a period is judged on alone)"
        )
    return plural(len(rows), "period")


def complaint_finding(
    account: str,
    periods: pd.DataFrame,
    complaints: pd.DataFrame,
    *,
    scope: list[str] | None,
    headers: Mapping[str, str] | None = None,
    listed_from: pd.Timestamp | None = None,
    freq: str = "W-MON",
) -> Finding:
    """Complaint rates over the limit in one account, group by group; whose mail it was.

    ``periods``: the account's rates over the line (every group); ``complaints``: its
    complaints over those periods, at the first group's domain when it is one; ``scope``:
    the printed code's ``accounts=`` (None: the key's own); ``headers``: each column's
    X-header name (``x_campaign``: ``X-Campaign``) as the accounts spell it;
    ``listed_from``: from when the server lists the account's complaints (None: all it
    counts; :func:`.retention.listed_from`), the words and code resting on that part, or on
    its counts where it lists none; ``freq``: the page's periods, the printed code's too.
    """
    groups = groups_over(periods, "complaint_rate")
    by, group, first = groups[0]
    said = [
        f"Complaint rate (complaints / delivered) at or above the {SPAM_RATE_LIMIT:.1%} limit "
        f"of Gmail and Yahoo in {plural(len(groups), 'group')} of this account's mail."
    ]
    said += [_group_line(g_by, g_name, rows) for g_by, g_name, rows in groups]
    trend = _trend(first, where(by, group))
    said += [trend] if trend else []  # one period: its group's line has said it
    start, end = first["start"].min(), first["end"].max()
    since = listed_from if listed_from is not None and listed_from > start else None
    if since is not None and since >= end:  # none of these periods' rows is listed
        said.append(_none_listed(int(first["complaints"].fillna(0).sum()), since))
    else:
        # The complaints are the lead group's (evidence._in_first_group): said so.
        basis = (
            "in this account" if by == "account" else at(by, group)
        ) + f" {span(since if since is not None else start, end)}"  # its end: as the page says
        said += who_complained(complaints, headers or {}, basis, own=own_column(by))
    finding = Finding(
        kind="complaints",
        title=f"Complaints over the limit: {account}, {where(by, group)}",
        account=account,
        weight=_weight(groups, ["complaints"]),
        summary=_complaint_summary(account, groups),
        said=said,
        tables=[
            (f"Periods over the limit: {where(by, group)}", _periods(first, "complaint_rate")),
        ],
        advice=(
            "Complaints are people asking not to be mailed: keep them suppressed. Slow down "
            "or stop what they complain of for these recipients before the provider "
            "throttles or blocks the account."
        ),
    )
    finding.code = look_code(by, group, (start, end), scope, since, freq, _whole_range(first))
    return finding


def _none_listed(total: int, since: pd.Timestamp) -> str:
    """That the server lists none of a complaint finding's ``total`` complaints (it lists
    the account's from ``since``), once, with its count (ninth review, F12: "no longer lists
    these periods' complaints", then "lists none of the 8 complaints of these periods")."""
    after = "" if since >= NONE_LISTED else f" ({from_words('complaints', since)})"
    return (
        f"The server lists none of the {plural(total, 'complaint')} of these periods{after}: "
        "the figures here come from its counts; who complained, and of whose mail, cannot be "
        "read from them, and the code below reads their counts, and each sender's."
    )


def _group_line(by: str, group: str, rows: pd.DataFrame) -> str:
    """A group's periods over the limit: the worst one's rate and when, then the totals of
    those periods with their own rate (never a maximum beside totals as if one)."""
    said = f"{capital(at(by, group))}: {_spans(rows, 'complaint_rate')} over the limit"
    if not _whole_range(rows):
        worst = rows.sort_values("complaint_rate").iloc[-1]
        said += (
            f", the worst {worst['complaint_rate']:.2%} in "
            f"{period_words(worst, years=spans_years(rows))}; over "
            f"{'that period' if len(rows) == 1 else 'those periods'}"
        )
    return said + f": {_tally(rows)}."


def _whole_range(rows: pd.DataFrame) -> bool:
    return "span" in rows.columns and bool((rows["span"] == "range").all())


def _tally(rows: pd.DataFrame) -> str:
    """``965 complaints over 100,631 delivered (0.96%)``: the totals and their own rate."""
    complaints, delivered = int(rows["complaints"].sum()), int(rows["delivered"].sum())
    rate = f" ({complaints / delivered:.2%})" if delivered else ""
    return f"{plural(complaints, 'complaint')} over {count(delivered)} delivered{rate}"


def _complaint_summary(account: str, groups: list[tuple[str, str, pd.DataFrame]]) -> str:
    """The summary line: the lead group's rate, the worst the finding lists ("up to"; ninth
    review, F18), then up to two others over the limit."""
    by, group, first = groups[0]
    line = (
        f"{account}: complaint rate up to {first['complaint_rate'].max():.2%} "
        f"{at(by, group)} (the limit is {SPAM_RATE_LIMIT:.1%})"
    )
    if len(groups) == 1:
        return line + "."
    others = [f"{where(b, g)} ({_worst_when(r, 'complaint_rate')})" for b, g, r in groups[1:3]]
    others += [f"{count(len(groups) - 3)} more"] if len(groups) > 3 else []
    return line + "; also over it: " + and_(others) + "."


def _worst_when(rows: pd.DataFrame, metric: str) -> str:
    """A group's worst rate and when: ``0.42% in November`` (a rate beside the range's
    alone read as the range's; eleventh review, A5), or ``over the range`` where judged
    over the range as a whole."""
    worst = rows.sort_values(metric).iloc[-1]
    if _whole_range(rows):
        return f"{worst[metric]:.2%} over the range"
    return f"{worst[metric]:.2%} in {period_words(worst, years=spans_years(rows))}"


def _worst_first(
    groups: list[tuple[str, str, pd.DataFrame]], metric: str
) -> list[tuple[str, str, pd.DataFrame]]:
    """``groups`` with the one of the highest rate first (ties: the most specific)."""
    top = max(range(len(groups)), key=lambda i: (groups[i][2][metric].max(), -i))
    return [groups[top], *groups[:top], *groups[top + 1 :]]


def _trend(periods: pd.DataFrame, place: str) -> str | None:
    """Whether the complaint rate at ``place`` rose, fell or held, first period over the
    limit to last: rates, not counts (periods differ in length and in mail delivered).
    None for one period, or the range as a whole: the group's line has said its figures
    (thirteenth review, R5: "One period over the line at ..." said them again)."""
    first, last = periods.iloc[0], periods.iloc[-1]
    if _whole_range(periods) or len(periods) < 2:
        return None
    a, b = float(first["complaint_rate"]), float(last["complaint_rate"])
    years = spans_years(periods)
    return (
        f"The complaint rate at {place} {change(a, b)}: {a:.2%} in "
        f"{period_words(first, years=years)}, {b:.2%} in {period_words(last, years=years)}."
    )


def change(a: float, b: float) -> str:
    """``rose 24%``, ``fell 10%`` or ``held level`` (within 2 %): from ``a`` to ``b``, in words,
    with its size; a change is never called holding."""
    if a == 0:
        return "held level" if b == 0 else "rose from none"
    ratio = b / a - 1
    if abs(ratio) < 0.02:
        return "held level"
    size = f"{b / a:.0f}-fold" if ratio >= 9 else share(abs(ratio))
    return f"{'rose' if ratio > 0 else 'fell'} {size}"


def bounce_rate_finding(
    account: str,
    periods: pd.DataFrame,
    bounces: pd.DataFrame,
    *,
    suppressed: pd.DataFrame | None = None,
    short_of: int | None = None,
    listed_from: pd.Timestamp | None = None,
    first_listed: pd.DataFrame | None = None,
) -> Finding:
    """Bounce rates over :data:`BOUNCE_RATE_LINE` in one account, group by group; what to do
    read from ``bounces`` (the account's triaged bounces of every group's periods) and
    ``suppressed`` (its suppressions read), as :func:`.bounce_advice.bounce_advice` does;
    where none of them is listed (the server lists the account's from ``listed_from``),
    the advice says so, not that none was read. What most of them were is said of
    ``first_listed``, the first group's bounces in its periods (None: ``bounces``, one
    group's), as its hard and soft counts are: every figure of a sentence of one group."""
    groups = groups_over(periods, "bounce_rate")
    by, group, first = groups[0]
    hard, soft = int(first["hard_bounces"].sum()), int(first["soft_bounces"].sum())
    said = [
        f"{capital(at(g_by, g_name))}: bounces over messages sent at or above "
        f"{BOUNCE_RATE_LINE:.0%} in {_spans(rows, 'bounce_rate')}, up to "
        f"{rows['bounce_rate'].max():.1%}."
        for g_by, g_name, rows in groups
    ]
    # The API's types, said as its own: what the servers said is one classification,
    # the advice's (a soft bounce may be a refusal that never passes by itself).
    own = bounces if first_listed is None else first_listed
    most = most_said(advice_parts(own, suppressed=suppressed, short_of=short_of))
    said.append(
        f"{count(hard)} hard and {count(soft)} soft bounces {at(by, group)} "
        + ("over the range" if _whole_range(first) else "in those periods")
        + ", as the API typed them"
        + (f"; {most}." if most else ".")
    )
    return Finding(
        kind="bounces",
        title=f"Bounce rate over {BOUNCE_RATE_LINE:.0%}: {account}, {where(by, group)}",
        account=account,
        weight=_weight(groups, ["hard_bounces", "soft_bounces"]),
        summary=_bounce_summary(account, groups),
        said=said,
        tables=[(f"Periods over the line: {where(by, group)}", _periods(first, "bounce_rate"))],
        advice=_unlisted_advice(listed_from)
        if not len(bounces) and listed_from is not None and listed_from > periods["start"].min()
        else bounce_advice(
            bounces,
            suppressed=suppressed,
            short_of=short_of,
            covered=and_([where(g_by, g_name) for g_by, g_name, _rows in groups]),
        ),
    )


def _bounce_summary(account: str, groups: list[tuple[str, str, pd.DataFrame]]) -> str:
    """The summary line: the lead group's rate (the worst the finding lists, ninth review,
    F18) with its hard and soft bounces."""
    by, group, rows = groups[0]
    hard, soft = int(rows["hard_bounces"].sum()), int(rows["soft_bounces"].sum())
    return (
        f"{account}: bounce rate up to {rows['bounce_rate'].max():.1%} "
        f"{at(by, group)} ({count(hard)} hard, {count(soft)} soft{_counted_over(rows)})."
    )


def _counted_over(rows: pd.DataFrame) -> str:
    """Of which periods a summary's counts are (twelfth review, R6: "84 hard" read as the
    account's 93 in the range)."""
    return "" if _whole_range(rows) else ", in the periods over the line"


def _unlisted_advice(since: pd.Timestamp) -> str:
    """What to do where the server lists none of the periods' bounces (it lists the
    account's from ``since``): what they said cannot be read, not that none came."""
    return (
        f"The server no longer lists these periods' bounces ({from_words('bounces', since)}"
        "): what the servers said of them cannot be read, so what to do cannot be told from "
        "it; the counts above are all the server keeps of them."
    )


def _periods(periods: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The periods over a line, the rate and its numerator first (what a phone shows)."""
    top = "complaints" if metric == "complaint_rate" else "bounces"
    bounced = periods["hard_bounces"] + periods["soft_bounces"]
    whole = periods["span"] == "range" if "span" in periods else periods["start"].isna()
    starts = periods["start"].map(moment)  # a period the range's start cuts: its moment
    return pd.DataFrame(
        {
            # The range as the page names it: its last day included (ninth review, F22).
            "from": starts.where(
                ~whole,
                pd.Series(
                    [
                        span(a, b).removeprefix("from ")
                        for a, b in zip(periods["start"], periods["end"], strict=True)
                    ],
                    index=periods.index,
                    dtype=object,
                ),
            ),
            "rate": periods[metric].map(lambda r: f"{r:.2%}"),
            top: (periods["complaints"] if top == "complaints" else bounced).map(count),
            "delivered" if top == "complaints" else "sent": (
                periods["delivered"] if top == "complaints" else periods["sent"]
            ).map(count),
            "period": whole_rows(periods)
            .map({True: "whole", False: "partial"})
            .where(~whole, "the range"),
        }
    )


def watch_list(rates: pd.DataFrame) -> list[str]:
    """Groups whose complaint rate reached Gmail's 0.1 % aim but never the 0.3 % limit."""
    every = pd.concat([rates.assign(span="period"), range_totals(rates)], ignore_index=True)
    near = every[_over(every, "complaint_rate", SPAM_RATE_TARGET)]
    out = []
    for (account, by, group), rows in near.groupby(["account", "by", "group"], observed=True):
        if (rows["complaint_rate"] >= SPAM_RATE_LIMIT).any():
            continue
        periods = rows[rows["span"] == "period"]
        out.append(
            f"{account} {at(str(by), str(group))}: up to "
            f"{rate_beside(rows['complaint_rate'].max(), (SPAM_RATE_TARGET, SPAM_RATE_LIMIT))} ("
            + (plural(len(periods), "period") if len(periods) else "the range as a whole")
            + ")"
        )
    return out
