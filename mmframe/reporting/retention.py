"""Evidence a server no longer lists in full. The hosted service kept detail rows 30 days
and counts 18 months (SPEC 1.9): every complaint an account keeps is then counted but not
all listed. A fix judged on part of the evidence would put back whoever the unlisted rows
were about, so nobody is put back where that happened, and the page says why; a rate of a
period whose rows are not listed comes from the counts, and nothing else is said of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import judged
from ..analysis.evidence_gaps import INCOMPLETE
from ..analysis.remediation import WINDOW
from ..errors import PartialLoadError
from .numbers import count, moment


@dataclass
class Tally:
    """What one read of an account listed of what the server counts: rows listed, rows
    counted, and the first listed (None when it lists none; what is gone came before it)."""

    listed: int
    counted: int
    first: pd.Timestamp | None

    def said(self, what: str) -> str:
        """``The server lists 295 of the 456 bounces it counts; the 161 before ... are
        gone.``: one sentence, its figures from one read."""
        if self.first is None:
            return f"The server lists none of the {counted(self.counted, what)} it counts."
        gone = self.counted - self.listed
        return (
            f"The server lists {count(self.listed)} of the {counted(self.counted, what)} it "
            f"counts; the {count(gone)} before {moment(self.first)} "
            f"{'is' if gone == 1 else 'are'} gone."
        )

    def brief(self, what: str) -> str:
        """``11 of its 35 complaints`` (``none of its 2 complaints``): what a sentence naming
        the account says of one read (from when it lists them, the page says per account)."""
        if self.first is None:
            return f"none of its {counted(self.counted, what)}"
        return f"{count(self.listed)} of its {counted(self.counted, what)}"


def counted(n: int, what: str) -> str:
    """``1 complaint``, ``2 complaints of this range``: ``what`` (its first word a plural)
    said of ``n``."""
    noun, _space, rest = what.partition(" ")
    one = noun[:-1] if n == 1 and noun.endswith("s") else noun
    return f"{count(n)} {one}" + (f" {rest}" if rest else "")


#: Per account (lower-cased; "" for the key's own), per what was read, the reads that came
#: back short.
Unlisted = dict[str, dict[str, Tally]]


def listed(
    read: Callable[[], pd.DataFrame], what: str, unlisted: Unlisted, time: str
) -> pd.DataFrame:
    """What ``read`` gives; where the server listed fewer rows than it counted (and nothing
    else went wrong), the rows it listed, each short account's :class:`Tally` (``time``:
    the column of when a row happened) noted in ``unlisted``."""
    try:
        return read()
    except PartialLoadError as exc:
        chunks = exc.chunks
        status = chunks["status"].astype(str) if chunks is not None else pd.Series(dtype=str)
        if not len(status) or (~status.isin(["ok", "short"])).any() or (status == "ok").all():
            raise  # a failure, not a server that keeps less than it counts
        frame = exc.frame
        for account, rows in chunks.groupby(chunks["account"].fillna(""), sort=False):
            if not (rows["status"] == "short").any():
                continue  # every row of this account is listed
            name = str(account).lower()
            mine = frame if not name or "account" not in frame else _own(frame, name)
            first = pd.Timestamp(mine[time].min()) if len(mine) else None
            got, counted = int(rows["rows"].sum()), int(rows["expected"].sum())
            unlisted.setdefault(name, {})[what] = Tally(got, counted, first)
        return frame


def _own(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame[frame["account"].astype(str).str.lower() == name]


def tallies(unlisted: Unlisted, account: str) -> dict[str, Tally]:
    """The short reads of ``account`` (and of the key's own account), by what was read."""
    return {**unlisted.get("", {}), **unlisted.get(account.lower(), {})}


def listed_from(unlisted: Unlisted, account: str, what: str) -> pd.Timestamp | None:
    """From when the server lists every one of ``account``'s ``what`` it counts: None where
    it lists them all, ``pd.Timestamp.max`` (UTC) where it lists none (the first it lists is
    the earliest moment of a listed span: nothing listed comes before it, nothing after it
    is missing)."""
    tally = tallies(unlisted, account).get(what)
    if tally is None:
        return None
    return tally.first if tally.first is not None else NONE_LISTED


#: :func:`listed_from` of a read whose rows are all gone.
NONE_LISTED = pd.Timestamp.max.tz_localize("UTC")


def from_words(what: str, since: pd.Timestamp) -> str:
    """``it lists this account's bounces from 2026-11-07 09:15 UTC on``, or that it lists
    none of them: where a read of what :func:`listed_from` gives ``since`` was whole."""
    if since >= NONE_LISTED:
        return f"it lists none of this account's {what}"
    return f"it lists this account's {what} from {moment(since)} on"


@dataclass(frozen=True)
class Listing:
    """What a spike's sentences were read from, where the server lists fewer rows than it
    counts: from when it lists the account's bounces and complaints whole (None: all of
    them), and how many bounces it counts on the day's part judged (None: not read, as
    every one of them is listed)."""

    bounces: pd.Timestamp | None = None
    complaints: pd.Timestamp | None = None
    counted: int | None = None


def no_reason(fix: pd.DataFrame, listing: Listing | None) -> list[str]:
    """Why the data gives no reason for a spike's rows of cause ``unknown``, over what was
    truly read: no bounce in the :data:`~mmframe.analysis.remediation.WINDOW` before the
    suppression where the server lists that whole span, else that it no longer does (a
    span never read is not one where nothing was found)."""
    unknown = fix[fix["cause"].astype(str) == "unknown"]
    if not len(unknown):
        return []
    listing = listing or Listing()
    since = listing.bounces
    whole = (
        (unknown["suppressed_at"] - WINDOW >= since).to_numpy()
        if since is not None
        else np.ones(len(unknown), dtype=bool)
    )
    days = WINDOW.days
    said = []
    if whole.any():
        nor = (
            "nor any complaint of theirs"
            if listing.complaints is None
            else "nor a complaint of theirs among those the server lists ("
            + from_words("complaints", listing.complaints)
            + ")"
        )
        said.append(
            f"The data gives no reason for {count(int(whole.sum()))} of these: no bounce was "
            f"found in the {days} days before their suppression, {nor}."
        )
    if since is not None and not whole.all():
        said.append(
            f"The data gives no reason for {count(int((~whole).sum()))} of these: the server "
            f"no longer lists every bounce of the {days} days before their suppression "
            f"({from_words('bounces', since)}), so what the servers said of them cannot be "
            "read."
        )
    return said


def is_short(unlisted: Unlisted, account: str) -> bool:
    """Whether the server lists fewer of ``account``'s complaints or bounces than it counts."""
    return bool(tallies(unlisted, account))


def others(
    unlisted: Unlisted, account: str, accounts: list[str] | None
) -> dict[str, dict[str, Tally]]:
    """The short reads of each account of ``accounts`` other than ``account``: what they
    count but no longer list (a complaint or a dead mailbox there keeps an address out
    here, so what is not listed there leaves the fix unjudged too)."""
    mine = account.lower()
    return {
        other: unlisted[other.lower()]
        for other in accounts or []
        if other.lower() != mine and unlisted.get(other.lower())
    }


def unlisted_said(unlisted: Unlisted, account: str, others_: dict[str, dict[str, Tally]]) -> str:
    """What the server counts but no longer lists, once, each figure beside the account it
    is about (``account`` first, named as this one; then ``others_``, from :func:`others`),
    and what follows: nobody is put back; "" when it lists everything."""
    mine = tallies(unlisted, account)
    parts = [(f"{account}, this account", mine)] if mine else []
    parts += list(others_.items())
    if not parts:
        return ""
    said = "; ".join(
        f"at {name}, " + " and ".join(t.brief(what) for what, t in reads.items())
        for name, reads in parts
    )
    return (
        "The server no longer lists all it counts (the hosted service kept the details 30 "
        f"days); of every time, not only of this range, it lists {said}. Whoever the rest "
        "were about cannot be ruled out, so nobody is put back here."
    )


def since(unlisted: Unlisted, account: str, end: pd.Timestamp) -> pd.Timestamp | None:
    """From when every list of ``account`` read is whole (None: all of them are)."""
    short = tallies(unlisted, account)
    if not short:
        return None
    return max(t.first if t.first is not None else end for t in short.values())


def withheld(fix: pd.DataFrame, note: str) -> pd.DataFrame:
    """``fix`` with every ``reactivate`` made ``review``, cause
    :data:`~mmframe.analysis.evidence_gaps.INCOMPLETE` (what holds it back), its evidence
    saying why and what it was judged before."""
    if not note:
        return fix
    out = fix.copy()
    back = (out["verdict"] == "reactivate").to_numpy()
    out.loc[back, "verdict"] = "review"
    # Named by what holds it: its old cause, read again beside this note's "complaints",
    # was told as a deferral for the sender's complaints (tenth review, F5).
    out.loc[back, "cause"] = INCOMPLETE
    out.loc[back, "evidence"] = np.asarray(
        "evidence incomplete (older complaints or bounces no longer listed); was: "
        + out.loc[back, "evidence"].astype(str)
    )
    out.loc[back, "storm"] = False
    judged.remember(out)  # these too, once their verdict column is gone
    return out
