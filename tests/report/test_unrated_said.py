"""Why a rate could not be computed is said from the data, never asserted (tenth review,
F14: "24,941 bounces against 0 messages sent in this range: some of them are about mail
sent before it, so the bounce rate could not be computed (a wider range rates it)", of an
account that sent nothing in the previous range either)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

import mmframe as mm
from mmframe.reporting import build
from mmframe.reporting.evidence import Evidence
from mmframe.reporting.headline import COUNTED
from mmframe.reporting.limits import unjudged

ACCOUNT = "admin@acme.io"
START, END = pd.Timestamp("2026-10-01", tz="UTC"), pd.Timestamp("2026-12-01", tz="UTC")


def _evidence(sent: int, bounced: int, before: list[int] | None) -> Evidence:
    rows = [
        {"account": ACCOUNT, "by": by, "group": group, "start": START, "end": END, "sent": sent,
         "delivered": max(sent - bounced, 0), "complaints": 0, "hard_bounces": bounced,
         "soft_bounces": 0, "bounce_rate": float("nan"), "complaint_rate": float("nan"),
         "is_complete": True}
        for by, group in (("account", ACCOUNT), ("domain", "gmail.com"))
    ]  # fmt: skip
    previous = pd.DataFrame([before] if before else [], columns=COUNTED,
                            index=[ACCOUNT] if before else [])  # fmt: skip
    counts = pd.DataFrame(columns=["account", "start", "count"])
    evidence = Evidence(START, END, END, [ACCOUNT], counts, pd.DataFrame(), pd.DataFrame(rows),
                        "MS")  # fmt: skip
    evidence.previous = previous
    return evidence


def _said(evidence: Evidence) -> str:
    return " ".join(unjudged(evidence))


def test_no_mail_sent_before_either_is_said_and_no_wider_range_promised():
    said = _said(_evidence(0, 300, [0, 0, 50, 0, 0]))
    assert "wider range" not in said and "sent before it" not in said, said
    assert (
        f"{ACCOUNT}: 300 bounces against 0 messages sent in this range, nor any in the "
        "previous range of equal length: the mail they are about is in neither, so the "
        "bounce rate could not be computed."
    ) in said, said
    assert "domain gmail.com (300 bounces against 0 messages sent)" in said, said
    assert "the account had no messages sent in the previous range of equal length either" in said
    assert "wider range" not in _said(_evidence(0, 300, None)), _said(_evidence(0, 300, None))


def test_a_wider_range_is_named_only_where_its_counts_rate_it():
    said = _said(_evidence(100, 300, [5000, 4900, 40, 0, 0]))
    assert (
        f"{ACCOUNT}: 300 bounces against 100 messages sent in this range: more than the mail "
        "sent in it, so the bounce rate could not be computed; with the previous range of "
        "equal length (from 2026-08-01), 340 bounces of 5,100 messages sent (6.67%)."
    ) in said, said
    short = _said(_evidence(100, 300, [150, 150, 40, 0, 0]))
    assert "wider range" not in short and "6.67%" not in short, short
    assert (
        "with the previous range of equal length too, still more bounces (340) than "
        "messages sent (250)" in short
    ), short


def test_an_account_with_bounces_and_no_mail_ever_is_told_so_on_the_page(
    make_emulator, tmp_path: Path
):
    bounces = pd.DataFrame(
        {"account": ACCOUNT, "email": [f"u{i}@gmail.com" for i in range(30)],
         "bounced_at": [START + pd.Timedelta(days=3, minutes=i) for i in range(30)],
         # The send each bounce names, not replayed as sent mail (the large seed's kind).
         "sent_at": [START + pd.Timedelta(days=3) for _i in range(30)],
         "bounce_type": "hard", "message": "550 5.1.1 user unknown"}
    )  # fmt: skip
    emulator = make_emulator("empty")
    emulator.replay(bounces=bounces)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, _path = build(
            session, tmp_path, START, END, as_of=END, accounts=[ACCOUNT], progress=False,
            stream=io.StringIO(),
        )  # fmt: skip
    said = " ".join(evidence.unjudged)
    assert "30 bounces against 0 messages sent in this range, nor any in the previous" in said
    assert "wider range" not in said and "sent before it" not in said, said
