"""UTC timestamps and half-open ``[start, end)`` ranges cut into chunks on pandas frequencies."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pandas as pd
from pandas.tseries.frequencies import to_offset
from pandas.tseries.offsets import BaseOffset, Day, Tick

DateLike = str | dt.date | dt.datetime | pd.Timestamp | None


def to_utc(value: DateLike, name: str) -> pd.Timestamp | None:
    """``value`` as a UTC timestamp floored to whole seconds (naive values are UTC).

    Raises
    ------
    ValueError
        Naming ``name`` when ``value`` cannot be read as a date.
    """
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name}={value!r} is not a date or time: {exc}") from None
    if pd.isna(stamp):
        raise ValueError(f"{name}={value!r} is not a date or time")
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.floor("s")  # the API keeps whole seconds


def utc_range(start: DateLike, end: DateLike) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Both bounds as UTC; ``ValueError`` when end comes before start."""
    lo, hi = to_utc(start, "start"), to_utc(end, "end")
    if lo is not None and hi is not None and hi < lo:
        raise ValueError(f"end={end!r} comes before start={start!r}")
    return lo, hi


def wire(stamp: pd.Timestamp | None) -> str | None:
    """The API's form of a bound: ``YYYY-MM-DDTHH:MM:SS+00:00``."""
    return None if stamp is None else stamp.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def check_freq(freq: str) -> BaseOffset:
    """A pandas frequency of at least one second; ``ValueError`` naming it otherwise."""
    try:
        offset = to_offset(freq)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"freq={freq!r} is not a pandas frequency: {exc}") from None
    if offset is None:
        raise ValueError(f"freq={freq!r} is not a pandas frequency")
    probe = pd.Timestamp("2001-01-01", tz="UTC")
    if (probe + offset) - probe < pd.Timedelta(seconds=1):
        raise ValueError(f"freq={freq!r} is finer than the API's one-second resolution")
    return offset


def chunk_range(
    start: pd.Timestamp, end: pd.Timestamp, freq: str
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Cut ``[start, end)`` at the frequency's anchors into half-open chunks.

    The chunks are consecutive, non-empty, and cover the range exactly once; the first and
    last may be partial periods.
    """
    offset = check_freq(freq)
    if end <= start:
        return []
    # Fixed frequencies count from midnight of the first day, as pandas' resample does;
    # calendar ones (W, MS, ...) from their own anchors.
    fixed = isinstance(offset, Tick | Day)  # Day left Tick in pandas 3
    origin = start.normalize() if fixed else offset.rollforward(start)
    anchors = pd.date_range(origin, end, freq=offset)
    edges = [start, *(a for a in anchors if start < a < end), end]
    return list(pairwise(edges))
