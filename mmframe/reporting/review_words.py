"""The rows to review of a spike, in words: those the evidence condemns (a complaint, an
opt-out, a dead mailbox or a hard bounce naming no cause that passes, on another account or
in a bounce's words: their ``cause``, as
:func:`mmframe.remediation_candidates` gives it) named by what holds them, apart from those
the evidence neither clears nor condemns (missing or mixed), in the verdict sentence, the
summary's line, the table and What to do alike."""

from __future__ import annotations

import pandas as pd

from ..analysis.dead_signals import MIXED_STATUS
from ..analysis.hard_bounces import HARD_ELSEWHERE, HARD_HERE
from ..analysis.never_back import CONDEMNING
from ..analysis.same_mailbox import SAME_MAILBOX
from .cause_words import counted, kinds, words
from .finding import and_
from .numbers import count, plural

#: A row to review held back by what the evidence holds against its address (its cause:
#: :data:`~mmframe.analysis.never_back.CONDEMNING`), in words. An opt-out's cause on a row
#: to review is always another account's (this account's own keeps the row); a dead
#: mailbox is another account's servers' word, or words beside another reason.
_HELD = {
    "complaint": "who reported spam to another account",
    "unsubscribe": "who unsubscribed from another account",
    "manual": "added by hand to another account's list",
    # The API's "hard" with no passing cause: its own words, never the storm's rate.
    HARD_HERE: words(HARD_HERE),
    HARD_ELSEWHERE: words(HARD_ELSEWHERE),
    SAME_MAILBOX: words(SAME_MAILBOX),
    # A dead-mailbox status beside words naming another cause: mixed, not "called dead".
    MIXED_STATUS: words(MIXED_STATUS),
}


def _held_words(cause: str, n: int) -> str:
    """``n`` rows to review held back by ``cause``, in words (every dead-mailbox reason
    said alike)."""
    return f"{count(n)} {_held_name(cause, n)}"


def _held_name(cause: str, n: int) -> str:
    """What holds ``n`` rows to review back, in the words of the page's vocabulary."""
    return _HELD[cause] if cause in _HELD else words("dead", n)


def held_back(review: pd.DataFrame) -> list[str]:
    """The rows to review that the evidence condemns, counted by what holds them ("1 who
    reported spam to another account"), then the rest ("3 on evidence missing or mixed"),
    so the parts add up to the rows to review; [] when none is held."""
    causes = review["cause"].astype(str)
    held = causes.isin(CONDEMNING)
    if not held.any():
        return []
    kinds = causes[held].where(causes[held].isin(list(_HELD)), "dead")  # one group of dead
    parts = [_held_words(str(c), int(n)) for c, n in kinds.value_counts().items()]
    if (~held).any():
        parts.append(f"{count(int((~held).sum()))} on evidence missing or mixed")
    return parts


def review_sentence(rows: pd.DataFrame, held: pd.Series) -> str:
    """The rows to review when the evidence condemns some of them: those by what holds
    them, not to be put back unasked, and the rest with their causes."""
    parts = held_back(rows[held.to_numpy()])
    said = (
        f"Review {count(len(rows))}: {and_(parts)}, held back by what the evidence holds "
        "against the address (not to be put back unasked)"
    )
    rest = rows.loc[~held.to_numpy()]
    if len(rest):
        evidence = rest["evidence"] if "evidence" in rest.columns else None
        said += (
            f"; and {count(len(rest))} on evidence missing or mixed, which neither clears "
            f"nor condemns them: {and_(counted(kinds(rest['cause'], evidence)))}"
        )
    return said + "."


def review_advice(review: pd.DataFrame) -> list[str]:
    """The rows to review in words: those the evidence condemns (what holds each group
    said) are not put back unasked; the rest are looked at before deciding."""
    if not len(review):
        return []
    held = review["cause"].astype(str).isin(CONDEMNING).to_numpy()
    said = []
    if held.any():
        parts = held_back(review[held])
        said.append(
            f"Leave suppressed the {plural(int(held.sum()), 'address', 'addresses')} to review "
            f"that the evidence holds back ({and_(parts)}): the fix leaves them out; put one "
            "back only on better word (the person asks again, the mailbox is shown to work)."
        )
    rest = int((~held).sum())
    if rest:
        what = ("other address", "other addresses") if held.any() else ("address", "addresses")
        said.append(
            f"Look at the {plural(rest, *what)} to review before deciding: the evidence on "
            "them is missing or mixed."
        )
    return said


def verdict_table(fix: pd.DataFrame) -> pd.DataFrame:
    """Rows per verdict and cause, each cause in the words the sentences count it with
    ("who reported spam to another account", "whose mailboxes a server called dead")."""
    verdict, cause = fix["verdict"].astype(str), fix["cause"].astype(str)
    evidence = fix["evidence"] if "evidence" in fix.columns else None
    held = ((verdict == "review") & cause.isin(CONDEMNING)).to_numpy()
    kind = kinds(fix["cause"], evidence).astype(str).to_numpy().copy()
    kind[held] = "held:" + cause.where(cause.isin(list(_HELD)), "dead").to_numpy()[held]
    table = (
        pd.DataFrame({"verdict": verdict.to_numpy(), "kind": kind})
        .groupby(["verdict", "kind"])
        .size()
        .reset_index(name="n")
        .sort_values(["verdict", "n"], ascending=[True, False], kind="stable")
    )
    said = [
        _held_name(k.removeprefix("held:"), n) if k.startswith("held:") else words(k, n)
        for k, n in zip(table["kind"], table["n"], strict=True)
    ]
    return pd.DataFrame(
        {"verdict": table["verdict"].to_numpy(), "cause": said, "rows": table["n"].map(count)}
    )
