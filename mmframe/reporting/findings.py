"""Findings: every incident the evidence holds, each with sentences computed from its rows.

Nothing here reads or writes; :mod:`mmframe.reporting.evidence` reads, and the template only
lays out what these functions said. A sentence names a cause only when the rows show it;
where they do not, it says what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ..analysis.rates import SPAM_RATE_LIMIT, SPAM_RATE_TARGET, add_rates
from .numbers import count, isolate, plural, share

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


def _mix(values: pd.Series, limit: int = 4) -> str:
    """``"302 blocked, 40 userunknown and 5 more"``: the largest groups of ``values``."""
    counts = values.astype(str).value_counts()
    shown = [f"{count(n)} {name}" for name, n in counts.head(limit).items()]
    rest = int(counts.iloc[limit:].sum())
    if rest:
        shown.append(f"{count(rest)} of {len(counts) - limit} other kinds")
    return _and(shown)


def _and(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def spike_finding(
    spike: pd.Series,
    fix: pd.DataFrame,
    bounces: pd.DataFrame,
    *,
    scope: list[str] | None,
    looked_back: str = "",
    since: pd.Timestamp | None = None,
) -> Finding:
    """A day of suppressions far above its account's usual, explained by its causes.

    Parameters
    ----------
    spike
        One row of :func:`mmframe.find_spikes`.
    fix
        :func:`mmframe.remediation_candidates` of the account's suppressions of that day.
    bounces
        The account's triaged bounces read for it (the week before the day, until now).
    scope
        The ``accounts=`` the printed fix reads with (None: the key's own account).
    looked_back
        How far back complaints were looked for, in words.
    since
        The first moment ``bounces`` were read from (default: the week before the day); the
        printed fix reads from there too, so it finds the rows the report found.
    """
    account, day = str(spike["group"]), pd.Timestamp(spike["start"])
    total = len(fix)
    domains = fix["domain"].astype(str).value_counts()
    top, at_top = (str(domains.index[0]), int(domains.iloc[0])) if total else ("", 0)
    said = [
        f"{count(total)} suppressions on {day:%Y-%m-%d}, {_usual(spike)}; by reason: "
        f"{_mix(fix['reason'])}.",
        f"{count(at_top)} of them ({share(at_top / total)}) at {isolate(top)}"
        + (
            f"; the rest spread over {plural(len(domains) - 1, 'other domain')}."
            if len(domains) > 1
            else "."
        ),
    ]
    said += _verdict_sentences(fix)
    if len(domains) > 1 and at_top:
        there = fix[fix["domain"].astype(str) == top]["verdict"].astype(str).value_counts()
        said.append(
            f"At {isolate(top)}: "
            + _and([f"{count(n)} {verdict}" for verdict, n in there.items() if n])
            + f" of its {count(at_top)}."
        )
    said.append(_servers_said(bounces, day, fix))
    if looked_back:
        said.append(looked_back)
    where_ = _concentration(top, at_top, total, len(domains))
    finding = Finding(
        kind="spike",
        title=f"Suppression spike: {account} on {day:%Y-%m-%d}, {where_}",
        account=account,
        weight=int(spike["count"] - spike["baseline"]),
        summary=(
            f"{account}, {day:%Y-%m-%d}: {count(total)} suppressions "
            f"({_usual(spike, short=True)}), {where_}; {_verdict_counts(fix)}."
        ),
        said=said,
        tables=[("Verdicts and their causes", _verdicts(fix))],
        day=day,
    )
    _spike_advice(finding, fix, day, scope=scope, since=since)
    return finding


def _verdict_counts(fix: pd.DataFrame) -> str:
    """``335 to reactivate, 82 to keep``: every verdict with rows, so they add up."""
    verdicts = fix["verdict"].astype(str).value_counts()
    return (
        _and(
            [
                f"{count(verdicts[v])} to {v}"
                for v in ("reactivate", "keep", "review")
                if v in verdicts
            ]
        )
        or "no rows"
    )


def _usual(spike: pd.Series, *, short: bool = False) -> str:
    """The day against the account's usual day, in words: a ratio means nothing over 0."""
    baseline = float(spike["baseline"])
    if baseline < 1:
        none = "none" if baseline == 0 else "fewer than one"
        return f"usual day: {none}" if short else f"where the account's usual day has {none}"
    if short:
        return f"{spike['ratio']:.1f}x usual"
    return f"{spike['ratio']:.1f} times the account's usual day ({count(baseline)})"


def _concentration(top: str, at_top: int, total: int, domains: int) -> str:
    """Where a day's suppressions are: mostly at one domain, or spread."""
    if total and at_top / total >= 0.5:
        return f"mostly at {isolate(top)} ({count(at_top)} of {count(total)})"
    return f"spread over {count(domains)} domains"


def _verdict_sentences(fix: pd.DataFrame) -> list[str]:
    """Each verdict with every cause it counts: the counts reconcile to the day's total."""
    out = []
    for verdict, meaning in (
        ("reactivate", " (refusals that say nothing of the mailbox)"),
        ("keep", ""),
        ("review", " (the evidence neither clears nor condemns them)"),
    ):
        rows = fix[fix["verdict"] == verdict]
        if len(rows):
            out.append(
                f"{verdict.capitalize()} {count(len(rows))}{meaning}: "
                f"{_mix(rows['cause'], limit=8)}."
            )
    missing = int((fix["cause"].astype(str) == "unknown").sum())
    if missing:
        out.append(
            f"The data gives no reason for {count(missing)} of these: no bounce or "
            "complaint was found before their suppression in the week read."
        )
    return out


def _servers_said(bounces: pd.DataFrame, day: pd.Timestamp, rows: pd.DataFrame) -> str:
    """What the receiving servers said that day, most common first, with its codes, and how
    many of those bounces ended in one of the day's suppressions."""
    that_day = bounces[bounces["bounced_at"].dt.floor("D") == day] if len(bounces) else bounces
    if not len(that_day):
        return "No bounce was reported that day: the servers said nothing about these."
    reason = that_day["reason"].astype(str)
    first = str(reason.value_counts().index[0])
    example = that_day.loc[reason == first]
    codes = example["status"].dropna().astype(str).value_counts()
    code = f" (status {codes.index[0]})" if len(codes) else " (no status code)"
    silent = int((that_day["decided_by"].astype(str) == "none").sum())
    listed = example["email"].str.lower().isin(rows["email"].str.lower())
    text = (
        f"The receiving servers gave {plural(len(that_day), 'bounce')} that day; the most "
        f"common reason, {first}{code}, in {count(len(example))}, of which "
        f"{count(int(listed.sum()))} ended in one of these suppressions."
    )
    if silent:
        text += f" {count(silent)} said nothing the triage could read a reason from."
    sample = str(example["message"].iloc[0]) if "message" in example.columns else ""
    if sample:
        text += f' One of them said: "{isolate(sample[:200])}{"..." if len(sample) > 200 else ""}"'
    return text


def _spike_advice(
    finding: Finding,
    fix: pd.DataFrame,
    day: pd.Timestamp,
    *,
    scope: list[str] | None,
    since: pd.Timestamp | None = None,
) -> None:
    reactivate = fix[fix["verdict"] == "reactivate"]
    keep = fix[fix["verdict"] == "keep"]
    dead = keep[keep["cause"].astype(str).isin(["userunknown", "hostunknown", "suspend"])]
    parts = []
    if len(reactivate):
        finding.fix = reactivate
        parts.append(
            f"Reactivate the {plural(len(reactivate), 'address', 'addresses')} suppressed for "
            "refusals that "
            "say nothing of their mailboxes: dry run first, then apply with a journal."
        )
    if len(dead):
        domains = dead["domain"].astype(str).nunique()
        wave = len(dead) >= len(fix) / 2 and domains >= 3
        parts.append(
            f"Keep the {plural(len(dead), 'address', 'addresses')} refused as unknown or "
            "disabled mailboxes"
            + (
                f": they are most of the day and span {plural(domains, 'domain')}, which "
                "points at the list (where these addresses came from), not at a receiving "
                "server. Clean the list before mailing it again; do not reactivate them."
                if wave
                else "."
            )
        )
    if not parts:
        parts.append("Nothing here is safe to reactivate: keep these suppressions.")
    finding.advice = " ".join(parts)
    if finding.fix is not None:
        finding.code = spike_fix_code(finding.account, day, scope, len(reactivate), since)


def spike_fix_code(
    account: str,
    day: pd.Timestamp,
    scope: list[str] | None,
    rows: int,
    since: pd.Timestamp | None = None,
) -> str:
    """The code of a spike's fix: the report's own reads (bounces from ``since``, default the
    week before the day) and rule, until the moment it runs (whoever complains or turns out
    dead by then stays suppressed), every value a literal."""
    nxt, week = day + pd.Timedelta(days=1), day - pd.Timedelta(days=7)
    since = week if since is None else min(since, week)
    name = re.sub(r"[^A-Za-z0-9@._+-]", "_", account) + "-" if scope else ""
    return SPIKE_FIX.format(
        key="" if scope else "# with this account's own key, the one the report used\n",
        who=repr({"accounts": scope} if scope else {}),
        day=repr(f"{day:%Y-%m-%d}"),
        next_day=repr(f"{nxt:%Y-%m-%d}"),
        since=repr(_moment(since)),
        rows=count(rows),
        journal=repr(f"fix-{name}{day:%Y-%m-%d}.jsonl"),
    ).strip()


def _moment(at: pd.Timestamp) -> str:
    """A time as code writes it: the day alone at midnight UTC, else ISO 8601 with its zone."""
    utc = at.tz_convert("UTC") if at.tzinfo is not None else at
    return f"{utc:%Y-%m-%d}" if utc == utc.normalize() else utc.isoformat()


SPIKE_FIX = """
import mmframe as mm

{key}who = {who}
rows = mm.read_suppressions({day}, {next_day}, **who)
bounces = mm.read_bounces({since}, None, **who)  # from where the report did, until now
complaints = mm.read_complaints(None, None, **who)  # every complaint the account keeps
fix = mm.remediation_candidates(rows, bounces=bounces, complaints=complaints)
clear = fix[fix["verdict"] == "reactivate"]  # {rows} rows when the report was written
clear.mm.activate(full=True, dry_run=True).mm.summary()
clear.mm.activate(full=True, confirm=True, verify=True, journal={journal})
"""


def _verdicts(fix: pd.DataFrame) -> pd.DataFrame:
    table = fix.groupby(["verdict", "cause"], observed=True).size().reset_index(name="rows")
    table = table.sort_values(["verdict", "rows"], ascending=[True, False])
    return table.assign(rows=table["rows"].map(count))


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
    """``(by, group, periods)`` of each group over the line, most specific, then worst first."""
    parts = [
        (str(by), str(group), rows.sort_values("start"))
        for (by, group), rows in periods.groupby(["by", "group"], observed=True)
    ]
    return sorted(parts, key=lambda p: (_SPECIFIC.get(p[0], 2), -p[2][metric].max()))


def _spans(rows: pd.DataFrame) -> str:
    """``3 periods``, or the range as a whole where no period had enough events alone."""
    if "span" in rows.columns and (rows["span"] == "range").all():
        return (
            f"the range as a whole (no single period had the {MIN_COMPLAINTS} complaints or "
            f"{MIN_BOUNCES} bounces a period is judged on alone)"
        )
    return plural(len(rows), "period")


def where(by: str, group: str) -> str:
    """A group in words: ``domain hotmail.com``, or the account as a whole."""
    return "the account as a whole" if by == "account" else f"{by} {isolate(group)}"


def complaint_finding(
    account: str,
    periods: pd.DataFrame,
    complaints: pd.DataFrame,
    *,
    scope: list[str] | None,
) -> Finding:
    """Complaint rates over the limit in one account, group by group, and who sent what
    people complained of.

    ``periods`` are the account's rates over the line (every group); ``complaints`` the
    account's complaints over those periods, at the first group's domain when it is one;
    ``scope`` the ``accounts=`` of the printed code (None: the key's own account).
    """
    groups = groups_over(periods, "complaint_rate")
    by, group, first = groups[0]
    said = [
        f"Complaint rate (complaints / delivered) at or above the {SPAM_RATE_LIMIT:.1%} limit "
        f"of Gmail and Yahoo in {plural(len(groups), 'group')} of this account's mail."
    ]
    for g_by, g_name, rows in groups:
        said.append(
            f"At {where(g_by, g_name)}: {_spans(rows)} over the limit, up to "
            f"{rows['complaint_rate'].max():.2%} ({count(rows['complaints'].sum())} complaints "
            f"over {count(rows['delivered'].sum())} delivered)."
        )
    said.append(_trend(first))
    said += _who(complaints)
    finding = Finding(
        kind="complaints",
        title=f"Complaints over the limit: {account}, {where(by, group)}",
        account=account,
        weight=int(first["complaints"].sum()),
        summary=(
            f"{account}: complaint rate up to {first['complaint_rate'].max():.2%} at "
            f"{where(by, group)} (the limit is {SPAM_RATE_LIMIT:.1%})"
            + (
                "; also over it: "
                + _and(
                    [f"{where(b, g)} ({r['complaint_rate'].max():.2%})" for b, g, r in groups[1:3]]
                    + ([f"{count(len(groups) - 3)} more"] if len(groups) > 3 else [])
                )
                + "."
                if len(groups) > 1
                else "."
            )
        ),
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
    finding.code = COMPLAINT_LOOK.format(
        accounts=f", accounts={scope!r}" if scope else "",
        start=repr(f"{first['start'].min():%Y-%m-%d}"),
        end=repr(f"{first['end'].max():%Y-%m-%d}"),
        filter=f", {by}={group!r}" if by in ("domain", "sender") else "",
    ).strip()
    return finding


COMPLAINT_LOOK = """
import mmframe as mm

said = mm.read_complaints({start}, {end}{accounts}{filter})
said.value_counts("sender")  # who sent what they complained of
mm.read_rates({start}, {end}, freq="W", by="sender"{accounts})
"""


def _trend(periods: pd.DataFrame) -> str:
    """Whether the complaints over the line rose, fell or held, first period to last."""
    first, last = periods.iloc[0], periods.iloc[-1]
    if "span" in periods.columns and (periods["span"] == "range").all():
        return f"Over the range as a whole: {count(first['complaints'])} complaints."
    if len(periods) < 2:
        return f"One period over the line: {count(first['complaints'])} complaints."
    a, b = float(first["complaints"]), float(last["complaints"])
    way = "rose" if b >= 1.5 * a else "fell" if b <= a / 1.5 else "held"
    return (
        f"Complaints {way}: {count(a)} in the period from {first['start']:%Y-%m-%d}, "
        f"{count(b)} in the period from {last['start']:%Y-%m-%d}."
    )


def identifiers(counts: pd.Series) -> bool:
    """Whether tallied values are identifiers (most seen once: a message id), not groups."""
    return len(counts) > counts.sum() / 2


def _who(complaints: pd.DataFrame) -> list[str]:
    """Which sender and X-header values the complaints concentrate on, if any."""
    if not len(complaints):
        return ["No complaint rows could be read for these periods: who sent the mail is unknown."]
    out = []
    columns = ["sender", *[c for c in complaints.columns if c.startswith("x_")]]
    for column in columns:
        values = complaints[column].dropna().astype(str)
        values = values[values != ""]
        if not len(values):
            continue
        counts = values.value_counts()
        if column != "sender" and identifiers(counts):
            continue
        first, n = isolate(counts.index[0]), int(counts.iloc[0])
        name = "sender" if column == "sender" else column
        if n / len(complaints) >= 0.5:
            out.append(
                f"{count(n)} of {count(len(complaints))} complaints ({share(n / len(complaints))})"
                f" were about mail with {name} {first}."
            )
        else:
            out.append(
                f"The complaints are spread over {count(len(counts))} values of {name}; the "
                f"largest, {first}, has {count(n)} of {count(len(complaints))}: no single one "
                "explains them."
            )
    return out


def bounce_rate_finding(account: str, periods: pd.DataFrame) -> Finding:
    """Bounce rates over :data:`BOUNCE_RATE_LINE` in one account, group by group."""
    groups = groups_over(periods, "bounce_rate")
    by, group, first = groups[0]
    hard, soft = int(first["hard_bounces"].sum()), int(first["soft_bounces"].sum())
    said = [
        f"At {where(g_by, g_name)}: bounces over messages sent at or above "
        f"{BOUNCE_RATE_LINE:.0%} in {_spans(rows)}, up to "
        f"{rows['bounce_rate'].max():.1%}."
        for g_by, g_name, rows in groups
    ]
    said.append(
        f"{count(hard)} hard and {count(soft)} soft bounces at {where(by, group)} in those "
        "periods"
        + (
            ": mostly permanent refusals."
            if hard > soft
            else ": mostly temporary refusals."
            if soft > hard
            else "."
        )
    )
    return Finding(
        kind="bounces",
        title=f"Bounce rate over {BOUNCE_RATE_LINE:.0%}: {account}, {where(by, group)}",
        account=account,
        weight=hard + soft,
        summary=(
            f"{account}: bounce rate up to {first['bounce_rate'].max():.1%} at "
            f"{where(by, group)} ({count(hard)} hard, {count(soft)} soft)."
        ),
        said=said,
        tables=[(f"Periods over the line: {where(by, group)}", _periods(first, "bounce_rate"))],
        advice=(
            "Hard bounces stay suppressed and say the list needs cleaning; for temporary "
            "ones, look at what the servers said (read_bounces, then mm.triage)."
        ),
    )


def _periods(periods: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The periods over a line, the rate and its numerator first (what a phone shows)."""
    top = "complaints" if metric == "complaint_rate" else "bounces"
    bounced = periods["hard_bounces"] + periods["soft_bounces"]
    whole = periods["span"] == "range" if "span" in periods else periods["start"].isna()
    starts = periods["start"].dt.strftime("%Y-%m-%d")
    return pd.DataFrame(
        {
            "from": starts.where(~whole, starts + " to " + periods["end"].dt.strftime("%Y-%m-%d")),
            "rate": periods[metric].map(lambda r: f"{r:.2%}"),
            top: (periods["complaints"] if top == "complaints" else bounced).map(count),
            "delivered" if top == "complaints" else "sent": (
                periods["delivered"] if top == "complaints" else periods["sent"]
            ).map(count),
            "period": periods["is_complete"]
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
            f"{account} at {where(str(by), str(group))}: up to "
            f"{rows['complaint_rate'].max():.2%} ("
            + (plural(len(periods), "period") if len(periods) else "the range as a whole")
            + ")"
        )
    return out
