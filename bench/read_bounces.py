"""read_bounces() against two baselines: a sequential loop, and a hand-tuned loop.

Run: ``python bench/read_bounces.py``. The emulator runs as its own process, with the
``large`` seed's 199,869 bounces (each with its SMTP text) and 20 ms latency per request
(``python -m bench --quick``: five months of them, 41,944 bounces).

1. mmframe over a plain sequential ``requests`` loop (target: at least 6x);
2. mmframe's time over a loop a skilled user would write (count, then 16 threads with one
   ``requests.Session`` each, ``json``, one ``pd.DataFrame`` and its times parsed at the
   end; target: at most 0.8x its time; each the best of three runs, taking turns).
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import requests
from _figures import QUICK, figure
from _server import configure, emulator_process
from _timing import best_of, timed

import mmframe as mm

LATENCY_MS = 20
#: The range read: all of it, or five months for the quick guard.
RANGE: dict[str, str] = {"starttime": "2026-05-01", "endtime": "2026-10-01"} if QUICK else {}


def sequential(url: str, key: str) -> pd.DataFrame:
    rows: list[dict[str, str]] = []
    with requests.Session() as http:
        while True:
            page = http.get(
                f"{url}/reports/bounces",
                params={"apikey": key, "startindex": len(rows), **RANGE},
                timeout=60,
            ).json()["response"]["data"]["bounces"]
            rows += page
            if len(page) < 500:
                return pd.DataFrame(rows)


def hand_tuned(url: str, key: str) -> pd.DataFrame:
    """Count, then every page on 16 threads (a session each), one frame at the end."""
    local = threading.local()

    def get(params: dict[str, object]) -> object:
        http = getattr(local, "http", None) or requests.Session()
        local.http = http
        response = http.get(f"{url}/{params.pop('method')}", params=params, timeout=60)
        return json.loads(response.content)["response"]["data"]

    count = get({"method": "reports/bounces/count", "apikey": key, **RANGE})["count"]  # type: ignore[index]
    pages = [
        {"method": "reports/bounces", "apikey": key, "startindex": s, **RANGE}
        for s in range(0, count, 500)
    ]
    with ThreadPoolExecutor(16) as pool:
        rows = [r for data in pool.map(get, pages) for r in data["bounces"]]  # type: ignore[index]
    frame = pd.DataFrame(rows)
    for column in ("bouncetime", "senttime"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def main() -> None:
    with emulator_process("--seed", "large") as (url, key, admin):
        configure(admin, latency_ms=LATENCY_MS)
        baseline, loop = timed(lambda: sequential(url, key))
        with mm.Session(url, key) as session:
            (tuned, tuned_time), (frame, fast) = best_of(
                lambda: hand_tuned(url, key),
                lambda: mm.read_bounces(
                    RANGE.get("starttime"), RANGE.get("endtime"), session=session, progress=False
                ),
            )
    assert len(frame) == len(baseline) == len(tuned) > (40_000 if QUICK else 190_000)
    assert frame["message"].notna().all()
    print(f"{len(frame):,} bounces at {LATENCY_MS} ms: sequential {loop:.2f} s, "
          f"hand-tuned {tuned_time:.2f} s, mmframe {fast:.2f} s")  # fmt: skip
    figure(f"read_bounces at {LATENCY_MS} ms, speed-up over a sequential loop", loop / fast, 6)
    figure(f"read_bounces at {LATENCY_MS} ms, time over a hand-tuned loop",
           fast / tuned_time, 0.8, higher=False)  # fmt: skip
    typed = frame.memory_usage(deep=True).sum() / len(frame)
    plain = tuned.memory_usage(deep=True).sum() / len(tuned)
    print(f"memory per row: {typed:.0f} bytes typed (hand-tuned frame: {plain:.0f} bytes)")


if __name__ == "__main__":
    main()
