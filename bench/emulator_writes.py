"""Suppressed addresses a second through the emulator's HTTP API, and seed load times.

Run: ``python bench/emulator_writes.py``. The emulator runs as its own process; 16 client
threads each send ``POST /suppressions`` of 1,000 new addresses (200 requests in all).
Targets: at least 100,000 addresses a second; the ``large`` seed (1,000,000 rows) loading
in under 5 s. Prints the rate and the load times, each over its target.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import requests
from _server import emulator_process

from mmframe.emulator import Emulator

CLIENTS, REQUESTS, PER_REQUEST = 16, 200, 1000


def main() -> None:
    with emulator_process("--seed", "empty") as (url, key, _admin):
        local = __import__("threading").local()

        def send(batch: int) -> int:
            http = getattr(local, "http", None) or requests.Session()
            local.http = http
            emails = ",".join(f"b{batch:04d}u{i:04d}@example.com" for i in range(PER_REQUEST))
            response = http.post(
                f"{url}/suppressions", data={"apikey": key, "emailaddress": emails}, timeout=120
            )
            response.raise_for_status()
            return PER_REQUEST

        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(send, range(4)))  # warm the connections
            started = time.perf_counter()
            written = sum(pool.map(send, range(4, 4 + REQUESTS)))
            elapsed = time.perf_counter() - started
    rate = written / elapsed
    print(f"{written:,} addresses in {elapsed:.2f} s with {CLIENTS} clients: {rate:,.0f} /s")
    print(f"rate over target (100,000 /s): {rate / 100_000:.2f}")
    loads = {}
    for seed in ("empty", "demo", "large"):
        started = time.perf_counter()
        Emulator(seed).backend.close()
        loads[seed] = time.perf_counter() - started
    for seed, seconds in loads.items():
        print(f"seed {seed:6}: {seconds:6.2f} s")
    print(f"large load time over target (5 s): {loads['large'] / 5:.2f}")


if __name__ == "__main__":
    main()
