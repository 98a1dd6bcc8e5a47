"""What to do about bounces, read from what the servers said: a dead address stays
suppressed (the list needs cleaning), a refusal made for the sender's sake (failed
authentication, the sending IP, the volume sent, the content) is the sender's to fix first,
in the words a spike's fix uses for the same refusals (:mod:`.cause_words`), another refusal
of the sender or its message is looked at before mailing again, a temporary one passes
(unless it ended in a suppression: that stays until someone puts the address back)."""

from __future__ import annotations

import pandas as pd

from ..analysis.triage import TRANSIENT_REASONS
from .cause_words import HARD_NO_CAUSE, REMEDIES, SENDER_GROUPS, bounce_kinds, kinds, words
from .numbers import count, plural

#: Refusals of the sender or its message that no remedy of :data:`.cause_words.REMEDIES`
#: covers: its address, relaying, the message's form, size or security, a filter.
_SENDER_SIDE = frozenset(
    {
        "rejected", "norelaying", "notcompliantrfc", "failedstarttls", "mesgtoobig",
        "filtered", "suppressed", "securityerror",
    }
)  # fmt: skip
#: Refusals that pass: the temporary reasons, greylisting (a block only in Sisimai's
#: taxonomy: the receiver takes the next attempt) and a deferral naming no cause.
_PASSING = TRANSIENT_REASONS | {"greylisting", "deferred"}
#: The advice for addresses to keep suppressed, said as is only where they are.
_STAY = "they stay suppressed"


def _groups() -> list[tuple[frozenset[str], str, str]]:
    """Each group of kinds the advice counts: the kinds, what the bounces did (after "N of
    the M"), and what to do about them."""
    return [
        (
            frozenset({"dead"}),
            "called the mailbox dead (unknown or disabled)",
            "they stay suppressed, and the list they came from needs cleaning",
        ),
        (
            frozenset({HARD_NO_CAUSE}),
            "the API called hard, in words naming no cause that passes",
            "they stay suppressed: look at what the servers said before mailing them again",
        ),
        *[(frozenset({kind}), f"were {words(kind)}", todo) for kind, todo in REMEDIES.items()],
        (
            _SENDER_SIDE,
            "refused the sender or its message (its address, relaying, its form, size or "
            "security, a filter)",
            "look at what the servers said before mailing those addresses again",
        ),
        (_PASSING, "were temporary", "these pass with time"),
    ]


def advice_parts(
    bounces: pd.DataFrame,
    *,
    suppressed: pd.DataFrame | None = None,
    short_of: int | None = None,
) -> list[tuple[int, str, str]]:
    """``(n, what they did, what to do)`` of each group of ``bounces`` (triaged), the
    largest first, adding up to every bounce: the one classification a finding's sentences
    all use (:func:`bounce_advice`; what most of them were)."""
    kind = bounce_kinds(bounces)
    parts: list[tuple[int, str, str]] = []
    for members, did, todo in _groups():
        chosen = kind.isin(list(members))
        n = int(chosen.sum())
        if not n:
            continue
        if members is _PASSING:
            ended = int(ended_suppressed(bounces[chosen.to_numpy()], suppressed).sum())
            todo = _temporary(n, ended, short_of)
            did = "was temporary" if n == 1 else did
        elif todo.startswith(_STAY):
            todo = _kept(n, bounces[chosen.to_numpy()], suppressed, todo.removeprefix(_STAY))
        parts.append((n, did, todo))
    rest = len(kind) - sum(n for n, _did, _todo in parts)
    if rest:
        parts.append(
            (rest, "said no cause mmframe can read", "look at them (mm.triage's evidence column)")
        )
    return sorted(parts, key=lambda part: -part[0])


def most_said(parts: list[tuple[int, str, str]]) -> str:
    """``of the 247 bounces read, most (239) were deferred for ...``: the group more than
    half of them are in, in the advice's words, or that no one group is; "" for none."""
    total = sum(n for n, _did, _todo in parts)
    if not total:
        return ""
    n, did, _todo = parts[0]
    if n == total > 1:
        return f"of the {plural(total, 'bounce')} read, all {count(n)} {did}"
    if n * 2 > total:
        return f"of the {plural(total, 'bounce')} read, most ({count(n)}) {did}"
    return f"of the {plural(total, 'bounce')} read, no one kind is most: What to do counts each"


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
    parts = advice_parts(bounces, suppressed=suppressed, short_of=short_of)
    total = len(bounces)
    which = f"at {covered} in their periods over the line" if covered else "in those periods"
    return (
        f"What the servers said, of the {plural(total, 'bounce')} read {which}: "
        + "; ".join(f"{count(n)} of the {count(total)} {did}: {todo}" for n, did, todo in parts)
        + "."
    )


def _kept(n: int, bounces: pd.DataFrame, suppressed: pd.DataFrame | None, then: str) -> str:
    """What to do about ``n`` addresses to keep suppressed, as their suppressions read
    show them: "they stay suppressed" only where they are (twelfth review, R6: said of
    84 of which none was); ``then`` what follows it (", and the list ...")."""
    if suppressed is None:
        return f"keep them suppressed (check that they are){then}"
    ended = int(ended_suppressed(bounces, suppressed).sum())
    if ended == n:
        return f"{_STAY}{then}"
    if not ended:
        return f"none of them is suppressed: suppress them{then}"
    are = "is" if ended == 1 else "are"
    return f"{count(ended)} of them {are} suppressed: suppress the other {count(n - ended)}{then}"


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


def fix_first(reactivate: pd.DataFrame) -> str | None:
    """A fix's rows refused for the sender's sake, kind by kind, each with what to fix
    first, in the words of the verdict line and of a rate finding's advice (None when there
    are none): put back before, they bounce again."""
    kind = kinds(reactivate["cause"].astype(str), reactivate["evidence"])
    parts = [  # greylisting passes by retrying: nothing to fix first
        f"{count(n)} {words(each, n)}: {todo}"
        for each, todo in REMEDIES.items()
        if (n := int((kind == each).sum()))
    ]
    if not parts:
        return None
    return "Of them, " + "; ".join(parts) + ". Else they bounce again."


def fix_first_kinds() -> set[str]:
    """The reasons the advice tells to fix first (each the split holds back: a test holds
    it)."""
    return set().union(*(reasons for _kind, reasons in SENDER_GROUPS))
