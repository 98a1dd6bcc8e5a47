"""``import mmframe`` beyond ``import pandas``, in fresh processes (issue 32: at most 0.15 s).

Run: ``python bench/import_time.py``. Each of seven fresh interpreters imports pandas, then
mmframe, timing each; prints the median of both and mmframe's over pandas' (the baseline of
the same run) and over the 0.15 s target.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from _timing import uncompiled

CODE = """
import time
started = time.perf_counter()
import pandas
middle = time.perf_counter()
import mmframe
print(middle - started, time.perf_counter() - middle)
"""
RUNS = 7


def main() -> None:
    if note := uncompiled():
        print(note)
    pandas, ours = [], []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", CODE], capture_output=True, text=True, check=True
        ).stdout.split()
        pandas.append(float(out[0]))
        ours.append(float(out[1]))
    p, m = statistics.median(pandas), statistics.median(ours)
    print(f"import pandas {p:.3f} s, import mmframe beyond it {m:.3f} s (medians of {RUNS})")
    print(f"mmframe over pandas: {m / p:.2f}; over the 0.15 s target: {m / 0.15:.2f}")


if __name__ == "__main__":
    main()
