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
            return f"The server lists none of the {count(self.counted)} {what} it counts."
        gone = self.counted - self.listed
        return (
            f"The server lists {count(self.listed)} of the {count(self.counted)} {what} it "
            f"counts; the {count(gone)} before {moment(self.first)} "
            f"{'is' if gone == 1 else 'are'} gone."
        )


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


def note_for(unlisted: Unlisted, account: str) -> str:
    """Why ``account``'s evidence is incomplete, or ""."""
    short = tallies(unlisted, account)
    if not short:
        return ""
    said = " ".join(t.said(what) for what, t in short.items())
    return (
        f"{said} It no longer lists the older ones' details (the hosted service kept them 30 "
        "days), so whoever they were about cannot be ruled out, and nobody is put back."
    )


def since(unlisted: Unlisted, account: str, end: pd.Timestamp) -> pd.Timestamp | None:
    """From when every list of ``account`` read is whole (None: all of them are)."""
    short = tallies(unlisted, account)
    if not short:
        return None
    return max(t.first if t.first is not None else end for t in short.values())


def withheld(fix: pd.DataFrame, note: str) -> pd.DataFrame:
    """``fix`` with every ``reactivate`` made ``review``, its evidence saying why."""
    if not note:
        return fix
    out = fix.copy()
    back = (out["verdict"] == "reactivate").to_numpy()
    out.loc[back, "verdict"] = "review"
    out.loc[back, "evidence"] = np.asarray(
        "evidence incomplete (older complaints or bounces no longer listed); was: "
        + out.loc[back, "evidence"].astype(str)
    )
    out.loc[back, "storm"] = False
    return out
