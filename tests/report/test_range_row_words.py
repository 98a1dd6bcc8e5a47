"""A table row of the range as a whole names its last day as the page does (issue 33,
ninth review, F22: "2026-11-04 to 2026-11-28" in a table of a page that calls the range
"to 2026-11-27 inclusive": a reader takes 11-28 as included)."""

from __future__ import annotations

import pandas as pd

from mmframe.reporting.rate_findings import _periods

START = pd.Timestamp("2026-11-04", tz="UTC")


def _whole(end: pd.Timestamp) -> pd.DataFrame:
    return pd.DataFrame(
        {"account": "alerts@acme.io", "by": "account", "group": "alerts@acme.io",
         "start": [START], "end": [end], "sent": [1622], "delivered": [1574], "complaints": [0],
         "hard_bounces": [48], "soft_bounces": [0], "bounce_rate": [48 / 1622],
         "complaint_rate": [0.0], "span": "range", "is_complete": [True]}
    )  # fmt: skip


def test_the_range_row_names_its_last_day_included():
    row = _periods(_whole(pd.Timestamp("2026-11-28", tz="UTC")), "bounce_rate").iloc[0]
    assert row["from"] == "2026-11-04 to 2026-11-27 inclusive", row["from"]


def test_a_range_ending_inside_a_day_says_its_end_is_not_included():
    row = _periods(_whole(pd.Timestamp("2026-11-17 10:00", tz="UTC")), "bounce_rate").iloc[0]
    assert row["from"] == "2026-11-04 until 2026-11-17 10:00 UTC, not included", row["from"]
