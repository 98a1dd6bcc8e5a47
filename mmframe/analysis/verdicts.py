"""The columns :func:`mmframe.remediation_candidates` adds, built up rule by rule, and how
its rules match an event to a suppression (by address, and by account where frames say)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import schema


@dataclass
class Verdicts:
    """The added columns, one array each, in the suppressions' order."""

    verdict: np.ndarray
    cause: np.ndarray
    evidence: np.ndarray
    status: np.ndarray
    event_at: pd.Series
    storm: np.ndarray

    @classmethod
    def start(cls, n: int, missing: str) -> Verdicts:
        """Every row ``review`` for a cause ``unknown``, with ``missing`` as its evidence."""
        return cls(
            np.full(n, "review", dtype=object),
            np.full(n, "unknown", dtype=object),
            np.full(n, missing, dtype=object),
            np.full(n, None, dtype=object),
            pd.Series(pd.NaT, index=range(n), dtype=schema.TIME),
            np.zeros(n, dtype=bool),
        )

    def set(self, mask: np.ndarray, verdict: str, cause: str | np.ndarray, why: object) -> None:
        """Give the rows of ``mask`` a verdict, a cause and evidence (each a value, or an
        array over every row)."""
        self.verdict[mask] = verdict
        self.cause[mask] = cause if isinstance(cause, str) else cause[mask]
        self.evidence[mask] = why if isinstance(why, str) else np.asarray(why)[mask]

    def when(self, mask: np.ndarray, times: pd.Series) -> None:
        """Set ``event_at`` of the rows of ``mask`` to ``times`` (one per row of ``mask``)."""
        values = pd.Series(times.array, index=np.flatnonzero(mask)).dt.tz_convert("UTC")
        self.event_at.loc[values.index] = values


def key(frame: pd.DataFrame, by_account: bool) -> pd.Series:
    """Who a row is about: its address (and account), trimmed and without case, as the API
    compares them (an address read back with spaces or capitals is the same person)."""
    email = frame["email"].astype(str).str.strip().str.lower()
    if not by_account:
        return email
    return frame["account"].astype(str).str.strip().str.lower() + "\x1f" + email


def latest_of(
    sup: pd.DataFrame, events: pd.DataFrame, mask: np.ndarray, by_account: bool, time: str
) -> np.ndarray:
    """For each suppression, the position in ``events`` of its key's latest event among
    ``mask`` (an event of unknown time counts, before every timed one), or -1."""
    chosen = pd.DataFrame(
        {
            "key": key(events, by_account).to_numpy()[mask],
            "at": events[time].to_numpy()[mask],
            "row": np.flatnonzero(mask),
        }
    )
    chosen["timed"] = chosen["at"].notna()
    latest = chosen.sort_values(["timed", "at", "row"], na_position="first")
    latest = latest.drop_duplicates("key", keep="last")
    where = pd.Series(latest["row"].to_numpy(), index=latest["key"].to_numpy())
    return key(sup, by_account).map(where).fillna(-1).astype("int64").to_numpy()


def elsewhere(found: Verdicts, sup: pd.DataFrame, events: pd.DataFrame, time: str) -> pd.DataFrame:
    """For each row not kept (``reactivate`` or ``review``: what condemns the address names
    a row in review too), the latest of ``events`` (by ``time``, one of unknown time before
    every timed one) of its address on another account: ``row``, ``account``, ``at`` and
    ``position`` (in ``events``); none where a frame has no ``account``."""
    back = np.flatnonzero(found.verdict != "keep")
    if "account" not in events.columns or "account" not in sup.columns or not len(back):
        return pd.DataFrame(columns=["row", "account", "at", "position"])
    theirs = pd.DataFrame(
        {
            "address": key(events, False).to_numpy(),
            "owner": events["account"].astype(str).str.strip().str.lower().to_numpy(),
            "account": events["account"].astype(str).to_numpy(),
            "at": events[time].to_numpy(),
            "position": range(len(events)),
        }
    )
    mine = pd.DataFrame(
        {
            "address": key(sup, False).to_numpy()[back],
            "me": sup["account"].astype(str).str.strip().str.lower().to_numpy()[back],
            "row": back,
        }
    )
    both = mine.merge(theirs, on="address")
    both = both[both["owner"] != both["me"]].sort_values("at", na_position="first")
    return both.drop_duplicates("row", keep="last")


def spread(mask: np.ndarray, values: list[str]) -> np.ndarray:
    """``values`` (one per true item of ``mask``) placed at those items of a full array."""
    out = np.full(len(mask), "", dtype=object)
    out[mask] = values
    return out


def texts(values: pd.Series) -> list[str | None]:
    """Python strings, None where missing."""
    return [None if pd.isna(v) else str(v) for v in values.astype(object)]


def ints(values: pd.Series) -> list[int | None]:
    """Python integers, None where missing."""
    return [None if pd.isna(v) else int(v) for v in values.astype(object)]


def day(value: pd.Timestamp | None) -> str:
    """A time as its UTC day, or words for a missing one."""
    return "an unknown day" if value is None or pd.isna(value) else f"{value:%Y-%m-%d}"
