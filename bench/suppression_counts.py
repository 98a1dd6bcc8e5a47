"""read_suppression_counts() over 365 days against a sequential loop of count calls.

Run: ``python bench/suppression_counts.py``. 15 ms latency, as issue 32 measured it;
prints the speed-up (target: at least 10x with default settings), a fresh session's first
read (the best of three with ``--quick``).
"""

from __future__ import annotations

import pandas as pd
import requests
from _figures import QUICK, figure
from _server import emulator_process
from _timing import best_of

import mmframe as mm

LATENCY_MS = 15
START, END = ("2026-08-02", "2026-10-31") if QUICK else ("2025-10-31", "2026-10-31")
DAYS = (pd.Timestamp(END) - pd.Timestamp(START)).days


def sequential(url: str, key: str) -> list[int]:
    counts = []
    with requests.Session() as http:
        for day in pd.date_range(START, END, freq="D", tz="UTC")[:-1]:
            params = {
                "apikey": key,
                "startdate": day.isoformat(),
                "enddate": (day + pd.Timedelta(days=1)).isoformat(),
            }
            body = http.get(f"{url}/suppressions/count", params=params, timeout=60).json()
            counts.append(body["response"]["data"]["count"])
    return counts


def main() -> None:
    serving = emulator_process("--seed", "demo", "--latency-ms", str(LATENCY_MS))
    with serving as (url, key, _), mm.Session(url, key) as session:
        (baseline, loop), (frame, fast) = best_of(  # quick: the best of three, noise out
            lambda: sequential(url, key),
            lambda: mm.read_suppression_counts(
                START, END, freq="D", session=session, progress=False
            ),
            rounds=3 if QUICK else 1,
        )
    assert frame["count"].tolist() == baseline and len(frame) == DAYS
    print(
        f"{DAYS} daily counts at {LATENCY_MS} ms: sequential loop {loop:.2f} s, "
        f"read_suppression_counts {fast:.2f} s"
    )
    figure(f"daily counts at {LATENCY_MS} ms, speed-up over a sequential loop", loop / fast, 10)


if __name__ == "__main__":
    main()
