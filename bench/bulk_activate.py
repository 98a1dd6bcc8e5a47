"""activate() on 20,000 suppressed addresses against one request per address, at 5 ms latency.

Run: ``python bench/bulk_activate.py``. The per-address loop (the historical library's way)
is timed on a sample and scaled; prints the speed-up (target: at least 50x) and checks that
activate() sent at most ceil(rows / batch size) write requests.
"""

from __future__ import annotations

import math
import time

import requests
from _figures import QUICK, figure
from _server import configure, emulator_process, stats

import mmframe as mm

ROWS = 2_000 if QUICK else 20_000
SAMPLE = 100 if QUICK else 400
LATENCY_MS = 5


def main() -> None:
    with emulator_process("--seed", "empty") as (url, key, admin):
        with requests.Session() as http:
            for start in range(0, ROWS + SAMPLE, 1000):
                emails = ",".join(f"u{i:06d}@example.com" for i in range(start, start + 1000))
                http.post(
                    f"{url}/suppressions", data={"apikey": key, "emailaddress": emails}, timeout=60
                )
            configure(admin, latency_ms=LATENCY_MS)
            started = time.perf_counter()
            for i in range(ROWS, ROWS + SAMPLE):  # addresses activate() will not touch
                http.post(
                    f"{url}/suppressions/activate",
                    timeout=60,
                    data={"apikey": key, "emailaddress": f"u{i:06d}@example.com"},
                )
            loop = (time.perf_counter() - started) * ROWS / SAMPLE
        with mm.Session(url, key) as session:
            frame = mm.read_suppressions(session=session, progress=False)
            frame = frame[frame["email"] < f"u{ROWS:06d}"]
            before = stats(admin)["methods"]["POST suppressions/activate"]["requests"]
            started = time.perf_counter()
            result = frame.mm.activate(
                session=session, confirm=True, progress=False, verdicts=("reactivate", "keep")
            )  # suppressed by hand above: put back deliberately
            fast = time.perf_counter() - started
            sent = stats(admin)["methods"]["POST suppressions/activate"]["requests"] - before
            left = session.get("suppressions/count")["count"]
    batches = math.ceil(ROWS / 1000)
    filled = math.ceil((ROWS + SAMPLE) / 1000) * 1000
    assert result["status"].eq("ok").all() and len(result) == ROWS
    assert left == filled - ROWS - SAMPLE  # only the untouched tail is still suppressed
    print(
        f"{ROWS:,} rows at {LATENCY_MS} ms: one request per address {loop:.1f} s "
        f"(scaled from {SAMPLE}), activate() {fast:.2f} s"
    )
    figure(f"activate at {LATENCY_MS} ms, speed-up over one request per address", loop / fast, 50)
    print(f"write requests: {sent} (limit ceil({ROWS}/1000) = {batches})")


if __name__ == "__main__":
    main()
