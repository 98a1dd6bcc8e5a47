"""read_suppressions() against a plain sequential loop, on 200,000 rows at 20 ms latency.

Run: ``python bench/read_suppressions.py``. Both read the same emulator in one run; prints
the speed-up (target: at least 6x with default settings) and the frame's memory per row.
"""

from __future__ import annotations

import time

import pandas as pd
import requests
from _server import configure, emulator_process

import mmframe as mm

ROWS = 200_000
LATENCY_MS = 20


def fill(url: str, key: str) -> None:
    with requests.Session() as http:
        for start in range(0, ROWS, 1000):
            emails = ",".join(f"user{i:07d}@example.com" for i in range(start, start + 1000))
            http.post(
                f"{url}/suppressions", timeout=60, data={"apikey": key, "emailaddress": emails}
            )


def sequential(url: str, key: str) -> pd.DataFrame:
    rows: list[dict[str, str]] = []
    with requests.Session() as http:
        start = 0
        while True:
            page = http.get(
                f"{url}/suppressions", params={"apikey": key, "startindex": start}, timeout=60
            ).json()["response"]["data"]["suppressions"]
            rows += page
            if len(page) < 500:
                return pd.DataFrame(rows)
            start += 500


def main() -> None:
    with emulator_process("--seed", "empty") as (url, key, admin):
        fill(url, key)
        configure(admin, latency_ms=LATENCY_MS)
        started = time.perf_counter()
        baseline = sequential(url, key)
        loop = time.perf_counter() - started
        with mm.Session(url, key) as session:
            started = time.perf_counter()
            frame = mm.read_suppressions(session=session, progress=False)
            fast = time.perf_counter() - started
    assert len(frame) == len(baseline) == ROWS
    per_row = frame.memory_usage(deep=True).sum() / len(frame)
    plain = baseline.memory_usage(deep=True).sum() / len(baseline)
    print(
        f"{ROWS:,} rows at {LATENCY_MS} ms: sequential loop {loop:.2f} s, "
        f"read_suppressions {fast:.2f} s"
    )
    print(f"speed-up: {loop / fast:.1f}x (target: at least 6x)")
    print(f"memory per row: {per_row:.0f} bytes typed (plain loop frame: {plain:.0f} bytes)")


if __name__ == "__main__":
    main()
