"""The report's spikes: found on the days each account's data covers, and each judged on
everything read until now (a fix acts on today's list, so today's evidence decides it: a
complaint or a dead address after the range's end keeps the address too)."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import pandas as pd

from .. import judged as judged_record
from ..analysis import remediation_candidates, triage
from ..analysis.evidence_gaps import SUB_KEY_ONLY, only_sub_key, vouch
from ..analysis.never_back import OPT_OUTS
from ..analysis.sender_first import waits_for_sender
from ..charts import find_spikes
from ..errors import EvidenceWarning
from ..loaders import read_bounces, read_complaints, read_event_counts, read_suppressions
from ..writes import activate
from ..writes.ahead import ahead
from . import coverage, retention
from . import findings as judge
from .finding import and_
from .findings import Finding
from .numbers import count, moment, plural
from .numbers import span as span_
from .scope import Scope, own

if TYPE_CHECKING:
    from .evidence import Evidence

#: At most this many spikes are explained (largest first); the rest are listed.
MAX_SPIKES = 5


def find(evidence: Evidence, scope: Scope) -> pd.DataFrame:
    """The spikes of the days each account's data covers (see :mod:`.coverage`); those
    days' counts are kept as ``evidence.covered`` (what a day the chart marks is judged on)."""
    counts = evidence.counts
    if not len(counts):
        return pd.DataFrame()
    lists = [(evidence.complaints, "complained_at"), (evidence.bounces, "bounced_at")]
    spans = coverage.event_spans(counts, lists)
    spans = coverage.mail_spans(spans, evidence.start, evidence.end, scope, evidence.accounts)
    quiet = coverage.without_mail(evidence.rates)
    evidence.covered = coverage.masked(counts, spans, quiet)
    return find_spikes(evidence.covered)


def judge_all(evidence: Evidence, scope: Scope, listed: pd.DataFrame | None) -> list[Finding]:
    """The findings of the :data:`MAX_SPIKES` largest spikes."""
    shown = evidence.spikes.head(MAX_SPIKES)
    if not len(shown):
        return []
    accounts = [str(g) for g in shown["group"].unique()]
    unlisted: retention.Unlisted = {}
    scope.split(1 + len(shown))  # what is read until now, then each spike's own reads
    with scope.part(parts=3) as reading:
        read = _until_now(evidence, reading, accounts, unlisted)
    found = []
    for _i, spike in shown.iterrows():
        # A spike's own reads: its day's rows (unless the list was read whole), then the
        # dry run of its fix (its checks' reads).
        with scope.part(parts=2 if listed is None else 1) as judging:
            found.append(_judged(spike, judging, listed, evidence, read, unlisted))
    return found


#: What a spike is judged on besides the day's rows: every complaint to the accounts the
#: key reads, every bounce of the spiking accounts outside the range, every suppression of
#: the accounts the key reads (their opt-outs), and every bounce of those accounts (not yet
#: triaged: only those of a day's addresses on other accounts are), each until now.
Read = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]


def _until_now(
    evidence: Evidence, scope: Scope, accounts: list[str], unlisted: retention.Unlisted
) -> Read:
    """Every complaint to the accounts the key reads, until now (``as_of``), every bounce
    the spiking accounts keep outside the range (before it, and after it until now), and
    every suppression and bounce of the accounts the key reads until now: whoever
    complained or opted out, however long ago or since, on any account the key reads (a
    master key reads them all, whatever ``--accounts`` narrows the report to), is never
    put back; neither is an address a server called dead at any time (a range starting
    after that bounce must not hide it), on this account or another. What a server no
    longer lists in full is noted in ``unlisted`` (:mod:`.retention`)."""
    until = max(evidence.end, evidence.as_of)
    every = scope.options(scope.readable())  # one complaint or opt-out anywhere keeps out
    kept = scope.framed(
        retention.listed(
            lambda: read_complaints(None, until, **every), "complaints", unlisted, "complained_at"
        )
    )
    # Every bounce until now in one read (one tally of what the server lists of them); the
    # range's own of the spiking accounts are the list already read and triaged.
    bounced = scope.framed(
        retention.listed(
            lambda: read_bounces(None, until, **every), "bounces", unlisted, "bounced_at"
        )
    )
    at, who = bounced["bounced_at"], bounced["account"].astype(str).str.lower()
    spiking = who.isin([a.lower() for a in accounts])
    other = triage(bounced[spiking & ((at < evidence.start) | (at >= evidence.end))])
    lists = scope.framed(read_suppressions(None, until, **every))  # not cut by retention
    # What a server stamped after this machine's now no loader returns; the activation reads
    # it, and refused the page's fix that put such a complainer back (37th review, 4).
    kept, lists = _with_ahead(kept, "complaints", scope), _with_ahead(lists, "opt_outs", scope)
    return kept, other.reset_index(drop=True), lists, bounced


def _with_ahead(frame: pd.DataFrame, kind: str, scope: Scope) -> pd.DataFrame:
    """``frame`` (complaints, or the suppression lists for ``kind`` ``opt_outs``) with the
    rows of its kind stamped after this machine's now on every account the key reads
    (:func:`mmframe.writes.ahead.ahead`), as the activation's checks read them."""
    extra = ahead(kind, scope.readable(), scope.session)  # None: a sub-account key's own
    if not len(extra):
        return frame
    time = "complained_at" if kind == "complaints" else "suppressed_at"
    rows = pd.DataFrame({"account": extra["account"], "email": extra["email"], time: extra["at"]})
    if kind == "opt_outs":
        rows["reason"] = extra["reason"]
    # Typed as the read's columns (an empty read's too): a concat would leave them object.
    rows = rows.astype({c: frame[c].dtype for c in rows.columns if c in frame.columns})
    out = pd.concat([frame, rows], ignore_index=True)
    out.attrs = dict(frame.attrs)  # the read's record: what came after it is checked still
    return out


def _theirs(everything: pd.DataFrame, rows: pd.DataFrame, account: str) -> pd.DataFrame:
    """The bounces of the day's addresses (``rows``) on accounts other than ``account``,
    triaged: a mailbox another account's servers called dead keeps an address out too
    (only those addresses' are triaged, not every account's every bounce)."""
    if not len(everything) or not len(rows):
        return everything.iloc[:0]
    address = everything["email"].astype(str).str.strip().str.lower()
    wanted = set(rows["email"].astype(str).str.strip().str.lower())
    mine = everything["account"].astype(str).str.lower() == account.lower()
    return triage(everything[~mine & address.isin(wanted)]).reset_index(drop=True)


def _judged(
    spike: pd.Series,
    scope: Scope,
    listed: pd.DataFrame | None,
    evidence: Evidence,
    read: Read,
    unlisted: retention.Unlisted,
) -> Finding:
    """A spike's day of suppressions and its verdicts, judged on every bounce the account
    keeps and every complaint and opt-out of the accounts read, until now (``read``: see
    :data:`Read`); nobody is put back where the server no longer lists them all."""
    kept, other, lists, everything = read
    account, day = str(spike["group"]), pd.Timestamp(spike["start"])
    # The day's part in the range, [start, end): a range ending inside the day (its end,
    # or as_of, which ends it) is judged up to its end, as one starting inside it from its
    # start; rows after the end are not what was asked about, and not what was counted.
    nxt = min(day + pd.Timedelta(days=1), evidence.end, evidence.as_of)
    since = evidence.start if day < evidence.start < day + pd.Timedelta(days=1) else None
    frm = since if since is not None else day
    one = scope.options([account])
    # The day's rows of the list already read (same columns and attrs: the range holds the
    # day's part judged); else read, as the printed fix reads it.
    if listed is not None:
        mine = listed["account"].astype(str) == account
        rows = listed[mine & (listed["suppressed_at"] >= frm) & (listed["suppressed_at"] < nxt)]
        rows = rows.reset_index(drop=True)
    else:
        rows = scope.framed(read_suppressions(frm, nxt, **one))
    parts = [own(other, account), own(evidence.bounces, account)]
    bounces = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    theirs = _theirs(everything, rows, account)  # a dead mailbox on another account
    judged = pd.concat([bounces, theirs], ignore_index=True) if len(theirs) else bounces
    # Every bounce until now, the range's and those outside it: whole from the first on the
    # accounts the key reads, as the read of them all records (the range's own read started
    # later, which its attrs would say; without a record remediation_candidates warns).
    judged = vouch(judged, everything)  # every row of the day's addresses: not a cut
    with warnings.catch_warnings():  # a sub-account key's reach: the page says it (elsewhere)
        warnings.filterwarnings("ignore", SUB_KEY_ONLY, EvidenceWarning)
        fix = remediation_candidates(rows, bounces=judged, complaints=kept, opt_outs=lists)
    if not scope.accounts:  # the key's own account: rows as its own read gives them
        fix = fix.drop(columns="account")
    # What this account or another counts but no longer lists may be a complaint or a dead
    # mailbox of one of these addresses: then nobody is put back (said once, at the end).
    short = retention.others(unlisted, account, scope.readable())
    gone = retention.unlisted_said(unlisted, account, short)
    fix = retention.withheld(fix, gone)
    said = _looked_back(kept, bounces, account, evidence, unlisted, (frm, nxt))
    there = elsewhere(scope.readable(), account, (kept, lists), fix, short)
    finding = judge.spike_finding(
        spike, fix, bounces, scope=scope.accounts and [account],
        looked_back=" ".join(part for part in (said, there, gone) if part),
        until=nxt, since=since, complaints_of=scope.readable(),
        listing=_listing(unlisted, account, scope, (frm, nxt)),
    )  # fmt: skip
    if finding.fix is not None:
        with scope.part() as checking:
            finding.dry_run = _dry_run(finding.fix, checking, max(evidence.end, evidence.as_of))
    return finding


def _listing(
    unlisted: retention.Unlisted,
    account: str,
    scope: Scope,
    span: tuple[pd.Timestamp, pd.Timestamp],
) -> retention.Listing:
    """From when the server lists ``account``'s bounces and complaints whole, and, where
    it lists not every bounce of the day's part judged (``span``), how many it counts
    there: what the spike's words about them may say (counted, not "none")."""
    frm, nxt = span
    bounces = retention.listed_from(unlisted, account, "bounces")
    complaints = retention.listed_from(unlisted, account, "complaints")
    counted = None
    if bounces is not None and bounces > frm:
        counts = read_event_counts("bounces", frm, nxt, **scope.options([account]))
        counted = int(counts["count"].fillna(0).sum())
    return retention.Listing(bounces, complaints, counted)


def elsewhere(
    accounts: list[str] | None,
    account: str,
    read: tuple[pd.DataFrame, pd.DataFrame],
    fix: pd.DataFrame,
    short: dict[str, dict[str, retention.Tally]] | None = None,
) -> str:
    """What the fix knows of complaints, opt-outs and dead mailboxes on other accounts, in
    words: those the key reads (``accounts``; ``read``: the complaints and the suppression
    lists; one on any keeps an address out, and how many of the day's rows ``fix`` sends
    to review for it), or that none were read (a sub-account key reads its own only).
    ``short``: what those accounts count but no longer list (:func:`.retention.others`):
    the counts found are then of the rows listed, and the rest is said, never as none."""
    kept, lists = read
    others = [a for a in accounts or [] if a.lower() != account.lower()]
    if not others:
        if accounts is not None:  # a master key with no other account: nothing to read
            return "The key reads no other account: only this one's rows decide."
        return (
            "Complaints and opt-outs on other accounts were not read, nor their bounces "
            "(this key reads its own account only): someone who complained to, unsubscribed "
            "from or was added by hand to another account of the same sender, or whose "
            "mailbox another account's servers called dead or hard-bounced, could be put back; "
            "a report "
            "with the master account's key reads them all and keeps those out."
        )
    n = _addresses(kept[kept["account"].astype(str).str.lower() != account.lower()])
    theirs = lists[lists["account"].astype(str).str.lower() != account.lower()]
    reason = theirs["reason"].astype(str)
    said = [
        f"{count(n_)} {_was(n_, did)}"
        for why, did in OPT_OUTS.items()
        if (n_ := _addresses(theirs[reason == why]))
    ]
    opted = f"on their lists, {and_(said)}" if said else "none opted out on their lists"
    held, dead, hard = _held_there(fix)
    short = short or {}
    complained = f"{plural(n, 'address', 'addresses')} complained there"
    if _short(short, "complaints"):  # what it lists, not all it counts: said so
        complained = (  # what it no longer lists is said once, at the end
            f"the complaints the server lists there are from {plural(n, 'address', 'addresses')}"
        )
    bounces = ", those the server lists" if _short(short, "bounces") else ""
    return (
        "Complaints and opt-outs on the "
        f"{plural(len(others), 'other account')} read were looked for too "
        f"({complained}; {opted}): whoever "
        "complained, unsubscribed or was added by hand on any of them is not put back here"
        + (f"; {count(held)} of this day's go to review for it." if held else ".")
        + f" Their bounces were read too{bounces}: a mailbox their servers called dead is not "
        "put back here either, nor one the API called hard-bounced there in words naming no "
        "cause that passes (their refusals of their own sender, named in words, decide "
        "nothing)"
        + (f"; {count(dead + hard)} of this day's go to review for it" if dead + hard else "")
        + (f" ({count(dead)} for a dead mailbox, {count(hard)} for such a hard bounce)"
           if dead and hard else "")
        + "."
    )  # fmt: skip


def _held_there(fix: pd.DataFrame) -> tuple[int, int, int]:
    """How many of the day's rows go to review for another account's complaint or
    opt-out, its dead mailbox, and its hard bounce in words naming no cause that passes:
    the rules' own words (mmframe.analysis.never_back and .hard_bounces) name
    the other account so."""
    evidence, review = fix["evidence"].astype(str), fix["verdict"].astype(str) == "review"
    held, dead, hard = (
        int((evidence.str.contains(words, regex=False) & review).sum())
        for words in (" another account, ", "another account's servers (",
                      "(another account) hard on")
    )  # fmt: skip
    return held, dead, hard


def _short(short: dict[str, dict[str, retention.Tally]], what: str) -> bool:
    """Whether any of the other accounts counts ``what`` it no longer lists."""
    return any(what in tallies for tallies in short.values())


def _addresses(frame: pd.DataFrame) -> int:
    """How many distinct addresses ``frame`` holds (trimmed, without case)."""
    return int(frame["email"].astype(str).str.strip().str.lower().nunique()) if len(frame) else 0


def _was(n: int, did: str) -> str:
    """``did`` ("unsubscribed", "was added by hand") said of ``n`` addresses."""
    return did.replace("was ", "were ", 1) if n != 1 and did.startswith("was ") else did


def _dry_run(fix: pd.DataFrame, scope: Scope, until: pd.Timestamp) -> str:
    """The fix's dry run against the server, in words, as of ``until`` (the page's now)."""
    # A row whose state could not be read is marked, and the report goes on without it.
    # What came after the page's moment (as_of) is not this page's to judge: its own dry
    # run looks no later (the printed fix, run later, reads up to its own now).
    bounded = fix.copy()
    judged_record.bound_ends(bounded, until)
    with warnings.catch_warnings():
        if only_sub_key(fix):  # a sub-account key's reach: the page says it (elsewhere)
            warnings.filterwarnings("ignore", "activate: these rows were judged", EvidenceWarning)
        plan = activate(bounded, full=True, dry_run=True, session=scope.session,
                        progress=scope.progress, on_error="warn")  # fmt: skip
    status = plan["status"].astype(str).value_counts()
    held = int(waits_for_sender(fix).sum())
    wait = f" Of them, {count(held)} wait for the code's later step." if held else ""
    return (
        f"Dry run: activating the {plural(len(fix), 'row')} would change "
        f"{count(status.get('planned', 0))} (taken off the list and reactivated); "
        f"{count(status.get('unchanged', 0))} already are.{wait} Nothing was written."
    )


def _looked_back(
    kept: pd.DataFrame,
    bounced: pd.DataFrame,
    account: str,
    evidence: Evidence,
    unlisted: retention.Unlisted,
    span: tuple[pd.Timestamp, pd.Timestamp],
) -> str:
    """How far complaints and bounces were looked for, in words: as far back as the account
    keeps them, or, where the server lists fewer than it counts, as far as it lists them;
    and what the printed fix reads (``span``: the part of the day's suppressions it reads)."""
    mine = own(kept, account)
    stop = max(evidence.end, evidence.as_of)
    until = moment(stop)
    # What a server stamped after the page's moment (read as the activation reads it) is
    # said apart: "looked for back to tomorrow, until now" was (38th review, B4).
    ahead = int((mine["complained_at"] > stop).sum()) if len(mine) else 0
    mine = mine[mine["complained_at"] <= stop] if ahead else mine
    beyond = (
        f", and {count(ahead)} stamped after it (a server's clock ahead of this machine's)"
        if ahead
        else ""
    )
    short = retention.tallies(unlisted, account)
    who = {
        w: "the server lists" if w in short else "the account keeps"
        for w in ("complaints", "bounces")
    }
    first = f", the first on {bounced['bounced_at'].min():%Y-%m-%d}" if len(bounced) else ": none"
    bounces = (
        f" Its bounces were looked for as far back as {who['bounces']} them{first}, until "
        f"{until}: an address any of them calls dead stays suppressed."
    )
    if not short:  # the printed fix reads on until it runs; the day up to the moment taken
        frm, nxt = span
        day = (
            "whole day's suppressions"
            if frm == frm.floor("D") and nxt == nxt.floor("D")
            else f"day's suppressions {span_(frm, nxt)}"
        )
        bounces += (
            " The printed fix reads the same, and any bounce, complaint or opt-out since, up "
            f"to the moment it runs, with the {day}."
        )
    if not len(mine):
        none = "lists none" if "complaints" in short else "keeps none"
        return (
            f"{account}'s complaints were looked for as far back as {who['complaints']} them, "
            f"until {until}: it {none}{' before then' if ahead else ''}{beyond}."
            + (" Whoever complained stays suppressed." if ahead else "")
            + bounces
        )
    first = f"{mine['complained_at'].min():%Y-%m-%d}"
    return (
        f"{account}'s complaints were looked for back to {first}, the first "
        f"{who['complaints']}, until "
        f"{until} ({plural(len(mine), 'complaint')}){beyond}: whoever complained stays "
        "suppressed." + bounces
    )
