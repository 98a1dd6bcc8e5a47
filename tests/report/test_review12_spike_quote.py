"""The twelfth review, R1: a spike's quoted bounce ("One of them said: ...") was the first of
the day's most common kind, a bounce that suppressed nothing (and said "User unknown"),
printed after "43 of the 105 suppressions ... followed a soft bounce": the quote is one of
the bounces that ended in one of the day's suppressions."""

from __future__ import annotations

import pandas as pd

import mmframe as mm
from mmframe.reporting.servers_said import servers_said

DAY = pd.Timestamp("2026-05-01", tz="UTC")
TSS = "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints"


def _bounces() -> pd.DataFrame:
    """A stray deferral first (o1, never suppressed), then the storm's (s0..s4, each
    suppressed): the same kind and status, the stray's words its own."""
    emails = ["o1@yahoo.com"] + [f"s{i}@yahoo.com" for i in range(5)]
    texts = [f"{TSS} - stray, nobody suppressed"] + [f"{TSS} - storm {i}" for i in range(5)]
    raw = pd.DataFrame(
        {
            "email": emails,
            "bounced_at": [DAY + pd.Timedelta(minutes=i) for i in range(6)],
            "bounce_type": "soft",
            "message": texts,
        }
    )
    return mm.triage(raw)


def test_the_quoted_bounce_is_one_that_ended_in_a_suppression():
    bounces = _bounces()
    rows = pd.DataFrame({"email": [f"s{i}@yahoo.com" for i in range(5)]})
    said = servers_said(bounces, DAY, rows)
    assert "One of them said" in said, said
    quote = said.split("One of them said", 1)[1]
    assert "stray" not in quote and "- storm 0" in quote, said


def test_no_quote_when_no_bounce_of_the_kind_ended_in_a_suppression():
    said = servers_said(_bounces(), DAY, pd.DataFrame({"email": ["x@acme.io"]}))
    assert "said:" not in said, said
