"""Injected latency never blocks other requests: 16 clients vs 1 at 20 ms latency.

Run: ``python bench/emulator_concurrency.py``. Prints both request rates and their ratio
(target: at least 10x).
"""

from __future__ import annotations

import threading
import time

import requests

from mmframe.emulator import Emulator

SECONDS = 3.0
LATENCY_MS = 20


def client(url: str, key: str, stop_at: float, counts: list[int]) -> None:
    done = 0
    with requests.Session() as session:
        while time.perf_counter() < stop_at:
            body = session.get(f"{url}/suppressions/count", params={"apikey": key}, timeout=30)
            assert body.status_code == 200
            done += 1
    counts.append(done)


def rate(url: str, key: str, clients: int) -> float:
    counts: list[int] = []
    stop_at = time.perf_counter() + SECONDS
    threads = [
        threading.Thread(target=client, args=(url, key, stop_at, counts)) for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / SECONDS


def main() -> None:
    with Emulator("empty", latency_ms=LATENCY_MS) as emulator:
        url, key = emulator.url, emulator.master_apikey
        one = rate(url, key, 1)
        many = rate(url, key, 16)
        print(f"1 client: {one:.0f} req/s; 16 clients: {many:.0f} req/s at {LATENCY_MS} ms")
        print(f"ratio 16/1: {many / one:.1f}x (target: at least 10x)")


if __name__ == "__main__":
    main()
