"""A period in words, one name for each kind throughout the page: ``November`` (a whole
month), ``the week of 2026-11-23`` (a whole week), ``the period from 2026-11-04
(partial)`` (one the range cuts, or still running). Tenth review, F15: one whole week was
"the week from 2026-11-16" under a chart and "the period from 2026-11-23" in a finding."""

from __future__ import annotations

import pandas as pd

from ..dates import whole_periods
from .numbers import moment


def whole_rows(rows: pd.DataFrame) -> pd.Series:
    """Whether each period is whole: the rates' ``whole`` (:func:`.rating.rates_for`, from
    the page's periods); else, for rows made without it, a calendar week from a Monday or a
    month from its first day, midnight to midnight, and over (``is_complete``)."""
    if "whole" in rows.columns:
        # Through "boolean": a row turned into a frame holds objects, whose fillna
        # downcasts (a FutureWarning on pandas 2.2).
        return rows["whole"].astype("boolean").fillna(False).astype(bool)
    done = (
        rows["is_complete"].astype("boolean").fillna(True).astype(bool)
        if "is_complete" in rows.columns
        else pd.Series(True, index=rows.index)
    )
    start, end = pd.to_datetime(rows["start"], utc=True), pd.to_datetime(rows["end"], utc=True)
    shaped = whole_periods(start, end, "W-MON") | whole_periods(start, end, "MS")
    return done & shaped.to_numpy()


def period_words(row: pd.Series, *, years: bool = False) -> str:
    """One period of the rates in words: ``November`` (``November 2026`` where ``years``:
    the periods told span two years), ``the week of 2026-11-23``, else ``the period from``
    its moment, ``(partial)`` where it is not whole (:func:`whole_rows`)."""
    start = pd.Timestamp(row["start"])
    if not bool(whole_rows(row.to_frame().T).iloc[0]):
        return f"the period from {moment(start)} (partial)"
    end = pd.Timestamp(row["end"])
    midnight = start == start.floor("D")
    if midnight and start.day == 1 and end == start + pd.DateOffset(months=1):
        return f"{start:%B %Y}" if years else f"{start:%B}"
    if midnight and start.day_of_week == 0 and end - start == pd.Timedelta(days=7):
        return f"the week of {moment(start)}"
    return f"the period from {moment(start)}"


def spans_years(rows: pd.DataFrame) -> bool:
    """Whether the periods of ``rows`` start in more than one year (a month named alone
    would not say which)."""
    return bool(pd.to_datetime(rows["start"], utc=True).dt.year.nunique() > 1)
