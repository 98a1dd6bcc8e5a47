"""A spike whose suppressions came from soft bounces says so: the bounce handling
suppressed temporary failures, the first thing to fix (issue 33, ninth review, F6: all 384
of a storm's bounces were typed soft, and the page never said it)."""

from __future__ import annotations

import pandas as pd

import mmframe as mm
from mmframe.reporting.servers_said import servers_said

DAY = pd.Timestamp("2026-11-17", tz="UTC")
STORM = (
    "421-4.7.28 [203.0.113.5 15] Our system has detected an unusual rate of unsolicited mail "
    "originating from your IP address. To protect our users from spam, mail sent from your "
    "IP address has been temporarily rate limited."
)
DEAD = "550 5.1.1 <{e}>: Recipient address rejected: User unknown"


def _day(soft: int, hard: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``soft`` storm bounces and ``hard`` dead ones on the day, each suppressed a second
    later, and two soft bounces of addresses never suppressed."""
    n = soft + hard + 2
    emails = [f"u{i}@gmail.com" for i in range(n)]
    at = DAY + pd.Timedelta(hours=9) + pd.to_timedelta(range(n), unit="min")
    texts = [STORM] * soft + [DEAD.format(e=e) for e in emails[soft : soft + hard]] + [STORM] * 2
    bounces = mm.triage(
        pd.DataFrame(
            {
                "email": emails,
                "bounced_at": at,
                "bounce_type": ["soft"] * soft + ["hard"] * hard + ["soft"] * 2,
                "message": texts,
            }
        )
    )
    rows = pd.DataFrame({"email": emails[: soft + hard], "suppressed_at": at[: soft + hard]})
    return bounces, rows


def test_a_spike_of_soft_bounces_says_the_bounce_handling_suppressed_them():
    bounces, rows = _day(soft=30, hard=3)
    said = servers_said(bounces, DAY, rows)
    assert (
        "30 of the 33 suppressions that followed a bounce that day followed a soft bounce "
        "(as the API typed them: a temporary failure)" in said
    ), said
    assert "the account's bounce handling suppressed temporary failures" in said, said


def test_no_word_of_it_where_only_hard_bounces_were_suppressed():
    bounces, rows = _day(soft=0, hard=5)
    said = servers_said(bounces, DAY, rows)
    assert "soft bounce" not in said and "bounce handling" not in said, said


def test_no_word_of_it_where_the_api_gives_no_type():
    bounces, rows = _day(soft=30, hard=3)
    said = servers_said(bounces.drop(columns="bounce_type"), DAY, rows)
    assert "bounce handling" not in said, said
