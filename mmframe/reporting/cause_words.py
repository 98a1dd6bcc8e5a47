"""Causes in plain words: one vocabulary for every sentence and table of the page.

A suppression's ``cause`` (:func:`mmframe.remediation_candidates`) is a person's act
(``complaint``, ``unsubscribe``, ``manual``), Sisimai's reason of a bounce (``userunknown``,
``badreputation``, ...), a hard bounce naming no cause that passes (``hardbounced``, here;
``hardelsewhere``, on another account), ``incomplete`` (evidence read incomplete) or
``unknown`` (no event found). Told by those names, a verdict line
said "17 userunknown" above a sentence saying "17 refused as unknown or disabled mailboxes"
(issue 33, eighth review, 11). Here each cause is said once, in words that read after a
count ("20 who reported spam", "383 deferred for the volume sent or its complaints"), and
the refusals made for the sender's sake are grouped as the fix's advice groups them, from
their words (:func:`~mmframe.analysis.sender_first.refusal_kind`), so the verdict line and
What to do name the same rows alike, and a rate finding advises the same words the same way.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.dead_signals import MIXED_STATUS, UNREAD, dead_said
from ..analysis.hard_bounces import unexplained_hard  # the fix's own test of a hard bounce
from ..analysis.refusal_words import IP_REASONS
from ..analysis.sender_first import AUTHENTICATION, CONTENT, VOLUME, refusal_kind
from ..analysis.triage import ADDRESS_REASONS
from .numbers import count

#: A row held back as what condemns an address may be in what was not read (or is no longer
#: listed), named by that, whatever its own bounce said.
_INCOMPLETE = (
    "held back as the evidence is incomplete (bounces or complaints not all read, or no "
    "longer listed)"
)
#: A row held back by a dead-mailbox status beside words naming another cause ("550 5.1.1
#: rate limited"): the evidence is mixed, so a person decides.
_MIXED = "whose bounce mixed a dead-mailbox code with words naming another cause"
#: Each kind in words after a count: (after 1, after more).
_WORDS: dict[str, tuple[str, str]] = {
    "complaint": ("who reported spam", "who reported spam"),
    "unsubscribe": ("who unsubscribed", "who unsubscribed"),
    "manual": ("added by hand", "added by hand"),
    "unknown": ("with no cause found in the data", "with no cause found in the data"),
    "dead": ("whose mailbox a server called dead", "whose mailboxes a server called dead"),
    # A hard bounce naming no cause that passes holds its row under a cause of its own, not
    # the storm's rate that suppressed it (adv9 F7: "12 refused for the sending rate").
    # Not "before": the hard bounce may be the very one that suppressed them (twelfth
    # review, R2); mmframe.analysis takes it at any time.
    "hardbounced": (
        "hard-bounced here (the bounce that suppressed them, or an earlier one), with no "
        "reason given that passes",
    )
    * 2,
    "hardelsewhere": ("hard-bounced on another account, with no reason given that passes",) * 2,
    # A +tag, or Gmail's dots: the same mailbox asked, spelt otherwise (27th review), or a
    # server called it dead spelt otherwise (37th review, 1).
    "samemailbox": (
        "whose address under another spelling complained, unsubscribed, was added by hand "
        "or was called dead",
        "whose addresses under another spelling complained, unsubscribed, were added by hand "
        "or were called dead",
    ),
    # Not "called dead": the words name another cause (tenth review, F6).
    MIXED_STATUS: (_MIXED,) * 2,
    "incomplete": (_INCOMPLETE,) * 2,
    # A bounce with a clause in another language: it may say the mailbox is dead (adv10 F1).
    "unread": ("whose bounces say something in words mmframe does not read",) * 2,
    "authentication": ("refused for failed authentication (SPF, DKIM or DMARC)",) * 2,
    "ip": ("refused for the sending IP or domain (a block list, its reputation, its DNS)",) * 2,
    "volume": ("deferred for the volume sent or its complaints (the sender's reputation)",) * 2,
    "content": ("refused for the message's content or the receiver's policy",) * 2,
    "greylisting": ("greylisted (the receiver takes a later attempt)",) * 2,
    "deferred": ("asked to try again later, naming no cause",) * 2,
    "mailboxfull": ("whose mailbox was full", "whose mailboxes were full"),
    "exceedlimit": ("over a size limit of the mailbox",) * 2,
    "toomanyconn": ("refused for too many connections",) * 2,
    "speeding": ("refused for the sending rate",) * 2,
    # RFC 3463's "mail system congestion" as often as a full disk: it passes either way.
    "systemfull": ("deferred by a receiving system congested or short of room, which passes",) * 2,
    "systemerror": ("refused for a receiving system's error",) * 2,
    "networkerror": ("lost to a network error",) * 2,
    "expired": ("given up on after retries",) * 2,
    "rejected": ("refused for the sender's address",) * 2,
    "norelaying": ("refused as relaying",) * 2,
    "notcompliantrfc": ("refused as not following the mail standards",) * 2,
    "failedstarttls": ("refused for failed STARTTLS",) * 2,
    "securityerror": ("refused for a security error (TLS, credentials)",) * 2,
    "mesgtoobig": ("refused as too large",) * 2,
    "filtered": ("filtered out by the receiver",) * 2,
    "suppressed": ("on the receiver's own suppression list",) * 2,
    "mailererror": ("refused for a mail program's error",) * 2,
    "syntaxerror": ("refused for a mail protocol error",) * 2,
    "onhold": ("held by the receiver, naming no cause",) * 2,
    "undefined": ("whose bounce named no cause mmframe can read",) * 2,
    "delivered": ("reported delivered",) * 2,
}
#: A cause no entry names (a reason added to the triage later): still no raw name.
_OTHER = ("for a cause mmframe has no words for",) * 2

#: The refusals made for the sender's sake, by kind: what to fix before mailing (or putting
#: back) the addresses, else they bounce again. The spike's fix and the bounce-rate finding
#: advise these in the same words.
REMEDIES: dict[str, str] = {
    "authentication": "fix the sender's authentication first (see Sender authentication; "
    "mm.set_dkim)",
    "ip": "get it off the block list, or let its reputation recover at a slower pace, first",
    "volume": "slow down, mailing them a few at a time, first",
    "content": "change what was refused first",
}
#: The reasons (and word-read kinds) of each refusal made for the sender's sake.
SENDER_GROUPS = (
    ("authentication", AUTHENTICATION), ("ip", IP_REASONS), ("volume", VOLUME),
    ("content", CONTENT),
)  # fmt: skip


def kinds(causes: pd.Series, texts: pd.Series | None = None) -> pd.Series:
    """Each cause's kind, a key of the vocabulary: a dead mailbox's reasons as one, the
    refusals made for the sender's sake grouped as :data:`REMEDIES` advises them, and a
    refusal of the sending IP read from its words (``texts``: the bounce's text or the
    candidates' ``evidence``) as greylisting, a deferral or one for the volume sent."""
    read = refusal_kind(causes.astype(object).fillna("undefined").astype(str), texts)
    out = read.copy()
    out[read.isin(list(ADDRESS_REASONS))] = "dead"
    for kind, reasons in SENDER_GROUPS:
        out[read.isin(list(reasons))] = kind
    return out


def words(kind: str, n: int = 2) -> str:
    """A kind in words, as they read after a count of ``n``."""
    one, many = _WORDS.get(kind, _OTHER)
    return one if n == 1 else many


def counted(kinds_: pd.Series, *, limit: int = 8) -> list[str]:
    """``["383 deferred for ...", "17 whose mailboxes a server called dead"]``: each kind
    with its count, the largest first; past ``limit`` kinds the rest as one count."""
    tally = kinds_.astype(str).value_counts()
    limit = len(tally) if len(tally) == limit + 1 else limit
    parts = [f"{count(n)} {words(str(kind), int(n))}" for kind, n in tally.head(limit).items()]
    rest = int(tally.iloc[limit:].sum())
    if rest:
        parts.append(f"{count(rest)} for {len(tally) - limit} other causes")
    return parts


#: The kind of a bounce the API called hard in words naming no cause that passes: the fix
#: holds its address back (:mod:`mmframe.analysis.hard_bounces`), so no sentence may say it
#: passes with time.
HARD_NO_CAUSE = "hardbounced"


def bounce_kinds(bounces: pd.DataFrame) -> pd.Series:
    """Each triaged bounce's kind, as the fix judges its address: :func:`kinds` of its
    reason and words, except a bounce that still calls the address dead (words naming an
    unknown or disabled mailbox beside another cause, or an address-level status under a
    5xx reply: "550 5.1.1 rate limited") is ``dead``, and one the API called hard in words
    naming no cause that passes ("554 Transaction failed") is :data:`HARD_NO_CAUSE`. So a
    rate finding's advice never says "these pass with time" of a bounce the spike's fix
    holds back (issue 33, ninth review, F8)."""
    if not len(bounces):
        return pd.Series(dtype=object)
    kind = kinds(bounces["reason"], bounces.get("message"))
    if {"status", "reply", "evidence", "message"} <= set(bounces.columns):
        _said, causes = dead_said(bounces)
        dead = pd.notna(causes) & (causes != UNREAD)
        kind[(dead & (kind != "dead")).tolist()] = "dead"
        kind[(causes == UNREAD).tolist()] = UNREAD
    hard = unexplained_hard(bounces) & (kind != "dead").to_numpy()
    kind[hard.tolist()] = HARD_NO_CAUSE
    return kind
