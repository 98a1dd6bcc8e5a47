"""What a read reaching now pays to be exact: 50,000 rows at 15 ms, read up to now against
the same read ending at a second already over, five times each, taking turns.

Run: ``python bench/read_now_wait.py``. A read reaching now used to wait for the current
second to end, up to a second wherever it started in it; it now ends where that second
begins when nothing is in it yet, and the ratio should be about 1. Prints both medians,
their ratio, and the spread of the first.
"""

from __future__ import annotations

import statistics
import time

import pandas as pd
import requests
from _server import configure, emulator_process

import mmframe as mm

ROWS, LATENCY_MS, ROUNDS = 50_000, 15, 5


def main() -> None:
    with emulator_process("--seed", "empty") as (url, key, admin):
        with requests.Session() as http:
            for start in range(0, ROWS, 1000):
                emails = ",".join(f"u{i:07d}@example.com" for i in range(start, start + 1000))
                http.post(
                    f"{url}/suppressions", timeout=60, data={"apikey": key, "emailaddress": emails}
                )
        configure(admin, latency_ms=LATENCY_MS)
        now_open, past = [], []
        with mm.Session(url, key) as session:
            for _round in range(ROUNDS):
                started = time.perf_counter()
                mm.read_suppressions(session=session, progress=False)
                now_open.append(time.perf_counter() - started)
                end = pd.Timestamp.now(tz="UTC").floor("s")
                started = time.perf_counter()
                mm.read_suppressions(None, end, session=session, progress=False)
                past.append(time.perf_counter() - started)
    slow, fast = statistics.median(now_open), statistics.median(past)
    print(f"{ROWS:,} rows at {LATENCY_MS} ms, {ROUNDS} reads each, taking turns")
    print(f"up to now: median {slow:.2f} s (from {min(now_open):.2f} to {max(now_open):.2f})")
    print(f"ending at a past second: median {fast:.2f} s")
    print(f"up to now over a past second: {slow / fast:.2f}")


if __name__ == "__main__":
    main()
