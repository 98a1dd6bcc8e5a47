"""The code a complaint finding prints: it reads the table's group over the page's own
periods and moments, then who complained (where the server lists them) or their counts,
and runs as printed."""

from __future__ import annotations

import pandas as pd

from ..xheader_names import is_xheader, xheader_column
from .numbers import moment


def look_code(
    by: str,
    group: str,
    span: tuple[pd.Timestamp, pd.Timestamp],
    scope: list[str] | None,
    since: pd.Timestamp | None,
    freq: str,
    whole: bool = False,
) -> str:
    """The code of a complaint finding's look over ``span``: the table's group, read over
    the page's periods (``freq``, from the page's moments: a range may start mid-day) so its
    rows are the table's; its complaints read where the server lists them (from ``since``
    on, when it lists only part), else their counts; it runs as printed (a read of rows
    the server no longer lists raises). With ``whole``, the table's one row is the range
    as a whole: the periods' sum, and the code says so."""
    start, end = span
    accounts = f", accounts={scope!r}" if scope else ""
    limited = f", {by}={group!r}" if by in ("domain", "sender") else ""
    values = "" if by == "account" else f", values=[{group!r}]"
    bounds = {"start": _literal(start), "end": _literal(end), "freq": repr(freq)}
    shows = (
        'summed (rates[["complaints", "delivered"]].sum()), the table\'s range as a whole'
        if whole
        else "the table's periods"
    )
    table = f"by={by!r}{values}{accounts})  # {shows}"
    if since is not None and since >= end:
        return COMPLAINT_COUNT.format(
            accounts=accounts, filter=limited, table=table, **bounds
        ).strip()
    first = bounds["start"]
    note = ""
    if since is not None:
        first = _literal(since)
        note = (
            f"# The server lists these complaints from {moment(since)} on (its last 30 "
            "days):\n# this reads those it lists; the rates below count every period.\n"
        )
    return COMPLAINT_LOOK.format(
        accounts=accounts, filter=limited, note=note, first=first, table=table,
        pick=_pick(by, group), **bounds,
    ).strip()  # fmt: skip


def _pick(by: str, group: str) -> str:
    """The line keeping the complaints of an X-header group's value (the API filters by
    domain and sender alone): the rows the page's words count, its lead group's
    (thirteenth review, R5)."""
    if not is_xheader(by):
        return ""
    column = xheader_column(by)
    return f"said = said[said[{column!r}] == {group!r}]  # the table's {by} value\n"


def _literal(when: pd.Timestamp) -> str:
    """A moment as the printed code's ISO literal: the day alone at midnight, else the
    moment in full (a range that starts mid-day reads from there, as the page does)."""
    utc = pd.Timestamp(when).tz_convert("UTC")
    return repr(f"{utc:%Y-%m-%d}" if utc == utc.floor("D") else utc.isoformat())


#: The look where the server lists the periods' complaints (or the latest of them).
COMPLAINT_LOOK = """
import mmframe as mm

mm.connect()  # the URL and key from MMFRAME_URL and MMFRAME_APIKEY
rates = mm.read_rates({start}, {end}, freq={freq}, {table}
{note}said = mm.read_complaints({first}, {end}{accounts}{filter})
{pick}said.value_counts("sender")  # who sent what they complained of
mm.read_rates({start}, {end}, freq={freq}, by="sender"{accounts})
"""

#: The look where the server no longer lists the periods' complaints: their counts.
COMPLAINT_COUNT = """
import mmframe as mm

mm.connect()  # the URL and key from MMFRAME_URL and MMFRAME_APIKEY
# The server no longer lists these complaints (it keeps its last 30 days): who complained
# cannot be read, but they are counted, period by period, and per sender in the rates.
rates = mm.read_rates({start}, {end}, freq={freq}, {table}
counted = mm.read_event_counts("complaints", {start}, {end}, freq={freq}{accounts}{filter})
mm.read_rates({start}, {end}, freq={freq}, by="sender"{accounts})
"""
