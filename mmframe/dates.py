"""UTC timestamps and half-open ``[start, end)`` ranges cut into chunks on pandas frequencies."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from itertools import pairwise

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset
from pandas.tseries.offsets import BaseOffset, Day, Tick

from .errors import RequestBudgetError

DateLike = str | dt.date | dt.datetime | pd.Timestamp | None
#: Most requests one call may plan before it refuses (a typo such as year 1026, a daily
#: rate by 50 domains over 26 years, or 20,000 recipients one chain each would otherwise
#: send hundreds of thousands); every reader takes max_requests= to allow more.
MAX_REQUESTS = 10_000


def to_utc(value: DateLike, name: str) -> pd.Timestamp | None:
    """``value`` as a UTC timestamp floored to whole seconds (naive values are UTC).

    Numbers are refused: pandas would read ``2025`` or ``20250101`` as nanoseconds after
    1970, silently. Pass a string, a ``date``/``datetime`` or a ``pd.Timestamp``. The
    strings ``"now"`` (the clock, :func:`now_utc`'s) and ``"today"`` (midnight UTC of the
    clock's day) are read on that clock; a numeric date must put its year first
    (:func:`ambiguous`).

    Raises
    ------
    TypeError
        Naming ``name`` when ``value`` is a number (or another non-date type).
    ValueError
        Naming ``name`` when ``value`` cannot be read as a date, or only by guessing which
        of its numbers is the month, or is outside 1678 to 2261 (the times a frame holds).
    """
    if value is None:
        return None
    if isinstance(value, str):
        word = _WORDS.get(value.strip().lower())
        if word is not None:
            read: pd.Timestamp = word(_clock())
            return read
        if ambiguous(value):
            raise ValueError(
                f"{name}={value!r} is ambiguous (which number is the month?): write the year "
                "first, such as '2026-11-01' or '2026-11-01T13:00'"
            )
    if not isinstance(value, str | dt.date | np.datetime64):  # pd.Timestamp is a datetime
        hint = " (a number would be read as nanoseconds since 1970)" if _numeric(value) else ""
        raise TypeError(
            f"{name}={value!r} is not a date: pass a string such as '2025-01-01', a "
            f"datetime.date/datetime or a pd.Timestamp{hint}"
        )
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name}={value!r} is not a date or time: {exc}") from None
    if pd.isna(stamp):
        raise ValueError(f"{name}={value!r} is not a date or time")
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    if _outside(stamp):
        raise ValueError(f"{name}={value!r} {OUTSIDE}")
    return stamp.floor("s")  # the API keeps whole seconds


def _outside(stamp: pd.Timestamp) -> bool:
    return not FIRST_TIME <= stamp < END_OF_TIMES


def outside_times(text: str) -> bool:
    """Whether ``text`` is a time, but one outside those mmframe reads (:data:`OUTSIDE`)."""
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError):
        return False
    if pd.isna(stamp):
        return False
    return _outside(stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC"))


#: The times a frame's ``datetime64[ns]`` column holds, and so the times mmframe reads (the
#: API's clients read no others): year 1 went out as "1-01-01T00:00:00+00:00", no ISO 8601
#: date, and came back as the server's raw 452 (issue 33, ninth review, F15).
FIRST_TIME = pd.Timestamp("1678-01-01", tz="UTC")
END_OF_TIMES = pd.Timestamp("2262-01-01", tz="UTC")
OUTSIDE = "is outside the times mmframe reads (1678 to 2261)"


#: The words a date may be, read on :func:`_clock` (pandas reads "today" as the machine's
#: local time of day, this instant, which a range starting "today" would make empty).
_WORDS: dict[str, Callable[[pd.Timestamp], pd.Timestamp]] = {
    "now": lambda now: now.floor("s"),
    "today": lambda now: now.normalize(),
}
#: A numeric date whose year does not come first: "01/11/2026", "01.11.2026", "26-11-01".
_DAY_OR_MONTH_FIRST = re.compile(r"\s*\d{1,2}[^\d:]\d{1,2}(?:[^\d:]\d{1,4})?(?!\d)")


def ambiguous(text: str) -> bool:
    """Whether a date's text leaves the month to be guessed: any slashed date, or numbers
    that do not start with a four-digit year (pandas reads "01/11/2026" as January 11th
    but "13/10/2026" as October 13th; "2026/11/01" is refused too: one form, year first).
    """
    return "/" in text or _DAY_OR_MONTH_FIRST.match(text) is not None


def utc_range(start: DateLike, end: DateLike) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Both bounds as UTC; ``ValueError`` when end comes before start."""
    lo, hi = to_utc(start, "start"), to_utc(end, "end")
    if lo is not None and hi is not None and hi < lo:
        raise ValueError(f"end={end!r} comes before start={start!r}")
    return lo, hi


def _clock() -> pd.Timestamp:
    """The machine's time: the one clock of every read (tests move it by hand)."""
    return pd.Timestamp.now(tz="UTC")


def _sleep(seconds: float) -> None:
    """Let ``seconds`` pass on :func:`_clock` (tests advance their clock instead)."""
    time.sleep(seconds)


def now_utc(as_of: DateLike = None) -> pd.Timestamp:
    """``as_of`` as UTC, or the current time: the clock every loader compares with."""
    stamp = to_utc(as_of, "as_of")
    return stamp if stamp is not None else _clock()


def after_now(stamp: pd.Timestamp | None) -> pd.Timestamp | None:
    """The current time when ``stamp`` comes after it, else None: what a report as of
    ``stamp`` would claim has not happened yet (the same clock as every read's)."""
    now = _clock()
    return now if stamp is not None and stamp > now else None


def past(as_of: DateLike) -> pd.Timestamp | None:
    """``as_of`` as UTC when it is before the current time, else None: a moment still to
    come is read as now (rows written after the read would land in its range)."""
    stamp = to_utc(as_of, "as_of") if as_of is not None else None
    return stamp if stamp is not None and stamp < _clock() else None


def settled_end(
    start: pd.Timestamp | None, end: pd.Timestamp | None, as_of: DateLike = None
) -> pd.Timestamp:
    """The end a read fixes at its start: ``end``, but no later than the current second.

    Rows written after the read began then fall outside its range, so they cannot shift
    its pages (a range ending in the past is stable anyway). The current second is still
    being written to: read it once it is over (:func:`live_from`, :func:`wait_until`).
    As of a past moment, the read ends where that moment's second begins: the API stamps
    whole seconds, and rows stamped in it cannot be told from rows written after it.
    """
    moment = past(as_of)
    now = moment.floor("s") if moment is not None else _clock().floor("s") + pd.Timedelta(seconds=1)
    fixed = now if end is None else min(end, now)
    return fixed if start is None else max(fixed, start)


def live_from(end: pd.Timestamp, as_of: DateLike = None) -> pd.Timestamp | None:
    """Where the part of a range ending at ``end`` that is still being written begins (the
    current second), or None when the whole range is settled (or a past ``as_of`` says so)."""
    if past(as_of) is not None:
        return None
    second = _clock().floor("s")
    return second if end > second else None


def wait_until(moment: pd.Timestamp) -> None:
    """Return once the clock has passed ``moment`` (at most about a second from now).

    A range that ends in the current second is still being written to: a suppression
    and a reactivation in that second leave its count as it was while shifting its pages,
    so no check after the read could tell. Once the second is over, a write can only
    remove rows from the range, which its count shows.
    """
    left = (moment - _clock()).total_seconds()
    if 0 < left <= 2:
        _sleep(left + 0.001)


def wire(stamp: pd.Timestamp | None) -> str | None:
    """The API's form of a bound: ``YYYY-MM-DDTHH:MM:SS+00:00``."""
    return None if stamp is None else stamp.strftime("%Y-%m-%dT%H:%M:%S+00:00")


#: What a frequency that is none is told instead.
FREQ_EXAMPLES = "try MS (month starts), W (weeks), D (days) or 6h"


def check_freq(freq: str) -> BaseOffset:
    """A pandas frequency of at least one second; ``ValueError`` naming it otherwise."""
    try:
        offset = to_offset(freq)
    except (ValueError, TypeError):  # pandas' message repeats itself, with reprs: ours
        offset = None
    if offset is None:
        raise ValueError(f"freq={freq!r} is not a pandas frequency: {FREQ_EXAMPLES}")
    probe = pd.Timestamp("2001-01-01", tz="UTC")
    if (probe + offset) - probe < pd.Timedelta(seconds=1):
        raise ValueError(f"freq={freq!r} is finer than the API's one-second resolution")
    return offset


def _numeric(value: object) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool)


def chunk_range(
    start: pd.Timestamp, end: pd.Timestamp, freq: str, *, max_requests: int = MAX_REQUESTS
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Cut ``[start, end)`` at the frequency's anchors into half-open chunks.

    The chunks are consecutive, non-empty, and cover the range exactly once; the first and
    last may be partial periods.

    Raises
    ------
    ValueError
        When the range would make more than ``max_requests`` periods (checked before any
        period is built, so a typo costs neither requests nor memory).
    """
    offset = check_freq(freq)
    if end <= start:
        return []
    probe = pd.Timestamp("2001-01-01", tz="UTC")
    step = (probe + offset) - probe  # nominal length of one period
    planned = int((end - start) / step) + 2
    if planned > max_requests:
        span = f"[{start:%Y-%m-%d %H:%M:%S}, {end:%Y-%m-%d %H:%M:%S}) at freq={freq!r}"
        raise RequestBudgetError(
            f"{span} makes about {planned:,} periods (a request each at least), over "
            f"max_requests={max_requests:,}: check the dates, use a coarser freq, or pass "
            "max_requests= to allow more",
            planned=planned,
            max_requests=max_requests,
            what=f"{span} makes about {planned:,} periods, a request each at least",
        )
    # Fixed frequencies count from midnight of the first day, as pandas' resample does;
    # calendar ones (W, MS, ...) from their own anchors, at midnight: rolled forward from
    # the start itself, a range starting at 12:46 was cut into months starting at 12:46.
    fixed = isinstance(offset, Tick | Day)  # Day left Tick in pandas 3
    origin = start.normalize() if fixed else offset.rollforward(start.normalize())
    anchors = pd.date_range(origin, end, freq=offset)
    edges = [start, *(a for a in anchors if start < a < end), end]
    return list(pairwise(edges))


def whole_periods(starts: pd.Series, ends: pd.Series, freq: str) -> pd.Series:
    """Whether each ``[start, end)`` is one whole period of ``freq``, anchor to anchor.

    A period of :func:`chunk_range` the range's start or end cuts is not: a week from a
    Wednesday's midnight, or one ending at the range's end on a Thursday, holds fewer days
    than a week, and its counts are not a week's. Calendar frequencies (``W-MON``, ``MS``)
    start at midnight of an anchor and end at the next; fixed ones (``D``, ``6h``) are
    counted from midnight, as :func:`chunk_range` cuts them, so a whole one is one step long.
    Whether the period is over yet (``is_complete``) is the caller's to add.
    """
    offset = check_freq(freq)
    fixed = isinstance(offset, Tick | Day)
    probe = pd.Timestamp("2001-01-01", tz="UTC")
    step = (probe + offset) - probe
    marks = []
    for start, end in zip(starts, ends, strict=True):
        start, end = pd.Timestamp(start), pd.Timestamp(end)
        if fixed:
            marks.append(end - start == step)
        else:
            anchored = start == start.normalize() and offset.is_on_offset(start)
            marks.append(bool(anchored and end == start + offset))
    return pd.Series(marks, index=getattr(starts, "index", None), dtype=bool)
