"""Writes keep the cache true: what a write through a session touched is marked stale at
once in every cache folder that session's reads used, so the next read does not even
count it to know.

- An activation (``suppressions/activate``, alone or in a full remediation) removes rows
  from the months of their ``suppressed_at``; rows that do not say (a recipients frame,
  a bare list of addresses) make the account's whole suppression list stale.
- A suppression is stamped now (SPEC A6): it lands in a month that is not closed, and
  months from the last settling time on are marked anyway.
- Deleting an account makes everything held for it stale.
- ``recipients/activate`` leaves the suppression list alone (SPEC A12).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import pandas as pd

from ..dates import _clock as clock
from .reads import SETTLE, endpoint_of, month_floor

#: What an address write changes: its operation's name -> how.
ACTIVATIONS = ("unsuppress", "remediate")
SUPPRESSIONS = ("suppress",)
ACCOUNT_DELETES = ("delete_accounts",)
#: Every kind the cache holds for an account.
KINDS = ("suppressions", "sent", "delivered", "bounces", "complaints", "issues", "opens", "clicks")

Span = tuple[pd.Timestamp | None, pd.Timestamp | None]


def months_of(stamps: pd.Series) -> list[Span] | None:
    """The calendar months of the suppression times given, or None when any is unknown."""
    times = pd.to_datetime(stamps, utc=True, errors="coerce")
    if times.isna().any():
        return None
    months = {month_floor(moment) for moment in times}
    return [(m, m + pd.offsets.MonthBegin(1)) for m in sorted(months)]


def touched(
    operation: str, frame: pd.DataFrame, labels: Sequence[Hashable]
) -> list[tuple[str, Span]]:
    """(kind, period) each a write of ``labels`` (rows of ``frame``) may have changed."""
    if not len(labels):
        return []
    if operation in ACTIVATIONS:
        column = frame["suppressed_at"] if "suppressed_at" in frame.columns else None
        rows = frame.index.isin(pd.Index(list(labels)))
        months = None if column is None else months_of(column[rows])
        return [
            ("suppressions", span) for span in (months if months is not None else [(None, None)])
        ]
    if operation in SUPPRESSIONS:
        return [("suppressions", (month_floor(clock() - SETTLE), None))]
    return []


def mark_written(
    roots: Iterable[str],
    url: str,
    operation: str,
    frame: pd.DataFrame,
    groups: Sequence[tuple[str, Sequence[Hashable], Sequence[str]]],
) -> int:
    """Mark stale what a write touched, in each cache folder of ``roots``: ``groups`` are
    (account, frame labels written, keys written). Returns the marks made."""
    roots = sorted(set(roots))
    if not roots or not groups:
        return 0
    from .store import Store

    marks: list[tuple[str, str, Span]] = []
    for account, labels, keys in groups:
        if operation in ACCOUNT_DELETES:
            marks += [(str(k).lower(), kind, (None, None)) for k in keys for kind in KINDS]
        else:
            marks += [
                (account.lower(), kind, span) for kind, span in touched(operation, frame, labels)
            ]
    endpoint = endpoint_of(url)
    for root in roots:
        store = Store(root)
        for account, kind, (start, end) in marks:
            store.mark_stale(endpoint, account, kind, start, end)
    return len(marks) * len(roots)
