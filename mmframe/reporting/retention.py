"""Evidence a server no longer lists in full. The hosted service kept detail rows 30 days
and counts 18 months (SPEC 1.9): every complaint an account keeps is then counted but not
all listed. A fix judged on part of the evidence would put back whoever the unlisted rows
were about, so nobody is put back where that happened, and the page says why."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..errors import PartialLoadError
from .numbers import count

#: Accounts (lower-cased; "" for the key's own) whose evidence came back short, with why.
Unlisted = dict[str, str]


def listed(read: Callable[[], pd.DataFrame], what: str, unlisted: Unlisted) -> pd.DataFrame:
    """What ``read`` gives; where the server listed fewer rows than it counted (and nothing
    else went wrong), the rows it listed, each short account noted in ``unlisted``."""
    try:
        return read()
    except PartialLoadError as exc:
        chunks = exc.chunks
        status = chunks["status"].astype(str) if chunks is not None else pd.Series(dtype=str)
        if not len(status) or (~status.isin(["short", "ok"])).any() or (status == "ok").all():
            raise  # a failure, not a server that keeps less than it counts
        chunks = chunks[status == "short"]  # the accounts read whole are not noted
        for account, rows in chunks.groupby(chunks["account"].fillna(""), sort=False):
            got, counted = int(rows["rows"].sum()), int(rows["expected"].sum())
            unlisted[str(account).lower()] = unlisted.get(str(account).lower(), "") + (
                f" The server lists {count(got)} of the {count(counted)} {what} it counts: it "
                "no longer keeps the older ones' details (the hosted service kept them 30 "
                "days), so whoever they were about cannot be ruled out."
            )
        return exc.frame


def note_for(unlisted: Unlisted, account: str) -> str:
    """Why ``account``'s evidence is incomplete, or ""."""
    return (unlisted.get(account.lower(), "") + unlisted.get("", "")).strip()


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
