"""``python -m bench [--quick]``: run the benchmarks that guard a ratio, print each figure
beside its target, and exit 1 when one falls past half its target (the guard ``.ci/run``
runs with ``--quick``: small versions, seconds each).

Every figure guarded is a ratio against a baseline measured in the same run (a sequential
loop, a per-row path), so a loaded machine slows both sides and the guard still holds;
half the target leaves room for that noise while catching a real slide.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
#: The benchmarks whose figures are ratios against a baseline of the same run.
GUARDED = (
    "suppression_counts.py",
    "read_suppressions.py",
    "read_bounces.py",
    "bulk_activate.py",
    "cache.py",
)


def run(quick: bool) -> list[dict[str, object]]:
    """Run each guarded benchmark; the figures they recorded, in order."""
    with tempfile.TemporaryDirectory() as scratch:
        figures = Path(scratch) / "figures.jsonl"
        env = {**os.environ, "MMFRAME_BENCH_FIGURES": str(figures)}
        if quick:
            env["MMFRAME_BENCH_QUICK"] = "1"
        for script in GUARDED:
            print(f"== {script}", flush=True)
            subprocess.run([sys.executable, str(HERE / script)], env=env, check=True)
        lines = figures.read_text(encoding="utf-8").splitlines() if figures.exists() else []
    return [json.loads(line) for line in lines]


def slid(record: dict[str, object]) -> bool:
    """Whether a figure fell past half its target (twice it, for a time-like figure)."""
    value, target = float(str(record["value"])), float(str(record["target"]))
    return value < target / 2 if record["higher"] else value > target * 2


def table(figures: list[dict[str, object]]) -> str:
    """The figures as a Markdown table: figure, target, guard, verdict."""
    rows = ["| figure | value | target | guard (half) | |", "|---|---|---|---|---|"]
    for record in figures:
        value, target = float(str(record["value"])), float(str(record["target"]))
        sign, guard = (">=", target / 2) if record["higher"] else ("<=", target * 2)
        verdict = "slid" if slid(record) else ("met" if _met(record) else "under target")
        rows.append(
            f"| {record['name']} | {value:.2f} | {sign} {target:g} | {sign} {guard:g} | {verdict} |"
        )
    return "\n".join(rows)


def _met(record: dict[str, object]) -> bool:
    value, target = float(str(record["value"])), float(str(record["target"]))
    return value >= target if record["higher"] else value <= target


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the small versions (seconds)")
    parser.add_argument(
        "--write",
        metavar="PATH",
        help="also write the table there (docs/_generated/guarded.md is the docs' benchmark "
        "page's table: a full run writes it)",
    )
    args = parser.parse_args()
    figures = run(args.quick)
    print()
    print(table(figures))
    if args.write and figures:
        Path(args.write).parent.mkdir(parents=True, exist_ok=True)
        size = "the quick sizes" if args.quick else "full size"
        Path(args.write).write_text(
            f"Written by `python -m bench --write {args.write}` ({size}, one run; each figure "
            "a ratio against a baseline of the same run):\n\n" + table(figures) + "\n",
            encoding="utf-8",
        )
    bad = [r["name"] for r in figures if slid(r)]
    if not figures:
        print("no figure was recorded")
        return 1
    if bad:
        print(f"slid past half the target: {', '.join(map(str, bad))}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
