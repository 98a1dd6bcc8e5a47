"""What the report reads: the accounts, their daily suppressions, rates, and each spike's rows.

Reading is kept apart from judging (:mod:`mmframe.reporting.findings`) and from laying out
(:mod:`mmframe.reporting.render`), so a scenario test can check each on its own. The rates
are :mod:`.rating`'s, the spikes :mod:`.spikes`'; :mod:`.scope` says whose rows are read.
"""

from __future__ import annotations

import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pandas as pd

from ..analysis import triage
from ..analysis.rates import SPAM_RATE_LIMIT, SPAM_RATE_TARGET
from ..analysis.spikes import SPIKE_WINDOW, least_days
from ..client import Session
from ..client.checks import CacheSetting
from ..loaders import (
    count_suppressions,
    read_bounces,
    read_events,
    read_suppression_counts,
    read_suppressions,
)
from ..options import Accounts, ReadOptions
from ..progress import Show
from ..xheader_names import is_xheader, xheader_column
from . import breaches, headline, limits, retention
from . import findings as judge
from . import senders as senders_
from . import spikes as spiking
from .counting import daily
from .findings import Finding
from .numbers import capital, count, duration, plural, span
from .rating import MOST_RATED, TOP_DOMAINS, combined, read_scans, scans_for
from .scope import Scope, accounts_of, own

__all__ = ["Evidence", "accounts_of", "gather"]

#: At most this many spikes are explained (largest first); the rest are listed.
MAX_SPIKES = 5
#: Up to this many suppressions in the range are read as a list (daily counts from it).
LIST_AT_MOST = 250_000


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
    #: Sentences on what could not be judged (see :mod:`.limits`).
    unjudged: list[str] = field(default_factory=list)
    #: Each account's counts over the previous range of equal length (:mod:`.headline`).
    previous: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Daily suppressions per account on the days its data covers (missing elsewhere): what
    #: spikes are found on (:mod:`.coverage`).
    covered: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The senders' authentication, judged (:mod:`.senders`).
    senders: senders_.Senders = field(default_factory=senders_.Senders)
    #: Where the range was cut at ``as_of``: how its end was asked for, in words ("" if not).
    cut: str = ""

    @property
    def headlines(self) -> list[headline.Headline]:
        """Each account's headline figures, against the previous range."""
        now = headline.totals(self.rates)
        return headline.headlines(
            now, self.previous, self.accounts, self.start, self.end, rates=self.rates
        )

    @property
    def previous_said(self) -> str:
        """The previous range the headline compares with, named once."""
        return headline.previous_said(self.start, self.end)

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
        rated = self.rates
        if len(rated):  # a group with no mail has no rate: not one rated (ninth review, F9)
            rated = rated[rated["bounce_rate"].notna() | rated["complaint_rate"].notna()]
        groups = len(rated[["account", "group"]].drop_duplicates()) if len(rated) else 0
        judged = plural(groups, "group") if groups else "none had mail to rate"
        unit = {"MS": "month", "W-MON": "week"}.get(self.freq, self.freq)
        return (
            f"Checked {plural(len(self.accounts), 'account')} {span(self.start, self.end)} "
            f"({duration(self.start, self.end)}): "
            f"{plural(self.counts['count'].sum(), 'suppression')} and "
            f"{plural(self.sent, 'message')} sent; each account's daily count against its "
            f"usual day (the middle value of the {SPIKE_WINDOW} days around it): a spike is a "
            "day above it by at least 8 times the usual day-to-day variation; "
            f"complaint and bounce rates per {unit} for each account and, in it, the "
            f"{TOP_DOMAINS} domains, senders and X-header values with the most complaints and "
            f"bounces, and every other with {judge.MIN_COMPLAINTS} complaints or "
            f"{judge.MIN_BOUNCES} bounces (up to {MOST_RATED}; {judged}) "
            f"against Gmail's {SPAM_RATE_TARGET:.1%} aim, "
            f"the {SPAM_RATE_LIMIT:.1%} limit of Gmail and Yahoo and a "
            f"{judge.BOUNCE_RATE_LINE:.0%} bounce rate (a {unit} with fewer than "
            f"{judge.MIN_COMPLAINTS} complaints or {judge.MIN_BOUNCES} bounces is judged within "
            "the range as a whole, not alone)."
        )


def gather(
    session: Session,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    accounts: Accounts,
    as_of: pd.Timestamp,
    progress: Show,
    cache: CacheSetting = None,
) -> Evidence:
    """Read the evidence and compute every finding, largest first."""
    scope = Scope(session, accounts_of(session, accounts), progress, cache)
    names = scope.accounts or [session.identity()]
    with scope.stage("suppressions", parts=2) as staged:  # a count, then a list or counts
        listed = _small_list(start, end, staged)
        if listed is not None:
            counts = daily(listed, start, end, names, as_of)
        else:
            options: ReadOptions = {**staged.options(), "as_of": as_of}
            counts = scope.framed(read_suppression_counts(start, end, freq="D", **options))
    # The complaint and bounce lists, read once: the rates' numerators, the values worth
    # rating, who sent what people complained of, and every spike's evidence.
    # A server that lists only its latest rows leaves the earlier ones counted, not listed.
    unlisted: retention.Unlisted = {}
    complaints, bounces = _lists(start, end, scope, unlisted)
    freq = "MS" if (end - start).days >= 60 else "W-MON"
    notes = [_unlisted(name, unlisted) for name in [*names, ""] if name.lower() in unlisted]
    evidence = Evidence(start, end, as_of, names, counts, pd.DataFrame(), pd.DataFrame(), freq)
    evidence.complaints, evidence.bounces, evidence.notes = complaints, bounces, notes
    _rates_and_spikes(evidence, scope, listed, counted=bool(unlisted))
    rates = evidence.rates
    for metric, account, periods in judge.rate_findings(rates):
        if metric == "complaint_rate":
            by = [str(b) for b in rates["by"].unique()]
            since = retention.listed_from(unlisted, account, "complaints")
            evidence.findings.append(
                _complaints(account, periods, complaints, scope, by, since, freq)
            )
            continue
        since = retention.listed_from(unlisted, account, "bounces")
        rest = breaches.outside_spikes(evidence.findings, account, periods, evidence.bounces, since)
        if len(rest):
            evidence.findings.append(_bounce_rate(evidence, account, rest, listed, scope, since))
    evidence.findings.sort(key=lambda f: -f.weight)
    for finding in evidence.findings:  # "this key's account's ..." opens some (F13)
        finding.said = [capital(said) for said in finding.said]
        finding.summary = capital(finding.summary)
    evidence.watch = judge.watch_list(rates) if len(rates) else []
    evidence.unjudged = limits.unjudged(evidence)
    with scope.stage("the previous range's counts") as staged:
        evidence.previous = headline.read_previous(staged, start, end, freq, as_of)
    evidence.senders = senders_.judged(scope)
    return evidence


#: The stage that counts the mail of every account, domain, sender and X-header value, and
#: finds and judges the spikes, at once (one bar: its parts run together).
COUNTS_AND_SPIKES = "counts and spikes: sent, delivered, complaints, bounces"


def _rates_and_spikes(
    evidence: Evidence, scope: Scope, listed: pd.DataFrame | None, *, counted: bool
) -> None:
    """The rates, and the spikes: judged while the rates of the domains, senders and
    X-header values are read (the spikes need only the per-account ones, read first). The
    two are the report's longest reads; in turn, each waited for the other. One stage,
    its bar in three parts: the counts, finding the spikes, judging them."""
    e = evidence
    lists = pd.concat([e.complaints, e.bounces], ignore_index=True)
    with scope.stage(COUNTS_AND_SPIKES, parts=3) as staged, staged.part() as counting:
        scans = scans_for(counting, lists, e.accounts, e.notes)
        read = functools.partial(
            read_scans, start=e.start, end=e.end, freq=e.freq, as_of=e.as_of, scope=counting,
            lists=lists, counted=counted,
        )  # fmt: skip
        first = read(scans[:1])  # per account: what tells the months without mail
        e.rates = combined(first, e.freq, e.as_of)
        stop = threading.Event()  # a failure here (Ctrl-C) ends the reads beside it too
        background = ThreadPoolExecutor(1, thread_name_prefix="mmframe-rates")
        rest = background.submit(read, scans[1:], stop=stop)
        try:
            with staged.part() as spotting:
                e.spikes = spiking.find(e, spotting)
            if rest.done():  # the counts beside failed already: no judging for nothing
                rest.result()
            with staged.part() as judging:
                e.findings.extend(spiking.judge_all(e, judging, listed))
            frames = first + rest.result()
        except BaseException:
            # Not waited for: the scan under way ends as the caller's session closes (the
            # command's, at once), or on its own; none follows it (``stop``).
            stop.set()
            background.shutdown(wait=False, cancel_futures=True)
            raise
        background.shutdown()
    e.rates = combined(frames, e.freq, e.as_of)


def _lists(
    start: pd.Timestamp, end: pd.Timestamp, scope: Scope, unlisted: retention.Unlisted
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The range's complaints and (triaged) bounces, as far as the server lists them (what
    it counts but no longer lists is noted in ``unlisted``)."""
    complaints = scope.framed(
        retention.listed(
            lambda: read_events("complaints", start, end, **scope.options()), "complaints",
            unlisted, "complained_at",
        )
    )  # fmt: skip
    listed = retention.listed(
        lambda: read_bounces(start, end, **scope.options()), "bounces", unlisted, "bounced_at"
    )
    return complaints, triage(scope.framed(listed))


def _unlisted(account: str, unlisted: retention.Unlisted) -> str:
    """Which of ``account``'s complaints and bounces of the range are counted but not
    listed, in words: their rates come from the counts, and nothing is said of whom."""
    short = unlisted[account.lower()].items()
    said = " ".join(t.said(f"{what} of this range") for what, t in short)
    who = account or "this key's account"
    return (
        f"At {who}: {said} The periods before are counted but not "
        "listed (the hosted service lists the last 30 days): their rates come from the "
        "counts, and nothing is said of whom they were about, at which domain, or what the "
        "servers said."
    )


def _bounce_rate(
    evidence: Evidence,
    account: str,
    periods: pd.DataFrame,
    listed: pd.DataFrame | None,
    scope: Scope,
    listed_from: pd.Timestamp | None = None,
) -> Finding:
    """A bounce-rate finding, its advice read from the bounces of its periods and the
    account's suppressions in the range (a temporary refusal that ended in one does not
    pass with time), and whether its data was enough to judge them as a spike (the server
    lists the account's bounces from ``listed_from``: None, all of them)."""
    said = _in_every_group(evidence.bounces, "bounced_at", account, periods, "bounce_rate")
    if listed is None and len(said):  # too many to have been read whole: the account's
        since = said["bounced_at"].min()
        listed = scope.framed(read_suppressions(since, evidence.end, **scope.options([account])))
    suppressed = own(listed, account) if listed is not None else None
    least = least_days(SPIKE_WINDOW)
    covered = evidence.covered
    days = int(covered[account].notna().sum()) if account in covered.columns else 0
    short = evidence.end - evidence.start < pd.Timedelta(days=least) or days < least
    # What most were is said of the first group's, as its hard and soft counts are; how
    # many the server lists is told of them too (the table shows their counts).
    first = _in_first_group(evidence.bounces, "bounced_at", account, periods, "bounce_rate")
    finding = judge.bounce_rate_finding(
        account, periods, said, suppressed=suppressed, short_of=least if short else None,
        listed_from=listed_from, first_listed=first,
    )  # fmt: skip
    # A period a spike tells too is said so: its figures are in this finding's as well.
    finding.said.extend(breaches.told_in_spikes(periods))
    return _listed_of(finding, periods, first, "bounce_rate")


def _in_first_group(
    events: pd.DataFrame, time: str, account: str, periods: pd.DataFrame, metric: str
) -> pd.DataFrame:
    """The account's events in the periods of a rate finding's first group (at its domain
    when that group is one), taken from the list already read: what the finding's words
    about them are computed from."""
    by, group, first = judge.groups_over(periods, metric)[0]
    mine = (events["account"].astype(str) == account) & _in_group(events, by, group)
    chosen: pd.DataFrame = events[mine & _in_periods(events[time], first)]
    return chosen


def _in_every_group(
    events: pd.DataFrame, time: str, account: str, periods: pd.DataFrame, metric: str
) -> pd.DataFrame:
    """The account's events in the periods of every group a rate finding lists (each at
    its own domain or sender when the group is one), each event once: what the finding's
    advice is read from, so a cause of another group than the titled one is not missed."""
    own = events["account"].astype(str) == account
    mine = pd.Series(False, index=events.index)
    for by, group, rows in judge.groups_over(periods, metric):
        mine |= own & _in_group(events, by, group) & _in_periods(events[time], rows)
    chosen: pd.DataFrame = events[mine]
    return chosen


def _in_periods(at: pd.Series, rows: pd.DataFrame) -> pd.Series:
    """Whether each moment lies in one of ``rows``' periods (each its own, not the span
    from the first to the last: a group over the line in October and December is not in
    November)."""
    hit = pd.Series(False, index=at.index)
    for start, end in zip(rows["start"], rows["end"], strict=True):
        hit |= (at >= start) & (at < end)
    return hit


def _in_group(events: pd.DataFrame, by: str, group: str) -> pd.Series:
    """Whether each event is of the group: its domain, sender or X-header value (an
    X-header named as the accounts name it, ``X-Campaign``, held in ``x_campaign``), or any
    of the account's for the account as a whole. An X-header the rows do not hold is of no
    event: counting the account's every bounce under one campaign's name told a campaign of
    hard bounces alone that most of its bounces were another campaign's storm (ninth
    review, F5)."""
    if by == "account":
        return pd.Series(True, index=events.index)
    column = by if by in events.columns else xheader_column(by) if is_xheader(by) else by
    if column not in events.columns:
        return pd.Series(False, index=events.index)
    values = events[column].astype(str).str.strip()
    if column in ("domain", "sender"):
        return values.str.lower() == group.strip().lower()
    return values == group.strip()


def _small_list(start: pd.Timestamp, end: pd.Timestamp, scope: Scope) -> pd.DataFrame | None:
    """The range's suppressions when there are few enough to read whole (one count per
    account first): cheaper then than a count request per account and day."""
    if int(count_suppressions(start, end, **scope.options()).sum()) > LIST_AT_MOST:
        return None
    return scope.framed(read_suppressions(start, end, **scope.options()))


def _complaints(
    account: str,
    periods: pd.DataFrame,
    complaints: pd.DataFrame,
    scope: Scope,
    rates_by: list[str],
    since: pd.Timestamp | None = None,
    freq: str = "W-MON",
) -> Finding:
    """A complaint-rate finding, with the complaints of its first group's periods (at its
    domain when that group is one) taken from the list already read (the server lists the
    account's from ``since``: None, all of them; ``freq`` the page's periods)."""
    mine = _in_first_group(complaints, "complained_at", account, periods, "complaint_rate")
    named = [account] if scope.accounts else None
    # Each X-header rated is a ``by`` of the rates, spelt as the accounts spell it.
    headers = {xheader_column(str(b)): str(b) for b in rates_by if is_xheader(b)}
    finding = judge.complaint_finding(
        account, periods, mine, scope=named, headers=headers, listed_from=since, freq=freq
    )
    return _listed_of(finding, periods, mine, "complaint_rate", unlisted_from=since)


def _listed_of(
    finding: Finding,
    periods: pd.DataFrame,
    rows: pd.DataFrame,
    metric: str,
    *,
    unlisted_from: pd.Timestamp | None = None,
) -> Finding:
    """``finding``, saying how many of its first group's complaints or bounces (counted)
    the server lists, where it lists fewer: its words about them rest on those alone; where
    it lists none, on its counts alone (no word rests on rows it does not list). Where the
    server lists none of the periods' (it lists the account's from ``unlisted_from``, after
    them), a complaint finding has said so already: not twice in a row."""
    first = judge.groups_over(periods, metric)[0][2]
    said_so = unlisted_from is not None and metric == "complaint_rate"
    if said_so and unlisted_from >= first["end"].max():
        return finding
    what = "complaints" if metric == "complaint_rate" else "bounces"
    counted = first[["complaints"] if what == "complaints" else ["hard_bounces", "soft_bounces"]]
    total = int(counted.fillna(0).to_numpy().sum())
    if not len(rows) and total:  # nothing listed: the figures are the counts alone
        finding.said.append(
            f"The server lists none of the {retention.counted(total, what)} of these periods: the "
            "figures here come from its counts."
        )
    elif len(rows) < total:
        finding.said.append(
            f"The server lists {count(len(rows))} of the {count(total)} {what} of these "
            "periods (the rates come from its counts): what is said of them here rests on "
            "those it lists."
        )
    return finding
