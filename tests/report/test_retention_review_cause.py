"""On a server that lists only its last 30 days, the rows a spike's fix holds back because
older evidence is no longer listed are named by that, and the refusal they had keeps its
kind (tenth review, F5: 177 storm rows refused for "too many connections" were counted,
under retention, as "deferred for the volume sent or its complaints (the sender's
reputation)": the word "complaints" of the note that held them back was read as the
servers' own)."""

from __future__ import annotations

import io

import pandas as pd

import mmframe as mm
from mmframe.reporting import build
from mmframe.reporting.cause_words import words

NEWS, PROMO = "news@example.com", "promo@example.com"
NOW = pd.Timestamp("2026-12-05 12:00", tz="UTC")
STORM = NOW - pd.Timedelta(days=10)
OLD = NOW - pd.Timedelta(days=200)
TOO_MANY = "421 4.7.0 Too many connections from your IP, try again later"


def _history() -> dict[str, pd.DataFrame]:
    """news@: a 60-row storm of "too many connections" at web.de inside the 30 days listed;
    promo@: an older complaint, counted and no longer listed (so nobody is put back)."""
    storm = [STORM + pd.Timedelta(seconds=30 * i) for i in range(60)]
    emails = [f"w{i}@web.de" for i in range(60)]
    daily = [
        {"account": NEWS, "email": f"bg{d}.{i}@gmail.com", "domain": "gmail.com",
         "sent_at": NOW - pd.Timedelta(days=25 - d, hours=3, minutes=i)}
        for d in range(24) for i in range(60)
    ]  # fmt: skip
    stormy = [{"account": NEWS, "email": e, "domain": "web.de",
               "sent_at": t - pd.Timedelta(minutes=1)}
              for e, t in zip(emails, storm, strict=True)]  # fmt: skip
    promo = [{"account": PROMO, "email": "w0@web.de", "domain": "web.de", "sent_at": OLD}]
    sent = pd.DataFrame(daily + stormy + promo).assign(sender="m@example.com")
    bounces = pd.DataFrame(stormy).assign(
        bounced_at=storm, bounce_type="soft", message=TOO_MANY, sender="m@example.com",
        bounce_rule="x", notified=False,
    )  # fmt: skip
    complaints = pd.DataFrame(promo).assign(
        sender="m@example.com", complained_at=OLD + pd.Timedelta(hours=2)
    )
    suppressions = pd.DataFrame(stormy).drop(columns="sent_at")
    suppressions = suppressions.assign(
        suppressed_at=storm, reason="bounce", suppression_id=range(1, 61)
    )
    return {"sent": sent, "bounces": bounces, "complaints": complaints,
            "suppressions": suppressions}  # fmt: skip


def test_rows_held_back_for_unlisted_evidence_are_named_so_and_keep_their_refusal(
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
    assert spike.verdicts == {"review": 60}, spike.verdicts
    (table,) = [t for name, t in spike.tables if name == "Verdicts and their causes"]
    rows = list(zip(table["verdict"], table["cause"], table["rows"], strict=True))
    assert rows == [("review", words("incomplete", 60), "60")], rows
    said = " ".join(spike.said)
    # Not the sender's reputation: the servers said too many connections, and the page
    # says so where it tells what they said.
    assert words("volume") not in said and "reputation" not in said, said
    assert words("incomplete", 60) in said, said
    assert "too many connections" in said, said
