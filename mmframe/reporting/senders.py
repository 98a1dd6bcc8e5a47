"""Sender authentication: each approved sender's readiness, SPF, DKIM and seeding, as
:func:`mmframe.read_senders` gives them with ``details=True``, the counts computed from
them, and the fix where the API has one (a DKIM selector: :func:`mmframe.set_dkim`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..loaders import read_senders
from .finding import and_
from .numbers import count, plural
from .scope import Scope


@dataclass
class Senders:
    """What the report says of the senders: a sentence, two tables and the fix's code."""

    said: list[str] = field(default_factory=list)
    accounts: pd.DataFrame = field(default_factory=pd.DataFrame)  # per account, counted
    to_fix: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row a sender with a gap
    code: str = ""
    summary: str = ""  # the summary's line: how many senders to fix, and what they lack
    named: str = ""  # what a name given to a sub-account key's account rests on (named)


def _summary(flags: dict[str, pd.Series], to_fix: int) -> str:
    """``3 senders to fix: 1 not ready, 2 without SPF and 2 without DKIM.`` ("" for none):
    each gap counted, a sender with several counted once in the total."""
    if not to_fix:
        return ""
    lacks = [
        f"{count(int((~flags[name]).sum()))} {words}"
        for name, words in (
            ("ready", "not ready"),
            ("spf", "without SPF"),
            ("dkim", "without DKIM"),
        )
        if (~flags[name]).any()
    ]
    return f"{plural(to_fix, 'sender')} to fix: {and_(lacks)}."


def read(scope: Scope) -> pd.DataFrame:
    """Every sender of the report's accounts with its details and readiness."""
    senders = read_senders(
        details=True, accounts=scope.accounts, session=scope.session, progress=scope.progress
    )
    return scope.framed(senders)


def judged(scope: Scope) -> Senders:
    """The senders of the report's accounts, read and judged, with what the page says of
    a name given to a sub-account key's account (:func:`named`)."""
    senders = read(scope)
    found = judge(senders, scope.accounts)
    found.named = named(scope, senders)
    return found


def named(scope: Scope, senders: pd.DataFrame) -> str:
    """What the page says of the name a sub-account key's account was given ("" for a
    master key's accounts, which its account list names, and for one left unnamed).

    The API tells such a key no username, so the name is the caller's and cannot be
    verified: ``--accounts shop@acme.io`` with news@'s key put news@'s mail under
    shop@acme.io without a word. Nothing a sub-account key reads names its account (its
    rows' ``userid`` is a number no list maps to a name), so nothing can refuse a wrong
    name. The key's approved senders are what its data shows of the account, and are
    named, not compared with the name: a username is no sender of its account, so the
    right name and a wrong one compared alike (eleventh review, A4).
    """
    if scope.accounts is not None or scope.session.username is None:
        return ""
    said = (
        f"{scope.session.identity()} is the name given to this key's account (by --accounts, "
        "accounts= or username=), which this key cannot check: the API tells a sub-account "
        "key no username, and nothing it reads names its account."
    )
    emails = [str(email) for email in senders["email"]] if len(senders) else []
    if not emails:
        return f"{said} Its data names no approved sender of the account either."
    shown = emails[:3] + ([f"{len(emails) - 3} more"] if len(emails) > 3 else [])
    return (
        f"{said} What its data shows of the account: its "
        f"{plural(len(emails), 'approved sender')}, {and_(shown)} (senders are not usernames)."
    )


def judge(senders: pd.DataFrame, scope: list[str] | None) -> Senders:
    """The senders in words and tables; ``scope`` is the ``accounts=`` of the printed code."""
    if not len(senders):
        one = scope is None or len(scope) == 1  # a sub-account's key reads its own
        who = "account has" if one else "accounts have"
        return Senders(said=[f"The {who} no approved sender."])
    flags = {name: senders[name].fillna(False).astype(bool) for name in ("ready", "spf", "dkim")}
    seeding = senders["seeding"].fillna(False).astype(bool)
    gaps = ~flags["ready"] | ~flags["spf"] | ~flags["dkim"]
    said = [
        f"{plural(len(senders), 'sender')} in {plural(senders['account'].nunique(), 'account')}"
        f": {count((~flags['ready']).sum())} not ready, {count((~flags['spf']).sum())} without "
        f"SPF, {count((~flags['dkim']).sum())} without DKIM; {count(int(gaps.sum()))} with at "
        f"least one of these, {count(int((~gaps).sum()))} with none; "
        f"{count(int(seeding.sum()))} opted in to seeding (copies of their mail sent to "
        "seed addresses that check where it lands)."
    ]
    found = Senders(said=said, accounts=_per_account(senders, flags, seeding))
    found.summary = _summary(flags, int(gaps.sum()))
    found.to_fix = _to_fix(senders[gaps], flags)
    if (~flags["dkim"]).any():
        found.code = DKIM_FIX.format(who=repr({"accounts": scope} if scope else {})).strip()
        said.append(
            "A sender without DKIM is fixed through the API: give it the selector under which "
            "its domain publishes the DKIM key, one for each domain (set_dkim, dry run "
            "first). SPF is a DNS record of the sender's domain and readiness the provider's "
            "decision: no API call changes either."
        )
    return found


def _per_account(
    senders: pd.DataFrame, flags: dict[str, pd.Series], seeding: pd.Series
) -> pd.DataFrame:
    account = senders["account"].astype(str)
    table = pd.DataFrame(
        {
            "account": account,
            "senders": 1,
            "not ready": ~flags["ready"],
            "no SPF": ~flags["spf"],
            "no DKIM": ~flags["dkim"],
            "seeding": seeding,
        }
    )
    summed = table.groupby("account", sort=False).sum().astype(int).reset_index()
    return summed.assign(**{c: summed[c].map(count) for c in summed.columns[1:]})


#: What a sender lacks, by flag, and what gives it (the API, DNS, or the provider).
_GAPS = (
    ("dkim", "no DKIM", "set_dkim with its selector"),
    ("spf", "no SPF", "an SPF record for its domain (DNS)"),
    ("ready", "not ready", "the provider's approval"),
)


def _to_fix(gaps: pd.DataFrame, flags: dict[str, pd.Series]) -> pd.DataFrame:
    """One row a sender with a gap: what it lacks and what fixes each."""
    lacks = [[(w, f) for name, w, f in _GAPS if not flags[name][i]] for i in gaps.index]
    return pd.DataFrame(
        {
            "sender": gaps["email"].astype(str).to_list(),
            "account": gaps["account"].astype(str).to_list(),
            "lacks": [and_([w for w, _f in gap]) for gap in lacks],
            "fix": ["; ".join(f for _w, f in gap) for gap in lacks],
        }
    )


DKIM_FIX = """
import mmframe as mm

mm.connect()  # the URL and key from MMFRAME_URL and MMFRAME_APIKEY
senders = mm.read_senders(details=True, **{who})
unsigned = senders[~senders["dkim"]]
# Each domain publishes its DKIM key under its own selector: fill in each domain's, as
# its DNS holds it (<selector>._domainkey.<domain>); a domain left "SELECTOR" is skipped.
selectors = {{domain: "SELECTOR" for domain in sorted(unsigned["domain"].unique())}}
for domain, rows in unsigned.groupby("domain"):
    if selectors[domain] != "SELECTOR":
        print(domain, rows.mm.set_dkim(selectors[domain], dry_run=True).mm.summary())

# Then, once each dry run above reads right: apply (take out the #s to run it).
# for domain, rows in unsigned.groupby("domain"):
#     if selectors[domain] != "SELECTOR":
#         rows.mm.set_dkim(selectors[domain], confirm=True, verify=True)
"""
