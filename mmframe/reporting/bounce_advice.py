"""What to do about bounces, read from what the servers said: a dead address stays
suppressed (the list needs cleaning), a refusal for failed authentication is the sender's
to fix (the address is not at fault), a refusal of the sender or its content is looked at
before mailing again, a temporary one passes."""

from __future__ import annotations

import pandas as pd

from ..analysis.triage import ADDRESS_REASONS, TRANSIENT_REASONS
from .numbers import count

#: Refusals of the sender or its content: its reputation, a block list, a policy, spam.
_SENDER_SIDE = frozenset(
    {
        "badreputation", "blocked", "spamdetected", "policyviolation", "rejected", "requireptr",
        "contenterror", "securityerror", "virusdetected", "norelaying", "notcompliantrfc",
        "failedstarttls", "mesgtoobig", "filtered", "suppressed",
    }
)  # fmt: skip
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
    ("were temporary", TRANSIENT_REASONS, "these pass with time"),
)


def bounce_advice(bounces: pd.DataFrame) -> str:
    """What to do, kind by kind, largest first, each counted from ``bounces`` (triaged: a
    ``reason`` column); says so when no text was read."""
    if not len(bounces):
        return (
            "No bounce text was read for these periods, so what to do cannot be told from "
            "what the servers said: read them (read_bounces, then mm.triage)."
        )
    reason = bounces["reason"].astype(object).fillna("undefined")
    total = len(reason)
    parts: list[tuple[int, str]] = []
    for said, reasons, todo in _KINDS:
        n = int(reason.isin(list(reasons)).sum())
        if n:
            parts.append((n, f"{count(n)} of the {count(total)} {said}: {todo}"))
    rest = total - sum(n for n, _ in parts)
    if rest:
        parts.append((rest, f"{count(rest)} of the {count(total)} said no cause mmframe can "
                            "read: look at them (mm.triage's evidence column)"))  # fmt: skip
    parts.sort(key=lambda part: -part[0])
    return (
        "What the servers said, of the bounces read in those periods: "
        + "; ".join(text for _, text in parts)
        + "."
    )


#: What to fix before putting back addresses a server refused for the sender's sake, by
#: the refusal's reason: else they bounce again.
_FIX_FIRST: tuple[tuple[frozenset[str], str], ...] = (
    (
        frozenset({"authfailure"}),
        "refused for failed authentication (SPF, DKIM or DMARC): fix the sender's "
        "authentication first (see Sender authentication; mm.set_dkim)",
    ),
    (
        frozenset({"blocked", "badreputation", "requireptr"}),
        "refused for the sending IP or domain (a block list, its reputation, its DNS): get "
        "it off the block list, or let its reputation recover at a slower pace, first",
    ),
    (
        frozenset({"spamdetected", "contenterror", "virusdetected", "policyviolation"}),
        "refused for the message's content or the receiver's policy: change what was refused first",
    ),
)


def fix_first(reactivate: pd.DataFrame) -> str | None:
    """A fix's rows refused for the sender's sake, kind by kind, each with what to fix
    first, in words (None when there are none): put back before, they bounce again."""
    cause = reactivate["cause"].astype(str)
    parts = [
        f"{count(n)} {todo}"
        for reasons, todo in _FIX_FIRST
        if (n := int(cause.isin(list(reasons)).sum()))
    ]
    if not parts:
        return None
    return "Of them, " + "; ".join(parts) + ". Else they bounce again."
