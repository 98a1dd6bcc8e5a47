"""A bounce-rate breach belongs to a spike only when the spike's bounces are part of it, and
a bounce-rate finding's figures cover every period the page shows for its group (seventh
review, D6 and D8).

D6: 30 dead hotmail.com addresses on other days were told inside a Yahoo storm's finding
("Over the range as a whole, which holds this spike ...") and left out of its advice.
D8: "bounce rate up to 9.5% at domain gmail.com (24 hard, 0 soft)" for a domain the same
page showed at 100% in the period folded into a spike."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

import mmframe as mm
from mmframe.reporting import build
from mmframe.reporting.finding import BOUNCE_RATE_LINE, MIN_BOUNCES
from mmframe.reporting.group_names import where

NEWS = "news@example.com"
STORM = pd.Timestamp("2026-06-09 10:00", tz="UTC")
TSS04 = (
    "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected "
    "volume or user complaints"
)
DEAD = "550 5.1.1 Requested action not taken: mailbox unavailable"


def _report(emulator, out: Path, start: str, end: str, accounts: list[str] | str):
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, _path = build(
            session, out, start, end, as_of="2026-08-01", accounts=accounts, progress=False,
            stream=io.StringIO(),
        )  # fmt: skip
    return evidence


def _storm_and_dead_elsewhere() -> dict[str, pd.DataFrame]:
    """news@: 60 sends a day to gmail.com, a 60-row Yahoo storm on STORM's day, and 30
    dead hotmail.com addresses, one every other day, none on the storm's day."""
    background = [
        {"email": f"bg{d}.{i}@gmail.com", "domain": "gmail.com",
         "sent_at": pd.Timestamp("2026-05-01 09:00", tz="UTC") + pd.Timedelta(days=d, minutes=i)}
        for d in range(61) for i in range(60)
    ]  # fmt: skip
    storm = [STORM + pd.Timedelta(seconds=30 * i) for i in range(60)]
    dead = [
        pd.Timestamp("2026-05-02 10:00", tz="UTC") + pd.Timedelta(days=2 * k) for k in range(30)
    ]
    dead = [t + pd.Timedelta(days=1) if t.normalize() == STORM.normalize() else t for t in dead]
    bounced = [
        *({"email": f"p{i}@yahoo.com", "domain": "yahoo.com", "at": t, "type": "soft",
           "text": TSS04} for i, t in enumerate(storm)),
        *({"email": f"gone{k}@hotmail.com", "domain": "hotmail.com", "at": t, "type": "hard",
           "text": DEAD} for k, t in enumerate(dead)),
    ]  # fmt: skip
    sent = pd.DataFrame(
        background
        + [
            {
                "email": b["email"],
                "domain": b["domain"],
                "sent_at": b["at"] - pd.Timedelta(minutes=1),
            }
            for b in bounced
        ]
    ).assign(account=NEWS, sender="m@example.com")
    bounces = pd.DataFrame(
        {"account": NEWS, "email": [b["email"] for b in bounced],
         "domain": [b["domain"] for b in bounced], "sender": "m@example.com",
         "sent_at": [b["at"] - pd.Timedelta(minutes=1) for b in bounced],
         "bounced_at": [b["at"] for b in bounced], "bounce_type": [b["type"] for b in bounced],
         "bounce_rule": "x", "message": [b["text"] for b in bounced], "notified": False}
    )  # fmt: skip
    suppressions = bounces[["account", "email", "domain"]].assign(
        suppressed_at=bounces["bounced_at"],
        reason="bounce",
        suppression_id=range(1, len(bounces) + 1),
    )
    return {"sent": sent, "bounces": bounces, "suppressions": suppressions}


@pytest.fixture
def storm_page(make_emulator, tmp_path):
    emulator = make_emulator("empty")
    emulator.replay(**_storm_and_dead_elsewhere())
    return _report(emulator, tmp_path, "2026-05-01", "2026-07-01", [NEWS])


def test_a_breach_with_no_bounce_on_the_spike_day_is_a_finding_of_its_own(storm_page):
    evidence = storm_page
    (spike,) = [f for f in evidence.findings if f.kind == "spike"]
    said = " ".join(spike.said)
    assert "hotmail.com" not in said, said
    (own,) = [f for f in evidence.findings if f.kind == "bounces"]
    assert "hotmail.com" in own.title and "hotmail.com" in own.summary
    # Its advice says what its bounces said: dead addresses, a list to clean.
    assert "hotmail.com" in own.advice and "called the mailbox dead" in own.advice, own.advice


def _bursts() -> dict[str, pd.DataFrame]:
    """acct6's t11 history: 1,000 sends to gmail.com over May, 40 minutes apart; the first
    96 hard-bounce (the period from Friday 2026-05-01, its spikes), then one in 12, three a
    day (over the line each week, no spike)."""
    account = "acct6@example.com"
    at = [pd.Timestamp("2026-05-01 08:00", tz="UTC") + pd.Timedelta(minutes=40 * i)
          for i in range(1000)]  # fmt: skip
    emails = [f"u{i}@gmail.com" for i in range(1000)]
    sent = pd.DataFrame({"account": account, "email": emails, "domain": "gmail.com",
                         "sender": "m@example.com", "sent_at": at})  # fmt: skip
    dead = sent[(sent.index < 96) | (sent.index % 12 == 0)]
    bounces = dead.assign(
        bounced_at=dead["sent_at"] + pd.Timedelta(minutes=1), bounce_type="hard",
        bounce_rule="hardbounce", message="550 5.1.1 user unknown", notified=False,
    )  # fmt: skip
    suppressions = bounces[["account", "email", "domain"]].assign(
        suppressed_at=bounces["bounced_at"], reason="bounce", suppression_id=range(1, len(dead) + 1)
    )
    return {"sent": sent, "bounces": bounces, "suppressions": suppressions}


@pytest.fixture
def burst_page(make_emulator, tmp_path):
    emulator = make_emulator("empty")
    emulator.replay(**_bursts())
    return _report(emulator, tmp_path, "2026-05-01", "2026-06-01", "all")


def test_a_bounce_findings_maximum_and_tally_cover_every_period_of_its_group(burst_page):
    evidence = burst_page
    found = [f for f in evidence.findings if f.kind == "bounces"]
    assert found, [f.title for f in evidence.findings]
    rates = evidence.rates
    for finding in found:
        for by, group in (("account", ""), ("domain", "gmail.com"), ("sender", "m@example.com")):
            if where(by, group) not in finding.title:
                continue
            mine = rates[(rates["account"] == finding.account) & (rates["by"] == by)
                         & (rates["group"] == group)]  # fmt: skip
            bounced = mine["hard_bounces"] + mine["soft_bounces"]
            over = mine[(mine["bounce_rate"] >= BOUNCE_RATE_LINE) & (bounced >= MIN_BOUNCES)]
            top = float(over["bounce_rate"].max())
            hard, soft = int(over["hard_bounces"].sum()), int(over["soft_bounces"].sum())
            assert f"up to {top:.1%} at {where(by, group)}" in finding.summary, finding.summary
            assert f"({hard:,} hard, {soft:,} soft" in finding.summary, finding.summary
            said = " ".join(finding.said)
            assert f"up to {top:.1%}" in said, said
    # The period the spike tells is named in the finding as told there too.
    said = " ".join(found[0].said)
    assert "2026-05-01 (partial)" in said and "spike" in said, said
