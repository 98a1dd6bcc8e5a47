"""Deliverability rates per period against the mailbox providers' published limits.

Gmail and Yahoo's 2024 requirements for bulk senders ask that the user-reported spam rate
stay below 0.3 %, and Gmail asks senders to aim below 0.1 %:

- Gmail, Email sender guidelines: https://support.google.com/a/answer/81126
- Gmail, Email sender guidelines FAQ: https://support.google.com/a/answer/14229414
- Yahoo, Sender best practices: https://senders.yahooinc.com/best-practices/

The arithmetic only: :mod:`mmframe.loaders.rates` reads the counts.
"""

from __future__ import annotations

import pandas as pd

#: The user-reported spam rate every bulk sender must stay below (Gmail, Yahoo; 2024).
SPAM_RATE_LIMIT = 0.003
#: The spam rate Gmail asks senders to aim below.
SPAM_RATE_TARGET = 0.001
#: Count columns: the report kind (unique for opens and clicks) and its counts column.
COUNTS = {
    "sent": ("sent", "count"),
    "delivered": ("delivered", "count"),
    "hard_bounces": ("bounces", "hard"),
    "soft_bounces": ("bounces", "soft"),
    "complaints": ("complaints", "count"),
    "unique_opens": ("opens", "count"),
    "unique_clicks": ("clicks", "count"),
}


def add_rates(counts: pd.DataFrame, now: pd.Timestamp | None = None) -> pd.DataFrame:
    """``counts`` (the count columns of :func:`~mmframe.read_rates`) with the rates and flags added.

    Works on any frame with those columns, so rates can be recomputed after a groupby sum.
    The rates (``Float64``; missing where the denominator is 0, or smaller than the
    numerator: events about mail of another period, in a period too short to rate them):
    ``bounce_rate`` = (hard +
    soft bounces) / sent; ``complaint_rate`` = complaints / delivered (the user-reported
    spam rate, over messages delivered in the same period, as the providers compute it);
    ``open_rate`` and ``click_rate`` = unique opens or clicks / delivered. The flags:
    ``above_target`` (complaint rate at or above Gmail's 0.1 % aim), ``above_limit`` (at or
    above the 0.3 % limit of Gmail and Yahoo) and, with ``now``, ``is_complete`` (False for
    a period ending after it).

    Parameters
    ----------
    counts : pandas.DataFrame
        Columns ``sent``, ``delivered``, ``hard_bounces``, ``soft_bounces``,
        ``complaints``, ``unique_opens`` and ``unique_clicks``; ``end`` too for
        ``is_complete``. Left unchanged.
    now : pandas.Timestamp, optional
        The moment the counts were read; a period ending after it is incomplete. Without
        it no ``is_complete`` column is added.

    Returns
    -------
    pandas.DataFrame
        A copy of ``counts`` with the four rates and the flags.
    """
    out = counts.copy()

    def ratio(top: pd.Series, bottom: pd.Series) -> pd.Series:
        top, bottom = top.astype("Float64"), bottom.astype("Float64")
        return (top / bottom.where((bottom > 0) & (bottom >= top))).astype("Float64")

    out["bounce_rate"] = ratio(out["hard_bounces"] + out["soft_bounces"], out["sent"])
    out["complaint_rate"] = ratio(out["complaints"], out["delivered"])
    out["open_rate"] = ratio(out["unique_opens"], out["delivered"])
    out["click_rate"] = ratio(out["unique_clicks"], out["delivered"])
    out["above_target"] = (out["complaint_rate"] >= SPAM_RATE_TARGET).astype("boolean")
    out["above_limit"] = (out["complaint_rate"] >= SPAM_RATE_LIMIT).astype("boolean")
    if now is not None and "end" in out.columns:
        out["is_complete"] = (out["end"] <= now).astype("boolean")
    return out
