"""A complaint a server stamped after this machine's now holds its row back on the page too
(thirty-seventh review, 4): a complaint 30 minutes ahead of the clock (a receiver's clock
ahead, local time written as UTC) was read by none of the report's loaders, which end at
now; the page counted the complainer among the rows to reactivate and said its dry run
"would change 60", while the activation, which reads what is stamped ahead, refused the
frame. The report reads them as the activation does."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mmframe as mm
from mmframe.dates import now_utc
from mmframe.emulator import Emulator
from mmframe.reporting import build

pytestmark = [pytest.mark.clock, pytest.mark.invariants]

NEWS, PROMO = "news@acme.example", "promo@acme.example"
RATE = (
    "421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating "
    "from your IP address. 421 4.7.28 rate limited."
)


def _history(now: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """40 days of quiet mail on news@ and promo@, a storm of 60 Gmail rate deferrals on
    news@ five days ago (each suppressed), and ``storm5``'s complaint on ``where``, stamped
    30 minutes after ``now``."""
    sent, bounces, sup = [], [], []
    for d in range(40, 0, -1):
        day = (now - pd.Timedelta(days=d)).floor("D") + pd.Timedelta(hours=9)
        for account in (NEWS, PROMO):
            for i in range(30):
                sent.append((account, f"bg{i}@yahoo.com", day + pd.Timedelta(seconds=i)))
    storm = (now - pd.Timedelta(days=5)).floor("D") + pd.Timedelta(hours=13)
    for i in range(60):
        email, at = f"storm{i}@gmail.com", storm + pd.Timedelta(seconds=i)
        sent.append((NEWS, email, at - pd.Timedelta(minutes=2)))
        bounces.append((NEWS, email, at - pd.Timedelta(minutes=2), at, "soft", RATE))
        sup.append((NEWS, email, at + pd.Timedelta(seconds=1), "bounce"))
    ahead = now.floor("s") + pd.Timedelta(minutes=30)
    frames = {
        "sent": pd.DataFrame(sent, columns=["account", "email", "sent_at"]),
        "bounces": pd.DataFrame(
            bounces,
            columns=["account", "email", "sent_at", "bounced_at", "bounce_type", "message"],
        ),
        "suppressions": pd.DataFrame(sup, columns=["account", "email", "suppressed_at", "reason"]),
    }
    frames["complaints"] = pd.DataFrame(
        {"email": ["storm5@gmail.com"], "sent_at": [ahead - pd.Timedelta(hours=5)],
         "complained_at": [ahead]}
    )  # fmt: skip
    return frames


@pytest.mark.parametrize(
    ("what", "where"), [("complaint", NEWS), ("complaint", PROMO), ("unsubscribe", PROMO)]
)
def test_a_complaint_or_opt_out_stamped_after_now_is_never_among_the_rows_to_put_back(
    what, where, tmp_path
):
    now = now_utc()
    frames = _history(now)
    frames["complaints"].insert(0, "account", where)
    if what == "unsubscribe":  # the same person, opted out on promo@'s list instead
        ahead = frames.pop("complaints")["complained_at"].iloc[0]
        opted = pd.DataFrame([(where, "storm5@gmail.com", ahead, "unsubscribe")],
                             columns=frames["suppressions"].columns)  # fmt: skip
        frames["suppressions"] = pd.concat([frames["suppressions"], opted], ignore_index=True)
    with Emulator("empty", port=0) as emulator:
        emulator.replay(accounts=pd.DataFrame({"username": [NEWS, PROMO]}), **frames)
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            made, _path = build(
                session, Path(tmp_path), now - pd.Timedelta(days=40), None, progress=False
            )
    spikes = [f for f in made.findings if f.fix is not None]
    assert len(spikes) == 1, [f.title for f in made.findings]
    fix = spikes[0].fix
    assert "storm5@gmail.com" not in set(fix["email"]), spikes[0].dry_run
    assert len(fix) == 59, len(fix)
    assert "activating the 59 rows would change 59" in spikes[0].dry_run, spikes[0].dry_run
    said = " ".join(spikes[0].said)
    if what == "complaint" and where == NEWS:  # the account's own, read ahead: said so
        # Thirty-eighth review, B4: "looked for back to <tomorrow> ... until <now> (1
        # complaint)": a search that starts after it ends, counting what lies outside it.
        assert "1 stamped after" in said, said
        assert "keeps none before then" in said, said
