"""What a list or a report holds dated after this machine's now, read with an open end.

Every loader ends its read at this machine's current second (a range still being written
is read once it is settled: :func:`mmframe.dates.settled_end`). A complaint or an opt-out
a server stamped later (its clock ahead of this machine's, a history replayed with later
times) was read by none, and a judged activation put the person back (twenty-ninth review,
S1). The checks before a judged activation read them here, raw, from the current second
on (a century: however far ahead a row is stamped; one count per account when there is
none: thirtieth review, S2, a complaint 40 days ahead), on each account the evidence
covered.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..client import Session
from ..dates import _clock, wire

#: Rows a list page holds (SPEC A4).
PAGE = 500
#: How far past this machine's now the read goes: any stamp a server may give (pandas'
#: times end in 2262).
AHEAD = pd.Timedelta(days=100 * 365)
#: Per kind of evidence: its count and list methods, its bounds' names, its list's key
#: and its time field.
SOURCES = {
    "complaints": ("reports/complaints/count", "reports/complaints", ("starttime", "endtime"),
                   "complaints", "complainttime"),
    "opt_outs": ("suppressions/count", "suppressions", ("startdate", "enddate"),
                 "suppressions", "suppresstime"),
}  # fmt: skip


def ahead(kind: str, accounts: list[str] | None, session: Session) -> pd.DataFrame:
    """The rows of ``kind`` (``complaints`` or ``opt_outs``) dated from this machine's
    current second on, on each of ``accounts`` (None: the key's own account alone, as a
    sub-account's key reads it): ``email``, ``account``, ``at`` (UTC) and ``reason``
    (lower-cased; "" for a complaint)."""
    count_method, list_method, (lo, hi), key, field = SOURCES[kind]
    now = _clock().floor("s")
    bounds = {lo: wire(now), hi: wire(now + AHEAD)}

    def read(account: str | None) -> list[tuple[str, dict[str, Any]]]:
        there = session if account is None else session.for_account(account)
        n = int(there.get(count_method, **bounds)["count"])
        rows: list[dict[str, Any]] = []
        for first in range(0, n, PAGE):
            rows += there.get(list_method, startindex=first, **bounds).get(key) or []
        return [(account or session.identity(), row) for row in rows]

    which: list[str | None] = [None] if accounts is None else [*sorted(accounts)]
    got = [pair for part in session.map(read, which) for pair in part]
    times = [str(row.get(field) or "") for _a, row in got]
    return pd.DataFrame({
        "email": pd.Series([str(row.get("emailaddress", "")) for _a, row in got], dtype=object),
        "account": pd.Series([account for account, _row in got], dtype=object),
        "at": pd.to_datetime(pd.Series(times, dtype=object), utc=True, errors="coerce"),
        "reason": pd.Series([str(row.get("reasontype", "")).strip().lower() for _a, row in got],
                            dtype=object),
    })  # fmt: skip
