"""Streaming export vs read_suppressions into memory, on the ``large`` dataset (1,000,000 rows).

Run: ``python bench/export_large.py``. Each runs in its own process (so its peak RSS is its
own) against one emulator process; prints both throughputs, their ratio, and peak RSS
(target: the export stays under 300 MB).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

from _server import emulator_process

START, END = "2024-10-31", "2026-10-31"
JOB = f"""
import json, resource, sys, time
import mmframe as mm
url, key, mode, out = sys.argv[1:5]
with mm.Session(url, key) as s:
    started = time.perf_counter()
    if mode == "export":
        rows = int(mm.export_suppressions(out, "{START}", "{END}", session=s, progress=False)
                   ["rows"].sum())
    else:
        rows = len(mm.read_suppressions("{START}", "{END}", session=s, progress=False))
    seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"rows": rows, "seconds": seconds, "peak_mb": peak}}))
"""


def run(url: str, key: str, mode: str, out: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", JOB, url, key, mode, out], check=True, capture_output=True, text=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    with (
        emulator_process("--seed", "large") as (url, key, _admin),
        tempfile.TemporaryDirectory() as out,
    ):
        run(url, key, "read", out)  # warm the server's order index once
        export = run(url, key, "export", out)
        memory = run(url, key, "read", out)
    assert export["rows"] == memory["rows"] == 1_000_000
    for name, got in (("export_suppressions", export), ("read_suppressions", memory)):
        print(
            f"{name}: {got['rows'] / got['seconds']:,.0f} rows/s, peak RSS {got['peak_mb']:.0f} MB"
        )
    ratio = (export["rows"] / export["seconds"]) / (memory["rows"] / memory["seconds"])
    print(
        f"throughput export/in-memory: {ratio:.2f}; peak RSS export/in-memory: "
        f"{export['peak_mb'] / memory['peak_mb']:.2f} (target: export under 300 MB)"
    )


if __name__ == "__main__":
    main()
