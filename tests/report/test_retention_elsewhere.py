"""On a server that lists only its last 30 days, what other accounts count but no longer
list is said so, never stated as none, and nobody is put back on it (seventh review, D7:
"0 addresses complained there" of an account whose one complaint was counted, not listed;
"none of the 1 complaints")."""

from __future__ import annotations

import io

import pandas as pd

import mmframe as mm
from mmframe.reporting import build
from mmframe.reporting.retention import Tally

NEWS, PROMO = "news@example.com", "promo@example.com"
NOW = pd.Timestamp("2026-12-05 12:00", tz="UTC")
STORM = NOW - pd.Timedelta(days=10)
OLD = NOW - pd.Timedelta(days=200)
TSS04 = (
    "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected "
    "volume or user complaints"
)


def _history() -> dict[str, pd.DataFrame]:
    """news@: a 60-row Yahoo storm inside the 30 days listed; promo@: p0 complained and
    p1's mailbox was called dead, both 200 days ago (counted, no longer listed)."""
    storm = [STORM + pd.Timedelta(seconds=30 * i) for i in range(60)]
    emails = [f"p{i}@yahoo.com" for i in range(60)]
    daily = [
        {"account": NEWS, "email": f"bg{d}.{i}@gmail.com", "domain": "gmail.com",
         "sent_at": NOW - pd.Timedelta(days=25 - d, hours=3, minutes=i)}
        for d in range(24) for i in range(60)
    ]  # fmt: skip
    stormy = [{"account": NEWS, "email": e, "domain": "yahoo.com",
               "sent_at": t - pd.Timedelta(minutes=1)}
              for e, t in zip(emails, storm, strict=True)]  # fmt: skip
    promo = [{"account": PROMO, "email": e, "domain": "yahoo.com", "sent_at": OLD}
             for e in ("p0@yahoo.com", "p1@yahoo.com")]  # fmt: skip
    sent = pd.DataFrame(daily + stormy + promo).assign(sender="m@example.com")
    bounces = pd.concat(
        [
            pd.DataFrame(stormy).assign(bounced_at=storm, bounce_type="soft", message=TSS04),
            pd.DataFrame(promo[1:]).assign(
                bounced_at=OLD + pd.Timedelta(minutes=1),
                bounce_type="hard",
                message="550 5.1.1 The email account that you tried to reach does not exist.",
            ),
        ],
        ignore_index=True,
    ).assign(sender="m@example.com", bounce_rule="x", notified=False)
    complaints = pd.DataFrame(promo[:1]).assign(
        sender="m@example.com", complained_at=OLD + pd.Timedelta(hours=2)
    )
    suppressions = pd.DataFrame(stormy).drop(columns="sent_at")
    suppressions = suppressions.assign(
        suppressed_at=storm, reason="bounce", suppression_id=range(1, 61)
    )
    return {"sent": sent, "bounces": bounces, "complaints": complaints,
            "suppressions": suppressions}  # fmt: skip


def test_what_other_accounts_count_but_no_longer_list_is_said_and_puts_nobody_back(
    make_emulator, tmp_path
):
    emulator = make_emulator("empty", clock=NOW.timestamp, report_retention=True)
    emulator.replay(**_history())
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, _path = build(
            session, tmp_path, (NOW - pd.Timedelta(days=28)).isoformat(),
            (NOW - pd.Timedelta(days=1)).isoformat(), as_of=NOW.isoformat(),
            accounts=[NEWS], progress=False, stream=io.StringIO(),
        )  # fmt: skip
    (spike,) = [f for f in evidence.findings if f.kind == "spike"]
    said = " ".join(spike.said)
    # Not "0 addresses complained there": promo@ counts a complaint it no longer lists.
    assert "0 addresses complained there" not in said, said
    assert "counted but not listed" in said or "no longer lists" in said, said
    assert PROMO in said, said
    # Whoever it was about cannot be ruled out: nobody is put back (p0 complained, p1 dead).
    assert "reactivate" not in spike.verdicts and spike.verdicts.get("review") == 60, spike.verdicts


def test_one_counted_row_is_one_complaint():
    assert (
        Tally(0, 1, None).said("complaints")
        == "The server lists none of the 1 complaint it counts."
    )
    assert "none of the 2 bounces of this range" in Tally(0, 2, None).said("bounces of this range")
    assert "none of the 1 bounce of this range" in Tally(0, 1, None).said("bounces of this range")
