"""A spike's fix as code: the report's own reads and rule, every value a literal, that
dry-runs as printed and applies only once its commented steps are taken out."""

from __future__ import annotations

import re

import pandas as pd

from ..analysis.sender_first import waits_for_sender
from .numbers import count


def spike_fix_code(
    account: str,
    day: pd.Timestamp,
    scope: list[str] | None,
    rows: pd.DataFrame,
    until: pd.Timestamp | None = None,
    complaints_of: list[str] | None = None,
    *,
    since: pd.Timestamp | None = None,
    blind: bool = False,
) -> str:
    """The code of a spike's fix: the report's own reads (the day's rows up to ``until``,
    default the day's end; every bounce, complaint and suppression the accounts
    ``complaints_of`` keep, read as ``accounts="all"`` where they are more than one,
    default ``scope``) and rule, until the moment it runs (whoever complains, opts out or
    turns out dead by then stays suppressed), every value a literal. ``rows`` are the rows
    it reactivates when the report is written.

    Running it whole connects and dry-runs, nothing more: the apply is a step of its own,
    commented out, and the refusals the sender must fix first are a later step still
    (``blind``: a sub-account's key; its code says its rows are not checked elsewhere)."""
    every = complaints_of if scope and complaints_of else scope
    # A master key reads every account, whatever the report was narrowed to: "all", so the
    # code also reads an account added since.
    several = bool(every) and len(every or []) > 1
    nxt = day + pd.Timedelta(days=1) if until is None else min(until, day + pd.Timedelta(days=1))
    held = waits_for_sender(rows)
    return SPIKE_FIX.format(
        key=(
            "the URL and key from MMFRAME_URL and MMFRAME_APIKEY"
            if scope
            else "MMFRAME_URL, and in MMFRAME_APIKEY this account's own key (the report's)"
        ),
        who=repr({"accounts": scope} if scope else {}),
        everyone=repr({"accounts": "all"}) if several else "who",
        bounced=(
            "every bounce of every account: a mailbox any of them calls dead stays out"
            if several
            else "every bounce the account keeps"
        ),
        kept=(
            "every complaint of every account the key reads: one to any of them keeps the "
            "address out"
            if several
            else "every complaint the account keeps"
        ),
        lists=(
            "their suppression lists: an unsubscribe, a complaint or an address added by "
            "hand on any of them keeps the address out"
            if several
            else "its suppression list: an unsubscribe, a complaint or an address added by "
            "hand on it keeps the address out"
        ),
        day=repr(_moment(since) if since is not None else f"{day:%Y-%m-%d}"),
        next_day=repr(_moment(nxt)),
        caution=_unchecked_comment(len(rows)) if blind else "",
        now=count(int((~held).sum())),
        later=count(int(held.sum())),
        journal=repr(spike_journal(account, day, scope)),
    ).strip()


def _unchecked_comment(n: int) -> str:
    """The code's comment that its ``n`` rows were not checked against other accounts."""
    these = f"none of these {count(n)} was" if n != 1 else "this one was not"
    return (
        f"# This key reads its own account only: {these} checked against the sender's\n"
        "# other accounts' complaints, opt-outs and dead mailboxes (the master key's report\n"
        "# reads them all).\n"
    )


def spike_journal(account: str, day: pd.Timestamp, scope: list[str] | None) -> str:
    """The journal file a spike's fix names: the account (when the key sees others too)
    and the day."""
    name = re.sub(r"[^A-Za-z0-9@._+-]", "_", account) + "-" if scope else ""
    return f"fix-{name}{day:%Y-%m-%d}.jsonl"


def _moment(at: pd.Timestamp) -> str:
    """A time as code writes it: the day alone at midnight UTC, else ISO 8601 with its zone."""
    utc = at.tz_convert("UTC") if at.tzinfo is not None else at
    return f"{utc:%Y-%m-%d}" if utc == utc.normalize() else utc.isoformat()


SPIKE_FIX = """
import mmframe as mm

mm.connect()  # {key}
who = {who}
rows = mm.read_suppressions({day}, {next_day}, **who)
bounces = mm.read_bounces(None, None, **{everyone})  # {bounced}
complaints = mm.read_complaints(None, None, **{everyone})  # {kept}
opt_outs = mm.read_suppressions(None, None, **{everyone})  # {lists}
fix = mm.remediation_candidates(
    rows, bounces=bounces, complaints=complaints, opt_outs=opt_outs
)
back = fix[fix["verdict"] == "reactivate"]
{caution}# Refused for the sender's sake: put back before the sender is fixed, they bounce again.
wait = mm.waits_for_sender(back)
clear, later = back[~wait], back[wait]  # when the report was written: {now} now, {later} later
clear.mm.activate(full=True, dry_run=True).mm.summary()

# Step 2, once the dry run above reads right: apply (take out the # to run it).
# clear.mm.activate(full=True, confirm=True, verify=True, journal={journal})

# Step 3, only once what the servers refused is fixed (the advice above says what): the rest.
# later.mm.activate(full=True, dry_run=True).mm.summary()
# later.mm.activate(full=True, confirm=True, verify=True, journal={journal})
"""
