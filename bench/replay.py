"""Replay at scale: load a million-event history, then serve it as fast as the ``large`` seed.

Run: ``python bench/replay.py``.

1. The ``large`` seed's 1,000,000 suppressions and ~200,000 bounces are read with mmframe
   (an emulator process, as a remote server would be); with generated sends, deliveries,
   opens and clicks they make a history of 1,000,000 events plus the million-row list.
2. ``Emulator(seed="empty").replay(...)`` loads the events (target: under 10 s), then the
   whole history (events and list together).
3. The ``large`` seed's list and bounces, written as Parquet files, are served by
   ``python -m mmframe.emulator --history`` (a replica of ``large``) and read again: the
   replica's time over the seed's for the same reads, each the best of three runs taking
   turns (target: about 1).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from _server import emulator_process
from _timing import best_of, timed

import mmframe as mm
from mmframe.emulator import Emulator

EVENTS = 1_000_000
CAMPAIGNS = [f"campaign-{i:02d}" for i in range(24)]


def read_large() -> tuple[dict[str, pd.DataFrame], float, float]:
    """The ``large`` seed's list and bounces, and the seconds each read took."""
    with (
        emulator_process("--seed", "large") as (url, key, _admin),
        mm.Session(url, key) as session,
    ):
        (suppressions, listed), (bounces, bounced) = best_of(
            lambda: mm.read_suppressions(session=session, progress=False),
            lambda: mm.read_bounces("2024-01-01", "2027-01-01", session=session, progress=False),
        )
    return {"suppressions": suppressions, "bounces": bounces}, listed, bounced


def generated(count: int) -> dict[str, pd.DataFrame]:
    """Sends, their deliveries, opens and clicks: ``count`` events in all, one campaign each."""
    rng = np.random.default_rng(7)
    sends = int(count * 0.42)
    start = pd.Timestamp("2025-01-01", tz="UTC").value // 10**9
    sent_at = np.sort(rng.integers(start, start + 700 * 86400, sends))
    emails = pd.array([f"reader{i:07d}@example.com" for i in rng.integers(0, 300_000, sends)])
    sent = pd.DataFrame(
        {
            "email": emails,
            "sender": pd.array(["news@example.com"] * sends, dtype="string"),
            "sent_at": pd.to_datetime(sent_at, unit="s", utc=True),
            "x_campaign": pd.array(
                [CAMPAIGNS[i] for i in rng.integers(0, len(CAMPAIGNS), sends)], dtype="string"
            ),
            "x_messageid": pd.array([f"m{i:08d}" for i in range(sends)], dtype="string"),
        }
    )
    sent["email"] = sent["email"].astype("string")
    delivered = sent.sample(frac=0.95, random_state=1).sort_values("sent_at")
    rest = count - len(sent) - len(delivered)
    engaged = delivered.sample(n=rest, replace=True, random_state=2).sort_values("sent_at")
    later = pd.to_timedelta(rng.integers(60, 3 * 86400, rest), unit="s")
    touched = engaged.drop(columns=["sender"]).assign(at=engaged["sent_at"].array + later)
    touched = touched.drop(columns=["sent_at"]).sort_values("at")
    opens = touched.iloc[: rest * 3 // 4].rename(columns={"at": "opened_at"})
    clicks = touched.iloc[rest * 3 // 4 :].rename(columns={"at": "clicked_at"})
    clicks = clicks.assign(link=pd.array(["https://example.com/offer"] * len(clicks)))
    names = pd.DataFrame({"xheader1": ["X-Campaign"], "xheader2": ["X-MessageId"]})
    return {
        "xheaders": names,
        "sent": sent,
        "delivered": delivered,
        "opens": opens,
        "clicks": clicks,
    }


def main() -> None:
    large, listed, bounced = read_large()
    events = generated(EVENTS - len(large["bounces"]))
    total = sum(len(f) for k, f in events.items() if k != "xheaders") + len(large["bounces"])
    print(f"history: {total:,} events, {len(large['suppressions']):,} suppressions")
    with Emulator(seed="empty") as emulator:
        done, loaded = timed(lambda: emulator.replay(**events, bounces=large["bounces"]))
    assert sum(n for k, n in done.rows.items() if k != "xheaders") == total, done
    print(f"{total:,} events replayed in {loaded:.2f} s; / 10 s target: {loaded / 10:.2f}")
    with Emulator(seed="empty") as emulator:
        _done, whole = timed(lambda: emulator.replay(**events, **large))
    print(f"events and the 1,000,000-row list replayed in {whole:.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        for kind, frame in large.items():  # a replica of ``large``: the same rows
            frame.to_parquet(Path(folder, f"{kind}.parquet"))
        with (
            emulator_process("--history", folder) as (url, key, _admin),
            mm.Session(url, key) as session,
        ):
            (suppressions, replica_listed), (bounces, replica_bounced) = best_of(
                lambda: mm.read_suppressions(session=session, progress=False),
                lambda: mm.read_bounces(
                    "2024-01-01", "2027-01-01", session=session, progress=False
                ),
            )
    assert len(suppressions) == len(large["suppressions"])
    assert len(bounces) == len(large["bounces"])
    print(
        f"read_suppressions (1,000,000 rows): large seed {listed:.2f} s, replica "
        f"{replica_listed:.2f} s; replica / seed: {replica_listed / listed:.2f} (target: about 1)"
    )
    print(
        f"read_bounces ({len(bounces):,} rows): large seed {bounced:.2f} s, replica "
        f"{replica_bounced:.2f} s; replica / seed: {replica_bounced / bounced:.2f} "
        "(target: about 1)"
    )


if __name__ == "__main__":
    main()
