"""Paging the ``large`` dataset costs the same per page at startindex 0 and at 999,500.

Run: ``python bench/emulator_paging.py``. Prints the per-page time at each offset and their
ratio (deep / first); ~1.0 means no O(n) offset scan.
"""

from __future__ import annotations

import statistics
import time

import requests

from mmframe.emulator import Emulator

REPEATS = 30


def page_seconds(session: requests.Session, url: str, key: str, offset: int) -> float:
    started = time.perf_counter()
    rows = session.get(
        f"{url}/suppressions", params={"apikey": key, "startindex": offset}, timeout=60
    ).json()["response"]["data"]["suppressions"]
    assert len(rows) == 500, len(rows)
    return time.perf_counter() - started


def main() -> None:
    started = time.perf_counter()
    with Emulator("large") as emulator, requests.Session() as session:
        print(f"large seed loaded in {time.perf_counter() - started:.1f} s")
        url, key = emulator.url, emulator.master_apikey
        page_seconds(session, url, key, 0)  # builds the order index once
        first, deep = [], []
        for _ in range(REPEATS):  # interleaved, so drift hits both alike
            first.append(page_seconds(session, url, key, 0))
            deep.append(page_seconds(session, url, key, 999_500))
        a, b = statistics.median(first), statistics.median(deep)
        print(f"median per page: startindex 0 {a * 1000:.2f} ms, 999,500 {b * 1000:.2f} ms")
        print(f"ratio deep/first: {b / a:.2f} (target: about 1, no O(n) scan)")


if __name__ == "__main__":
    main()
