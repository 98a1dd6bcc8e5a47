"""What the report reads: the accounts, their daily suppressions, rates, and each spike's rows.

Reading is kept apart from judging (:mod:`mmframe.reporting.findings`) and from laying out
(:mod:`mmframe.reporting.render`), so a scenario test can check each on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from ..analysis import remediation_candidates, triage
from ..analysis.rates import SPAM_RATE_LIMIT, SPAM_RATE_TARGET, add_rates, rates_of
from ..charts import find_spikes
from ..client import Session
from ..errors import InvalidAPIKey
from ..loaders import (
    count_suppressions,
    read_bounces,
    read_complaints,
    read_events,
    read_suppression_counts,
    read_suppressions,
    read_xheaders,
)
from ..loaders.queries import MAX_FILTER_CHARS
from ..options import Accounts, ReadOptions
from ..schema import xheader_column
from ..writes import activate
from . import coverage
from . import findings as judge
from .findings import Finding
from .numbers import count, plural

#: At most this many spikes are explained (largest first); the rest are listed.
MAX_SPIKES = 5
#: Up to this many suppressions in the range are read as a list (daily counts from it).
LIST_AT_MOST = 250_000
#: The reports counted per group and period: the denominators. Complaints and bounces are
#: counted in their lists, read once (no opens or clicks: the report judges neither).
_COUNTED = ("sent", "delivered")
#: Domains rated per account: the ones with the most complaints and bounces.
TOP_DOMAINS = 5


@dataclass
class Evidence:
    """Everything one report is computed from, and the findings computed from it."""

    start: pd.Timestamp
    end: pd.Timestamp
    as_of: pd.Timestamp
    accounts: list[str]
    counts: pd.DataFrame  # daily suppressions per account
    spikes: pd.DataFrame  # find_spikes of counts
    rates: pd.DataFrame  # per account and per domain, per period
    freq: str
    findings: list[Finding] = field(default_factory=list)
    watch: list[str] = field(default_factory=list)  # over Gmail's aim, under the limit
    #: The range's complaints and (triaged) bounces, every account's, as read.
    complaints: pd.DataFrame = field(default_factory=pd.DataFrame)
    bounces: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Sentences on what could not be looked at (values too long to ask the API about).
    notes: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        """Messages the accounts sent in the range (from the per-account rates)."""
        mine = self.rates[self.rates["by"] == "account"] if len(self.rates) else self.rates
        return int(mine["sent"].fillna(0).sum()) if len(mine) else 0

    @property
    def empty(self) -> bool:
        """No suppression, no mail, no bounce and no complaint in the range."""
        return (
            int(self.counts["count"].fillna(0).sum()) == 0
            and self.sent == 0
            and len(self.complaints) == 0
            and len(self.bounces) == 0
        )

    @property
    def checked(self) -> str:
        """What was looked at, in words: said whether or not anything was found."""
        days = (self.end - self.start).days
        groups = len(self.rates[["account", "group"]].drop_duplicates()) if len(self.rates) else 0
        unit = {"MS": "month", "W-MON": "week"}.get(self.freq, self.freq)
        return (
            f"Checked {plural(len(self.accounts), 'account')} from {self.start:%Y-%m-%d} to "
            f"{self.end:%Y-%m-%d} ({plural(days, 'day')}): "
            f"{plural(self.counts['count'].sum(), 'suppression')} and "
            f"{plural(self.sent, 'message')} sent; each account's daily count against its "
            "rolling 29-day median (a spike stands at least 8 robust deviations above it); "
            f"complaint and bounce rates per {unit} for each account and, in it, the "
            f"{TOP_DOMAINS} domains, senders and X-header values with the most complaints and "
            f"bounces ({plural(groups, 'group')}) against Gmail's {SPAM_RATE_TARGET:.1%} aim, "
            f"the {SPAM_RATE_LIMIT:.1%} limit of Gmail and Yahoo and a "
            f"{judge.BOUNCE_RATE_LINE:.0%} bounce rate."
        )


def _with_account(frame: pd.DataFrame, session: Session) -> pd.DataFrame:
    """``frame`` with an ``account`` column: a read of the key's own account has none."""
    if "account" not in frame.columns:
        frame.insert(0, "account", session.identity())
    return frame


def accounts_of(session: Session, accounts: Accounts) -> list[str] | None:
    """The usernames to report on, as the account list spells them: those given (compared
    without case, as the API does), or every account a master key sees for None or
    ``"all"``; None for a sub-account key's own account.

    Raises
    ------
    ValueError
        ``accounts`` is empty or not usernames; or a sub-account key asks for others.
    KeyError
        A username the key does not see (before anything is read).
    """
    every = accounts is None or (isinstance(accounts, str) and accounts.strip().lower() == "all")
    given: list[str] = []
    if not every:
        listed = [accounts] if isinstance(accounts, str) else accounts
        if not isinstance(listed, list | tuple) or not listed:
            raise ValueError(f"accounts must be 'all', a username or usernames, not {accounts!r}")
        given = [n.strip() for n in listed if isinstance(n, str)]
        if len(given) != len(listed) or not all(given):
            raise ValueError(f"accounts must be 'all', a username or usernames, not {accounts!r}")
    try:
        known = session.account_keys()
    except InvalidAPIKey:  # a sub-account key cannot list accounts: its own only
        own = (session.username or "").lower()
        if every or all(n.lower() == own for n in given):
            return None
        raise ValueError(
            "a sub-account key reports on its own account only: leave accounts out, or "
            "use the master key"
        ) from None
    if every:
        return [name for name, _key in known.values()]
    names: list[str] = []
    for name in given:
        found = known.get(name.lower())
        if found is None:
            some = ", ".join(sorted(known)[:5]) + (", ..." if len(known) > 5 else "")
            raise KeyError(f"unknown account {name!r}: the key sees {some}")
        if found[0] not in names:
            names.append(found[0])
    return names


def gather(
    session: Session,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    accounts: Accounts,
    as_of: pd.Timestamp,
    progress: bool | None,
) -> Evidence:
    """Read the evidence and compute every finding, largest first."""
    who = accounts_of(session, accounts)
    read: dict[str, Any] = {"session": session, "progress": progress, "accounts": who}
    names = who or [session.identity()]
    listed = _small_list(start, end, read)
    if listed is not None:
        counts = _daily(listed, start, end, names, as_of)
    else:
        counts = _with_account(
            read_suppression_counts(start, end, freq="D", as_of=as_of, **read), session
        )
    # The complaint and bounce lists, read once: the rates' numerators, the values worth
    # rating, who sent what people complained of, and every spike's evidence.
    complaints = _with_account(read_events("complaints", start, end, **read), session)
    bounces = triage(_with_account(read_bounces(start, end, **read), session))
    spikes = _spikes(counts, complaints, bounces, start, end, read, names)
    freq = "MS" if (end - start).days >= 60 else "W-MON"
    notes: list[str] = []
    rates = _rates(start, end, freq, as_of, read, pd.concat([complaints, bounces]), names, notes)
    evidence = Evidence(start, end, as_of, names, counts, spikes, rates, freq)
    evidence.complaints, evidence.bounces, evidence.notes = complaints, bounces, notes
    shown = spikes.head(MAX_SPIKES)
    if len(shown):
        earlier = _earlier_complaints(start, read, [str(g) for g in shown["group"].unique()])
        for _i, spike in shown.iterrows():
            evidence.findings.append(_spike(spike, read, listed, evidence, earlier))
    for metric, account, periods in judge.rate_findings(rates):
        if metric == "complaint_rate":
            evidence.findings.append(_complaints(account, periods, complaints, read))
            continue
        rest = _outside_spikes(evidence.findings, account, periods)
        if len(rest):
            evidence.findings.append(judge.bounce_rate_finding(account, rest))
    evidence.findings.sort(key=lambda f: -f.weight)
    evidence.watch = judge.watch_list(rates) if len(rates) else []
    return evidence


def _spikes(
    counts: pd.DataFrame,
    complaints: pd.DataFrame,
    bounces: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    read: dict[str, Any],
    names: list[str],
) -> pd.DataFrame:
    """The spikes of the days each account's data covers (see :mod:`.coverage`)."""
    if not len(counts):
        return pd.DataFrame()
    spans = coverage.event_spans(counts, [(complaints, "complained_at"), (bounces, "bounced_at")])
    spans = coverage.mail_spans(spans, start, end, read, names)
    return find_spikes(coverage.masked(counts, spans))


def _earlier_complaints(
    start: pd.Timestamp, read: dict[str, Any], accounts: list[str]
) -> pd.DataFrame:
    """Every complaint the spiking accounts keep from before the range (an address that
    ever complained is never put back, however long ago)."""
    one = {**read, "accounts": accounts} if read["accounts"] else read
    return _with_account(read_complaints(None, start, **one), read["session"])


def _outside_spikes(found: list[Finding], account: str, periods: pd.DataFrame) -> pd.DataFrame:
    """The bounce-rate breaches of groups holding no spike day of the same account; a group
    that holds one is told within that spike (one incident, one finding)."""
    keep = []
    for (by, group), rows in periods.groupby(["by", "group"], observed=True):
        spike = next(
            (
                f
                for f in found
                if f.kind == "spike" and f.account == account and f.day is not None
                and ((rows["start"] <= f.day) & (rows["end"] > f.day)).any()
            ),
            None,
        )  # fmt: skip
        if spike is None:
            keep.append(rows)
            continue
        worst = rows.sort_values("bounce_rate").iloc[-1]
        line = f"{judge.BOUNCE_RATE_LINE:.0%}"
        spike.said.append(
            f"The bounce rate at {judge.where(str(by), str(group))} in the period from "
            f"{worst['start']:%Y-%m-%d} reached {worst['bounce_rate']:.1%} (line: {line}); "
            "this spike is in it."
        )
    return pd.concat(keep) if keep else periods.iloc[:0]


def _small_list(
    start: pd.Timestamp, end: pd.Timestamp, read: dict[str, Any]
) -> pd.DataFrame | None:
    """The range's suppressions when there are few enough to read whole (one count per
    account first): cheaper then than a count request per account and day."""
    if int(count_suppressions(start, end, **read).sum()) > LIST_AT_MOST:
        return None
    return _with_account(read_suppressions(start, end, **read), read["session"])


def _daily(
    listed: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    names: list[str],
    as_of: pd.Timestamp,
) -> pd.DataFrame:
    """Daily counts per account, shaped as :func:`mmframe.read_suppression_counts` gives."""
    days = pd.date_range(start.floor("D"), end, freq="D", inclusive="left", name="start")
    parts = []
    for name in names:
        mine = listed.loc[listed["account"].astype(str) == name, "suppressed_at"]
        per_day = mine.dt.floor("D").value_counts().reindex(days, fill_value=0)
        part = pd.DataFrame({"account": name, "count": per_day.astype("Int64")}, index=days)
        part.insert(1, "end", days + pd.Timedelta(days=1))
        parts.append(part)
    counts = pd.concat(parts)
    counts["is_complete"] = (counts["end"] <= as_of).astype("boolean")
    return counts


def _rates(
    start: pd.Timestamp,
    end: pd.Timestamp,
    freq: str,
    as_of: pd.Timestamp,
    read: dict[str, Any],
    lists: pd.DataFrame,
    names: list[str],
    notes: list[str],
) -> pd.DataFrame:
    """Rates per account, and per domain, sender and X-header value (each account's top
    ones by complaints and bounces), in one frame with ``by``/``group``; what could not be
    rated is said in ``notes``."""
    session = read["session"]
    lists = lists.reset_index(drop=True)
    scans: list[tuple[str, str, list[str] | None, Any]] = [
        ("account", "account", None, read["accounts"])
    ]
    headers = _headers(read)
    # Each account's own top values: a sender or campaign belongs to one account, so rating
    # it in every account would cost requests for counts of zero.
    for name in names:
        mine = lists[lists["account"].astype(str) == name]
        who = [name] if read["accounts"] else None
        for by in ("domain", "sender"):
            scans.append((by, by, _top(mine, by, by, notes), who))
        for header, column, owners in headers:
            if name in owners or not read["accounts"]:
                scans.append((header, column, _top(mine, column, header, notes), who))
    frames = []
    for by, column, chosen, accounts in scans:
        if chosen is not None and not chosen:
            continue
        rates = rates_of(
            start, end, freq=freq, by=by, values=chosen, top=TOP_DOMAINS, kinds=_COUNTED,
            options=cast(ReadOptions, {**read, "accounts": accounts, "as_of": as_of}),
        )  # fmt: skip
        rates = _with_account(rates, session)
        rates = rates.assign(by=by, group=rates[column].astype(str) if by != "account" else "")
        frames.append(_numerators(rates, lists, column if by != "account" else None))
    return add_rates(pd.concat(frames, ignore_index=True), as_of)


def _numerators(rates: pd.DataFrame, lists: pd.DataFrame, column: str | None) -> pd.DataFrame:
    """Complaints and hard and soft bounces per row of ``rates``, counted in the lists read
    (a list and its count agree exactly, so only sent and delivered cost count requests)."""
    out = rates.copy()
    names = {"complaints": "complaints", "hard": "hard_bounces", "soft": "soft_bounces"}
    for name in names.values():
        out[name] = 0
    if len(out) and len(lists):
        when = lists["complained_at"].combine_first(lists["bounced_at"])
        kind = lists["bounce_type"].astype(object).fillna("complaints").astype(str).map(names)
        starts = pd.DatetimeIndex(sorted(out["start"].unique()))
        slot = starts.searchsorted(when, side="right") - 1
        valid = (slot >= 0) & (when < out["end"].max()).to_numpy()
        rows = pd.DataFrame(
            {
                "account": lists["account"].astype(str).to_numpy()[valid],
                "group": lists[column].astype(str).to_numpy()[valid] if column else "",
                "start": starts[slot[valid]],
                "kind": kind.to_numpy()[valid],
            }
        )
        tally = rows.value_counts().unstack("kind", fill_value=0)
        key = pd.MultiIndex.from_arrays(
            [out["account"].astype(str), out["group"], out["start"]],
            names=["account", "group", "start"],
        )
        for name in names.values():
            if name in tally.columns:
                out[name] = tally[name].reindex(key, fill_value=0).to_numpy()
    for name in names.values():
        out[name] = out[name].astype("Int64")
    return out


def _top(rows: pd.DataFrame, column: str, name: str, notes: list[str]) -> list[str]:
    """The :data:`TOP_DOMAINS` values of ``column`` with the most complaints and bounces;
    none for a column of identifiers (most values once: a message id, not a group). A
    value longer than the API's filters take cannot be rated: ``notes`` says so."""
    if column not in rows.columns:
        return []
    values = rows[column].dropna().astype(str)
    counts = values[values != ""].value_counts()
    if not len(counts) or judge.identifiers(counts):
        return []
    top = [str(v) for v in counts.index[:TOP_DOMAINS]]
    long = [v for v in top if len(v) > MAX_FILTER_CHARS]
    if long:
        account = str(rows["account"].iloc[0])
        notes.append(
            f"{plural(len(long), 'value')} of {name} at {account} "
            f"({count(int(counts[long].sum()))} complaints and bounces) "
            f"{'is' if len(long) == 1 else 'are'} longer than the API can filter by "
            f"({MAX_FILTER_CHARS} characters): not rated."
        )
    return [v for v in top if len(v) <= MAX_FILTER_CHARS]


def _headers(read: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """``(name, column, accounts reporting on it)`` of each X-header the accounts use."""
    names = read_xheaders(session=read["session"], accounts=read["accounts"], progress=False)
    found: dict[str, tuple[str, list[str]]] = {}
    for row in names.itertuples(index=False):
        for slot in ("xheader1", "xheader2", "xheader3", "xheader4"):
            name = getattr(row, slot)
            if isinstance(name, str) and name:
                column = xheader_column(name)
                found.setdefault(column, (name, []))[1].append(str(row.account))
    return [(name, column, owners) for column, (name, owners) in found.items()]


def _spike(
    spike: pd.Series,
    read: dict[str, Any],
    listed: pd.DataFrame | None,
    evidence: Evidence,
    earlier: pd.DataFrame,
) -> Finding:
    """A spike's day of suppressions and its verdicts, judged on every bounce and
    complaint read (a week before the day at least, the range, and every complaint the
    account keeps from before it)."""
    account, day = str(spike["group"]), pd.Timestamp(spike["start"])
    nxt, week = day + pd.Timedelta(days=1), day - pd.Timedelta(days=7)
    one = {**read, "accounts": [account]} if read["accounts"] else read
    if listed is not None:  # the day's rows of the list already read, same columns and attrs
        mine = listed["account"].astype(str) == account
        rows = listed[mine & (listed["suppressed_at"] >= day) & (listed["suppressed_at"] < nxt)]
        rows = rows.reset_index(drop=True)
    else:
        rows = _with_account(read_suppressions(day, nxt, **one), read["session"])
    bounces = _own(evidence.bounces, account)
    if week < evidence.start:  # the week before the day reaches before the range
        before = triage(_with_account(read_bounces(week, evidence.start, **one), read["session"]))
        bounces = pd.concat([before, bounces], ignore_index=True)
    complaints = pd.concat([_own(earlier, account), _own(evidence.complaints, account)])
    fix = remediation_candidates(rows, bounces=bounces, complaints=complaints)
    if not read["accounts"]:  # the key's own account: rows as its own read gives them
        fix = fix.drop(columns="account")
    finding = judge.spike_finding(
        spike, fix, bounces, scope=read["accounts"] and [account], end=evidence.end,
        looked_back=_looked_back(earlier, account, evidence.start),
    )  # fmt: skip
    if finding.fix is not None:
        plan = activate(finding.fix, full=True, dry_run=True, session=read["session"],
                        progress=read["progress"])  # fmt: skip
        status = plan["status"].astype(str).value_counts()
        finding.dry_run = (
            f"Dry run: activating the {count(len(finding.fix))} rows would change "
            f"{count(status.get('planned', 0))} (taken off the list and reactivated); "
            f"{count(status.get('unchanged', 0))} already are. Nothing was written."
        )
    return finding


def _own(frame: pd.DataFrame, account: str) -> pd.DataFrame:
    """The rows of ``account`` in a frame read across accounts."""
    if not len(frame):
        return frame
    return frame[frame["account"].astype(str).str.lower() == account.lower()]


def _looked_back(earlier: pd.DataFrame, account: str, start: pd.Timestamp) -> str:
    """How far back complaints were looked for, in words."""
    mine = _own(earlier, account)
    if not len(mine):
        return (
            "Complaints were looked for back to the first the account keeps: it keeps none "
            f"before {start:%Y-%m-%d}."
        )
    first = mine["complained_at"].min()
    return (
        f"Complaints were looked for back to {first:%Y-%m-%d}, the first the account keeps "
        f"({plural(len(mine), 'complaint')} before {start:%Y-%m-%d})."
    )


def _complaints(
    account: str, periods: pd.DataFrame, complaints: pd.DataFrame, read: dict[str, Any]
) -> Finding:
    """A complaint-rate finding, with the complaints of its first group's periods (at its
    domain when that group is one) taken from the list already read."""
    by, group, first = judge.groups_over(periods, "complaint_rate")[0]
    at = complaints["complained_at"]
    mine = (complaints["account"].astype(str) == account) & (at >= first["start"].min())
    mine &= at < first["end"].max()
    if by == "domain":
        mine &= complaints["domain"].astype(str) == group
    scope = [account] if read["accounts"] else None
    return judge.complaint_finding(account, periods, complaints[mine], scope=scope)
