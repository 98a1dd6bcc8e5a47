"""read_rates() over two years, daily, five accounts, at 15 ms latency, against a sequential
loop of the same count requests.

Run: ``python bench/read_rates.py``. The emulator (``demo`` seed) runs as its own process.
Both sides send the same 730 x 5 x 6 = 21,900 count requests (sent, delivered, bounces,
complaints, unique opens, unique clicks per account and day); the ratio is the loop's time
over mmframe's. Pass ``--days N`` for a shorter range.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd
import requests
from _server import configure, emulator_process

import mmframe as mm

LATENCY_MS = 15
END = pd.Timestamp("2026-10-31", tz="UTC")
REPORTS = (
    "sent",
    "delivered",
    "bounces",
    "complaints",
    "opens/count/unique",
    "clicks/count/unique",
)


def sequential(url: str, keys: list[str], days: pd.DatetimeIndex) -> int:
    total = 0
    with requests.Session() as http:
        for key in keys:
            for day in days:
                window = {
                    "apikey": key,
                    "starttime": day.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                    "endtime": (day + pd.Timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                }
                for report in REPORTS:
                    path = report if "/" in report else f"{report}/count"
                    data = http.get(f"{url}/reports/{path}", params=window, timeout=60).json()
                    total += int(data["response"]["data"]["count"])
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=730)
    days = pd.date_range(end=END - pd.Timedelta(days=1), periods=parser.parse_args().days, freq="D")
    with emulator_process("--seed", "demo") as (url, key, admin):
        with mm.Session(url, key) as session:
            keys = [k for _name, k in session.account_keys().values()]
            configure(admin, latency_ms=LATENCY_MS)
            started = time.perf_counter()
            rates = mm.read_rates(
                days[0], END, freq="D", accounts="all", session=session, progress=False, as_of=END
            )
            fast = time.perf_counter() - started
        started = time.perf_counter()
        total = sequential(url, keys, days)
        loop = time.perf_counter() - started
    counted = rates[["sent", "delivered", "hard_bounces", "soft_bounces", "complaints",
                     "unique_opens", "unique_clicks"]].to_numpy().sum()  # fmt: skip
    assert counted == total, (counted, total)
    requests_sent = len(keys) * len(days) * len(REPORTS)
    print(f"{len(days)} days x {len(keys)} accounts at {LATENCY_MS} ms ({requests_sent:,} counts):"
          f" sequential loop {loop:.1f} s, mmframe {fast:.1f} s")  # fmt: skip
    print(f"speed-up over the sequential loop: {loop / fast:.1f}x")


if __name__ == "__main__":
    main()
