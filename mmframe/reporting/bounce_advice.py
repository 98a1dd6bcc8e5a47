"""What to do about bounces, read from what the servers said: a dead address stays
suppressed (the list needs cleaning), a refusal for failed authentication is the sender's
to fix (the address is not at fault), a refusal of the sender or its content is looked at
before mailing again, a temporary one passes (unless it ended in a suppression: that stays
until someone puts the address back)."""

from __future__ import annotations

import pandas as pd

from ..analysis.refusal_words import IP_REASONS
from ..analysis.sender_first import AUTHENTICATION, CONTENT, VOLUME, refusal_kind
from ..analysis.triage import ADDRESS_REASONS, TRANSIENT_REASONS
from .numbers import count, plural

#: Refusals of the sender or its content: its reputation, a block list, a policy, spam.
_SENDER_SIDE = frozenset(
    {
        "badreputation", "blocked", "spamdetected", "policyviolation", "rejected", "requireptr",
        "contenterror", "securityerror", "virusdetected", "norelaying", "notcompliantrfc",
        "failedstarttls", "mesgtoobig", "filtered", "suppressed", "volume",
    }
)  # fmt: skip
#: Refusals that pass: the temporary reasons, greylisting (a block only in Sisimai's
#: taxonomy: the receiver takes the next attempt) and a deferral naming no cause.
_PASSING = TRANSIENT_REASONS | {"greylisting", "deferred"}
#: Reasons whose name alone reads as something else, with the words told beside it: a
#: ``systemfull`` is as often RFC 3463's "mail system congestion" (IronPort's "421 4.4.5
#: Try again later") as a full disk, and passes either way. The names stay: they are public.
_TOLD_AS = {"systemfull": "the receiving system congested or short of room for now, which passes"}
#: Each kind of refusal, the reasons that make it, and what to do about it.
_KINDS: tuple[tuple[str, frozenset[str], str], ...] = (
    (
        "named an unknown or disabled mailbox",
        ADDRESS_REASONS,
        "they stay suppressed, and the list they came from needs cleaning",
    ),
    (
        "failed authentication (SPF, DKIM or DMARC)",
        frozenset({"authfailure"}),
        "the addresses are not at fault: fix the senders' authentication first (see Sender "
        "authentication; mm.set_dkim), then reactivate them",
    ),
    (
        "refused the sender or its content (reputation, blocks, policy, spam)",
        _SENDER_SIDE,
        "look at what the servers said before mailing those addresses again",
    ),
    ("were temporary", _PASSING, "these pass with time"),
)


def told(reason: str) -> str:
    """A reason's name, with what it is beside it where the name alone misleads."""
    words = _TOLD_AS.get(reason)
    return f"{reason} ({words})" if words else reason


def bounce_advice(
    bounces: pd.DataFrame,
    *,
    suppressed: pd.DataFrame | None = None,
    short_of: int | None = None,
    covered: str = "",
) -> str:
    """What to do, kind by kind, largest first, each counted from ``bounces`` (triaged: a
    ``reason`` column); says so when no text was read.

    ``suppressed`` are the account's suppressions read (``email``, ``suppressed_at``): a
    temporary refusal followed by one is not said to pass with time. ``short_of`` is the
    fewest days of data spikes are judged on, when the account's data in the range is
    fewer (its suppressions could not be judged as a spike). ``covered`` names the groups
    whose periods the bounces are of, in words.
    """
    if not len(bounces):
        return (
            "No bounce text was read for these periods, so what to do cannot be told from "
            "what the servers said: read them (read_bounces, then mm.triage)."
        )
    reason = refusal_kind(bounces["reason"], bounces.get("message"))
    total = len(reason)
    parts: list[tuple[int, str]] = []
    for said, reasons, todo in _KINDS:
        chosen = reason.isin(list(reasons))
        n = int(chosen.sum())
        if n and reasons is _PASSING:
            todo = _temporary(n, int(ended_suppressed(bounces[chosen], suppressed).sum()), short_of)
        if n:
            verb = "was temporary" if n == 1 and said == "were temporary" else said
            parts.append((n, f"{count(n)} of the {count(total)} {verb}: {todo}"))
    rest = total - sum(n for n, _ in parts)
    if rest:
        parts.append((rest, f"{count(rest)} of the {count(total)} said no cause mmframe can "
                            "read: look at them (mm.triage's evidence column)"))  # fmt: skip
    parts.sort(key=lambda part: -part[0])
    which = f"at {covered} in their periods over the line" if covered else "in those periods"
    return (
        f"What the servers said, of the {plural(total, 'bounce')} read {which}: "
        + "; ".join(text for _, text in parts)
        + "."
    )


def ended_suppressed(bounces: pd.DataFrame, suppressed: pd.DataFrame | None) -> pd.Series:
    """Whether each bounce's address was suppressed at or after it (False where no
    suppressions were read)."""
    if suppressed is None or not len(suppressed) or not len(bounces):
        return pd.Series(False, index=bounces.index)
    emails = suppressed["email"].astype(str).str.lower()
    last = suppressed["suppressed_at"].groupby(emails).max()
    when = bounces["email"].astype(str).str.lower().map(last)
    return (when >= bounces["bounced_at"]).fillna(False).astype(bool)


def _temporary(n: int, suppressed: int, short_of: int | None) -> str:
    """What to do about ``n`` temporary refusals, ``suppressed`` of them followed by a
    suppression of their address: those stay suppressed until put back."""
    if not suppressed:
        return "these pass with time"
    fix = (
        f"a report over at least {count(short_of)} days of data judges whether they were a "
        "spike, and the spike's finding holds the fix: which of them to reactivate"
        if short_of
        else "mm.remediation_candidates on those suppressions tells which to reactivate; "
        "dry run first"
    )
    ended = f"all {count(n)}" if suppressed == n else f"{count(suppressed)} of them"
    rest = f", and the other {count(n - suppressed)} pass with time" if n > suppressed else ""
    return f"{ended} ended in suppressions, which do not pass with time ({fix}){rest}"


#: What to fix before putting back addresses a server refused for the sender's sake, by
#: the refusal's reason: else they bounce again.
_FIX_FIRST: tuple[tuple[frozenset[str], str], ...] = (
    (
        AUTHENTICATION,
        "refused for failed authentication (SPF, DKIM or DMARC): fix the sender's "
        "authentication first (see Sender authentication; mm.set_dkim)",
    ),
    (
        IP_REASONS,
        "refused for the sending IP or domain (a block list, its reputation, its DNS): get "
        "it off the block list, or let its reputation recover at a slower pace, first",
    ),
    (
        VOLUME,
        "deferred for the volume sent or its complaints (the sender's reputation): slow "
        "down, mailing them a few at a time, first",
    ),
    (
        CONTENT,
        "refused for the message's content or the receiver's policy: change what was refused first",
    ),
)


def fix_first(reactivate: pd.DataFrame) -> str | None:
    """A fix's rows refused for the sender's sake, kind by kind, each with what to fix
    first, in words (None when there are none): put back before, they bounce again."""
    cause = refusal_kind(reactivate["cause"].astype(str), reactivate["evidence"])
    parts = [  # greylisting passes by retrying: nothing to fix first
        f"{count(n)} {todo}"
        for reasons, todo in _FIX_FIRST
        if (n := int(cause.isin(list(reasons)).sum()))
    ]
    if not parts:
        return None
    return "Of them, " + "; ".join(parts) + ". Else they bounce again."


def fix_first_kinds() -> set[str]:
    """The kinds the advice tells to fix first (each the split holds back: a test holds it)."""
    return set().union(*(reasons for reasons, _ in _FIX_FIRST))
