"""The read cache (issue 34): a second read of an unchanged suppression list.

Run: ``python bench/cache.py``. The emulator runs as its own process, serving a replayed
list of 1,000,000 suppressions (40,000 with ``--quick``) spread over the 24 calendar months
before the last one, so every one of them is closed.

1. Requests of the second read: one count per closed month and the running month's own
   read (what reading it alone sends), over that sum (target: at most 1).
2. Time of the second read at 0 ms over reading the same rows' Parquet files alone
   (``pyarrow`` into pandas; target: at most 1.5x), each the best of three taking turns.
3. The fresh read's time at 20 ms over the second cached read's (target: at least 20x).
   2 and 3 are guarded at full size only (printed with ``--quick``).
4. 100 rows activated through the session, spread over 3 old months: the periods the next
   read refetches (target: exactly 3; a raise otherwise).
5. Peak memory (``VmHWM``) of a process doing a cached read over one doing a fresh read
   (target: at most 1.2x).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from _figures import QUICK, figure
from _server import configure, emulator_process, reset_stats, stats
from _timing import best_of

import mmframe as mm

ROWS = 40_000 if QUICK else 1_000_000
MONTHS = 24
LATENCY_MS = 20


def history(folder: Path) -> pd.Timestamp:
    """``ROWS`` suppressions over the ``MONTHS`` months before the last one, written as
    ``suppressions.parquet`` for the emulator's ``--history``; returns the first month."""
    last = pd.Timestamp.now(tz="UTC").normalize().replace(day=1) - pd.offsets.MonthBegin(1)
    first = last - pd.offsets.MonthBegin(MONTHS)
    rng = np.random.default_rng(0)
    seconds = np.sort(rng.integers(0, int((last - first).total_seconds()), ROWS))
    frame = pd.DataFrame(
        {
            "email": [f"user{i:07d}@example.com" for i in range(ROWS)],
            "reason": "bounce",
            "suppressed_at": first + pd.to_timedelta(seconds, unit="s"),
        }
    )
    frame.to_parquet(folder / "suppressions.parquet")
    return first


def requests_sent(admin: str) -> int:
    methods = stats(admin)["methods"]
    reset_stats(admin)
    return sum(int(m["requests"]) for m in methods.values())  # type: ignore[attr-defined]


def parquet_alone(root: Path) -> pd.DataFrame:
    """The cache's period files read into one frame, nothing else."""
    files = sorted(root.rglob("*.parquet"))
    return pa.concat_tables([pq.read_table(f) for f in files]).to_pandas()


PEAK = """
import sys
import mmframe as mm


def high_water():  # KiB; this process's own (ru_maxrss keeps the parent's across exec)
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    return int(status.split()[0])


url, key, start, cache = sys.argv[1:5]
before = high_water()
with mm.Session(url, key) as session:
    frame = mm.read_suppressions(start, session=session, progress=False,
                                 cache=cache if cache != "-" else False)
print(len(frame), high_water(), before)
"""


def peak_rss(url: str, key: str, start: pd.Timestamp, cache: str) -> tuple[int, int, int]:
    """(rows, peak RSS, RSS before the read: KiB) of a fresh process reading the list
    (``cache`` "-": none)."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK, url, key, str(start), cache],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    rows, peak, before = done.stdout.split()
    return int(rows), int(peak), int(before)


def three_months(frame: pd.DataFrame, first: pd.Timestamp) -> pd.DataFrame:
    """100 rows spread over the 2nd, 8th and 14th months."""
    months = frame["suppressed_at"].dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("M")
    wanted = [
        (first + pd.offsets.MonthBegin(n)).tz_localize(None).to_period("M") for n in (1, 7, 13)
    ]
    picked = [frame[months == m].head(n) for m, n in zip(wanted, (34, 33, 33), strict=True)]
    return pd.concat(picked)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder, root = Path(scratch) / "history", Path(scratch) / "cache"
        folder.mkdir()
        first = history(folder)
        with emulator_process("--history", str(folder)) as (url, key, admin):
            measure(url, key, admin, first, root)


def measure(url: str, key: str, admin: str, first: pd.Timestamp, root: Path) -> None:
    with mm.Session(url, key, cache=root) as session:
        read = lambda **o: mm.read_suppressions(first, session=session, progress=False, **o)  # noqa: E731
        filled = read()
        closed = filled.attrs["cache"]["refetched"]  # MONTHS, and the last if it is closed
        assert closed >= MONTHS and filled.attrs["cache"]["served"] == 0, filled.attrs["cache"]
        running = first + pd.offsets.MonthBegin(closed)
        requests_sent(admin)
        mm.read_suppressions(running, session=session, progress=False, cache=False)
        own = requests_sent(admin)  # what the running month's read takes alone
        again = read()
        sent = requests_sent(admin)
        pd.testing.assert_frame_equal(again, filled)
        print(f"{ROWS:,} rows, {closed} closed months: the second read sent {sent} requests "
              f"(the running month's read alone: {own})")  # fmt: skip
        figure("cache: requests of a second read over closed months + the running month's",
               sent / (closed + own), 1, higher=False)  # fmt: skip
        timings(read, root, admin)
        mm.activate(  # whatever their reason: put back deliberately (adv12, W1)
            three_months(again, first), session=session, progress=False,
            verdicts=("reactivate", "keep"),
        )  # fmt: skip
        after = read()
        refetched = after.attrs["cache"]["refetched"]
        print(f"100 rows activated over 3 old months: {after.attrs['cache']}")
        if refetched != 3:
            raise AssertionError(f"{refetched} periods refetched, not 3")
        figure("cache: periods refetched after 100 activations over 3 old months", refetched, 3,
               higher=False)  # fmt: skip
    (rows, plain, base), (same, kept, _) = (peak_rss(url, key, first, c) for c in ("-", str(root)))
    assert rows == same == ROWS - 100, (rows, same)
    print(f"peak RSS: fresh {plain / 1024:.0f} MiB, cached {kept / 1024:.0f} MiB (before the "
          f"read: {base / 1024:.0f} MiB)")  # fmt: skip
    figure("cache: peak memory of a cached read over a fresh one", kept / plain, 1.2, higher=False)


def timings(read: Callable[..., pd.DataFrame], root: Path, admin: str) -> None:
    """The second read's time over its Parquet alone (0 ms) and a fresh read's over it
    (20 ms). Guarded at full size only: at the quick size a read's few round trips and
    fixed costs outweigh 40,000 rows (printed, not guarded)."""
    record = print_only if QUICK else figure
    (_frame, alone), (_cached, cached) = best_of(lambda: parquet_alone(root), read)
    print(f"at 0 ms: Parquet alone {alone:.3f} s, the cached read {cached:.3f} s")
    record("cache: second read at 0 ms, time over its Parquet alone", cached / alone, 1.5,
           higher=False)  # fmt: skip
    configure(admin, latency_ms=LATENCY_MS)
    (_f, fresh), (_c, served) = best_of(lambda: read(cache=False), read)
    configure(admin, latency_ms=0)
    print(f"at {LATENCY_MS} ms: fresh {fresh:.2f} s, the cached read {served:.3f} s")
    record(f"cache: fresh read at {LATENCY_MS} ms over the second cached read", fresh / served, 20)


def print_only(name: str, value: float, target: float, *, higher: bool = True) -> None:
    """A figure printed beside its target, not recorded for the guard."""
    sign = ">=" if higher else "<="
    print(f"{name}: {value:.2f} (target {sign} {target:g}; not guarded at the quick size)")


if __name__ == "__main__":
    main()
