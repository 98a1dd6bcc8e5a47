"""The rows to review of a spike, in words: those the evidence condemns (a complaint, an
opt-out or a dead mailbox, on another account or in a bounce's words: their ``cause``, as
:func:`mmframe.remediation_candidates` gives it) named by what holds them, apart from those
the evidence neither clears nor condemns (missing or mixed), in the verdict sentence, the
summary's line, the table and What to do alike."""

from __future__ import annotations

import pandas as pd

from ..analysis.never_back import CONDEMNING
from .bounce_advice import told
from .finding import and_, mix
from .numbers import count, plural

#: A row to review held back by what the evidence holds against its address (its cause:
#: :data:`~mmframe.analysis.never_back.CONDEMNING`), in words. An opt-out's cause on a row
#: to review is always another account's (this account's own keeps the row); a dead
#: mailbox is another account's servers' word, or words beside another reason.
_HELD = {
    "complaint": "who reported spam to another account",
    "unsubscribe": "who unsubscribed from another account",
    "manual": "added by hand to another account's list",
}


def _held_words(cause: str, n: int) -> str:
    """``n`` rows to review held back by ``cause``, in words (every dead-mailbox reason
    said alike)."""
    if cause in _HELD:
        return f"{count(n)} {_HELD[cause]}"
    # The table beside it names the reason (userunknown, suspend, ...).
    return f"{count(n)} {'whose mailbox' if n == 1 else 'whose mailboxes'} a server called dead"


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
    rest = rows.loc[~held.to_numpy(), "cause"].astype(str).map(told)
    if len(rest):
        said += (
            f"; and {count(len(rest))} on evidence missing or mixed, which neither clears "
            f"nor condemns them: {mix(rest, limit=8)}"
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
            f"Leave the {plural(int(held.sum()), 'address', 'addresses')} to review that the "
            f"evidence condemns suppressed ({and_(parts)}): the fix leaves them out; put one "
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
    """Rows per verdict and cause; a cause that holds a row to review back says where it
    was found, as the sentences do ("complaint (on another account)")."""
    table = fix.groupby(["verdict", "cause"], observed=True).size().reset_index(name="rows")
    table = table.sort_values(["verdict", "rows"], ascending=[True, False])
    cause = table["cause"].astype(str)
    held = (table["verdict"].astype(str) == "review") & cause.isin(CONDEMNING)
    where = cause.map(lambda c: " (on another account)" if c in _HELD else " (mailbox called dead)")
    return table.assign(rows=table["rows"].map(count), cause=cause.where(~held, cause + where))
