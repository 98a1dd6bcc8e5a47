"""The report's spikes: found on the days each account's data covers, and each judged on
everything read until now (a fix acts on today's list, so today's evidence decides it: a
complaint or a dead address after the range's end keeps the address too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..analysis import remediation_candidates, triage
from ..charts import find_spikes
from ..loaders import read_bounces, read_complaints, read_suppressions
from ..writes import activate
from . import coverage, retention
from . import findings as judge
from .bounce_advice import fix_first_causes
from .findings import Finding
from .numbers import count, plural
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
    kept, other = _until_now(evidence, scope, accounts, unlisted)
    return [
        _judged(spike, scope, listed, evidence, (kept, other), unlisted)
        for _i, spike in shown.iterrows()
    ]


def _until_now(
    evidence: Evidence, scope: Scope, accounts: list[str], unlisted: retention.Unlisted
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every complaint the spiking accounts keep, until now (``as_of``), and every bounce
    they keep outside the range (before it, and after it until now): whoever complained,
    however long ago or since, is never put back; neither is an address a server called
    dead at any time (a range starting after that bounce must not hide it). What a server
    no longer lists in full is noted in ``unlisted`` (:mod:`.retention`)."""
    one = scope.options(accounts)
    until = max(evidence.end, evidence.as_of)
    every = scope.options()  # complaints to any account read keep an address out of all
    kept = scope.framed(
        retention.listed(lambda: read_complaints(None, until, **every), "complaints", unlisted)
    )
    before = retention.listed(
        lambda: read_bounces(None, evidence.start, **one), "earlier bounces", unlisted
    )
    parts = [triage(scope.framed(before))]
    if evidence.as_of > evidence.end:
        parts.append(triage(scope.framed(read_bounces(evidence.end, evidence.as_of, **one))))
    other = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    return kept, other


def _judged(
    spike: pd.Series,
    scope: Scope,
    listed: pd.DataFrame | None,
    evidence: Evidence,
    read: tuple[pd.DataFrame, pd.DataFrame],
    unlisted: retention.Unlisted,
) -> Finding:
    """A spike's day of suppressions and its verdicts, judged on every bounce and every
    complaint the account keeps, until now (``read``: the complaints, and the bounces
    outside the range); nobody is put back where the server no longer lists them all."""
    kept, other = read
    account, day = str(spike["group"]), pd.Timestamp(spike["start"])
    # The day up to the time taken as now: what was not there then is not judged.
    nxt = min(day + pd.Timedelta(days=1), max(evidence.end, evidence.as_of))
    one = scope.options([account])
    # The day's rows of the list already read (same columns and attrs), when the range holds
    # the whole day; a day the range cuts is read whole, as the printed fix reads it.
    if listed is not None and evidence.start <= day and nxt <= evidence.end:
        mine = listed["account"].astype(str) == account
        rows = listed[mine & (listed["suppressed_at"] >= day) & (listed["suppressed_at"] < nxt)]
        rows = rows.reset_index(drop=True)
    else:
        rows = scope.framed(read_suppressions(day, nxt, **one))
    parts = [own(other, account), own(evidence.bounces, account)]
    bounces = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    fix = remediation_candidates(rows, bounces=bounces, complaints=kept)
    if not scope.accounts:  # the key's own account: rows as its own read gives them
        fix = fix.drop(columns="account")
    note = retention.note_for(unlisted, account)
    fix = retention.withheld(fix, note)
    finding = judge.spike_finding(
        spike, fix, bounces, scope=scope.accounts and [account],
        looked_back=(_looked_back(kept, bounces, account, evidence) + " "
                     + elsewhere(scope.accounts, account, kept) + " " + note).strip(),
        until=nxt, complaints_of=scope.accounts,
    )  # fmt: skip
    if finding.fix is not None:
        finding.dry_run = _dry_run(finding.fix, scope)
    return finding


def elsewhere(accounts: list[str] | None, account: str, kept: pd.DataFrame) -> str:
    """What the fix knows of complaints to other accounts, in words: those read (a
    complaint to any keeps an address out), or that none were."""
    others = [a for a in accounts or [] if a.lower() != account.lower()]
    if not others:
        return (
            "Complaints to other accounts were not read (this report reads "
            + ("this key's account only" if accounts is None else f"{account} only")
            + "): someone who complained to another account of the same sender could be "
            "put back; a report over all of them keeps those out."
        )
    theirs = kept[kept["account"].astype(str).str.lower() != account.lower()] if len(kept) else kept
    n = theirs["email"].astype(str).str.strip().str.lower().nunique() if len(theirs) else 0
    return (
        f"Complaints to the {plural(len(others), 'other account')} read were looked for too "
        f"({plural(n, 'address', 'addresses')} complained there): whoever complained to any "
        "of them is not put back here."
    )


def _dry_run(fix: pd.DataFrame, scope: Scope) -> str:
    """The fix's dry run against the server, in words."""
    # A row whose state could not be read is marked, and the report goes on without it.
    plan = activate(fix, full=True, dry_run=True, session=scope.session,
                    progress=scope.progress, on_error="warn")  # fmt: skip
    status = plan["status"].astype(str).value_counts()
    held = int(fix["cause"].astype(str).isin(fix_first_causes()).sum())
    wait = f" Of them, {count(held)} wait for the code's later step." if held else ""
    return (
        f"Dry run: activating the {count(len(fix))} rows would change "
        f"{count(status.get('planned', 0))} (taken off the list and reactivated); "
        f"{count(status.get('unchanged', 0))} already are.{wait} Nothing was written."
    )


def _looked_back(
    kept: pd.DataFrame, bounced: pd.DataFrame, account: str, evidence: Evidence
) -> str:
    """How far complaints and bounces were looked for, in words."""
    mine = own(kept, account)
    until = max(evidence.end, evidence.as_of)
    first = f", the first on {bounced['bounced_at'].min():%Y-%m-%d}" if len(bounced) else ": none"
    bounces = (
        " Bounces were looked for as far back as the account keeps them"
        f"{first}, until {until:%Y-%m-%d}: an address any of them calls dead stays "
        "suppressed; the printed fix reads the same."
    )
    if not len(mine):
        return (
            "Complaints were looked for as far back as the account keeps them, until "
            f"{until:%Y-%m-%d}: it keeps none." + bounces
        )
    first = mine["complained_at"].min()
    return (
        f"Complaints were looked for back to {first:%Y-%m-%d}, the first the account keeps, "
        f"until {until:%Y-%m-%d} ({plural(len(mine), 'complaint')}): whoever complained "
        "stays suppressed." + bounces
    )
