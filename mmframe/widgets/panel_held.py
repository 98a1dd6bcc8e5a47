"""What holds a remediation panel's rows back, in words: the rows to keep and those the
evidence condemns, told from the frame's columns and from the record judging left in its
attrs (``mmframe.judged``), so a frame whose ``verdict`` or ``cause`` was dropped holds
them as the judged frame did."""

from __future__ import annotations

import pandas as pd

from .. import judged
from ..analysis.dead_signals import MIXED_STATUS
from ..analysis.hard_bounces import HARD_ELSEWHERE, HARD_HERE
from ..analysis.never_back import CONDEMNING
from ..analysis.same_mailbox import SAME_MAILBOX
from ..analysis.triage import ADDRESS_REASONS

#: Suppression reasons that keep a row whatever its verdict: the recipient asked, or a
#: person decided.
KEPT_REASONS = tuple(judged.ASKED)
#: What a row holds, in words, by the cause or reason that condemns it.
HOLDS = {
    **judged.ASKED,
    HARD_HERE: "hard-bounced here, no reason given that passes",
    HARD_ELSEWHERE: "hard-bounced on another account, no reason given that passes",
    **{reason: "whose mailbox a server called dead" for reason in ADDRESS_REASONS},
    MIXED_STATUS: "whose bounce mixed a dead-mailbox code with words naming another cause",
    SAME_MAILBOX: (
        "whose address under another spelling complained, unsubscribed, was added by hand or "
        "was called dead"
    ),
}
#: The same, said of more than one row.
_HOLD_MANY = {"whose mailbox a server called dead": "whose mailboxes a server called dead"}
#: What a condemning cause no entry names (one added later) is said as: still held.
_CONDEMNED = "condemned by the evidence"


def verdicts(rows: pd.DataFrame) -> pd.Series:
    """Each row's verdict: its ``verdict`` column's, else the record's (None: cleared, or
    a frame never judged)."""
    if "verdict" in rows.columns:
        return rows["verdict"].astype(object).map(lambda v: str(v).strip().lower())
    said = judged.recorded(rows)
    return said if said is not None else pd.Series(None, index=rows.index, dtype=object)


def held(rows: pd.DataFrame) -> pd.Series:
    """What holds each row back, in words ("" for a row nothing holds): the cause that
    condemns the address (its column's, or the record's), else its suppression's reason,
    else its ``keep`` verdict (the column's or the record's)."""
    out = pd.Series("", index=rows.index, dtype=object)
    out[(verdicts(rows) == "keep").to_numpy()] = "marked keep"
    if "reason" in rows.columns:
        reason = rows["reason"].astype(str).str.strip().str.lower()
        mine = reason.isin(KEPT_REASONS).to_numpy()
        out[mine] = reason[mine].map(HOLDS).to_numpy()
    recorded = judged.condemned(rows)
    if "cause" in rows.columns:
        said = _lower(rows["cause"])
        condemned = said.isin(CONDEMNING).to_numpy()
        out[condemned] = said[condemned].map(HOLDS).to_numpy()
    if recorded is not None:  # the judged frame's word, whatever columns are left
        said = _lower(recorded)
        named = said.isin(list(HOLDS)).to_numpy()
        out[named] = said[named].map(HOLDS).to_numpy()
        out[(said != "").to_numpy() & ~named & (out == "").to_numpy()] = _CONDEMNED
    return out


def _lower(values: pd.Series) -> pd.Series:
    """Each value trimmed and lower-cased; "" where it is missing or no text."""
    return values.astype(object).map(lambda c: c.strip().lower() if isinstance(c, str) else "")


def to_keep(rows: pd.DataFrame) -> pd.Series:
    """Rows to keep: marked ``keep``, suppressed for a complaint, an unsubscribe or by
    hand (a plain suppressions frame has no verdict, and needs none for these), or of a
    cause that condemns the address whatever the verdict (a ``review`` row held by a
    complaint, an opt-out, a dead mailbox or a hard bounce naming no cause that passes),
    by the frame's columns or by the record judging left in its attrs."""
    return held(rows) != ""


def held_words(rows: pd.DataFrame) -> str:
    """``1 who reported spam, 2 whose mailbox a server called dead``: the rows held back,
    counted by what holds them, most first."""
    said = held(rows)
    counts = said[said != ""].value_counts()
    return ", ".join(
        f"{n:,} {what if n == 1 else _HOLD_MANY.get(str(what), what)}" for what, n in counts.items()
    )


def never_judged(rows: pd.DataFrame) -> pd.Series:
    """Rows of a frame never judged that nothing else holds: no ``verdict``, no record of
    judging (:mod:`mmframe.judged`), none of the columns it adds, and no reason to keep
    them (a bounce suppression, as :func:`mmframe.read_suppressions` gives it). No bounce,
    complaint or opt-out was read for them: a dead mailbox, or someone who complained to
    another account, looks like any other row."""
    if judged.shows_judging(rows):
        return pd.Series(False, index=rows.index)
    return ~to_keep(rows)


#: Said of rows :func:`never_judged` finds, wherever the panel counts them.
NOT_JUDGED = "not judged (no bounce, complaint or opt-out read)"
#: What to do about them, in the panel's words.
JUDGE_FIRST = (
    "run mm.remediation_candidates(rows, bounces=..., complaints=..., opt_outs=...) first "
    "and give the panel what it returns"
)


def of_them(rows: pd.DataFrame) -> str:
    """``, 3 to keep or condemned (1 who reported spam, ...)``, and ``, 60 not judged
    (...)``, or "" when none are."""
    kept, loose = int(to_keep(rows).sum()), int(never_judged(rows).sum())
    said = f", {kept:,} to keep or condemned ({held_words(rows)})" if kept else ""
    return said + (f", {loose:,} {NOT_JUDGED}" if loose else "")


def warning(rows: pd.DataFrame, include_keep: bool, include_unjudged: bool = False) -> str:
    """A warning when the rows shown include rows to keep (what holds them named), to
    review (the rest of them: the evidence is missing or mixed), or never judged."""
    said = [
        _held_back(rows, include_keep),
        _unjudged(rows, include_unjudged),
        judged.gaps_said(rows, "Evidence"),
    ]
    return "<br>".join(f"<b style='color:#b00'>{part}</b>" for part in said if part)


def _held_back(rows: pd.DataFrame, include_keep: bool) -> str:
    kept = to_keep(rows)
    keep = int(kept.sum())
    # The other rows to review: neither cleared nor condemned by what was read.
    review = int(((verdicts(rows) == "review") & ~kept).sum())
    if not keep and not review:
        return ""
    parts = [f"{n:,} {what}" for n, what in ((keep, "to keep or condemned"),
             (review, "to review, on evidence missing or mixed")) if n]  # fmt: skip
    if keep:
        parts[0] += f" ({held_words(rows)})"
    what = (
        "nothing is activated while rows to keep are shown, unless you tick 'also rows to keep'"
        if keep and not include_keep
        else "activating reactivates them too"
    )
    return f"The rows shown include {' and '.join(parts)}: {what}."


def _unjudged(rows: pd.DataFrame, include_unjudged: bool) -> str:
    loose = int(never_judged(rows).sum())
    if not loose:
        return ""
    what = (
        "activating puts them back unchecked"
        if include_unjudged
        else "nothing is activated while they are shown, unless you tick 'also rows not judged'"
    )
    return (
        f"The rows shown include {loose:,} {NOT_JUDGED}: a dead mailbox, or someone who "
        f"complained or opted out here or on another account, would go back too; "
        f"{JUDGE_FIRST}. {what[0].upper()}{what[1:]}."
    )
