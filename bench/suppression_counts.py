"""read_suppression_counts() over 730 days against a sequential loop of count calls.

Run: ``python bench/suppression_counts.py``. 20 ms latency; prints the speed-up
(target: at least 10x with default settings).
"""

from __future__ import annotations

import time

import pandas as pd
import requests
from _server import emulator_process

import mmframe as mm

LATENCY_MS = 20
START, END = "2024-10-31", "2026-10-31"


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
    with emulator_process("--seed", "demo", "--latency-ms", str(LATENCY_MS)) as (url, key, _):
        started = time.perf_counter()
        baseline = sequential(url, key)
        loop = time.perf_counter() - started
        with mm.Session(url, key) as session:
            started = time.perf_counter()
            frame = mm.read_suppression_counts(
                START, END, freq="D", session=session, progress=False
            )
            fast = time.perf_counter() - started
    assert frame["count"].tolist() == baseline and len(frame) == 730
    print(
        f"730 daily counts at {LATENCY_MS} ms: sequential loop {loop:.2f} s, "
        f"read_suppression_counts {fast:.2f} s"
    )
    print(f"speed-up: {loop / fast:.1f}x (target: at least 10x)")


if __name__ == "__main__":
    main()
