"""A benchmark's figures: printed for people, and written for ``python -m bench`` to judge.

``figure()`` prints one line and, when ``MMFRAME_BENCH_FIGURES`` names a file, appends the
figure to it as JSON. ``QUICK`` (``MMFRAME_BENCH_QUICK=1``, set by ``python -m bench
--quick``) asks a benchmark for its small version: seconds, not minutes; its ratios are
against baselines measured in the same run, so they hold on a loaded machine.
"""

from __future__ import annotations

import json
import os

QUICK = os.environ.get("MMFRAME_BENCH_QUICK") == "1"


def figure(name: str, value: float, target: float, *, higher: bool = True) -> None:
    """Print ``name``'s value beside its target, and record it for the guard.

    Parameters
    ----------
    name
        What is measured, in words ("read_suppressions over a sequential loop").
    value
        The ratio measured (against a baseline of the same run).
    target
        What ``value`` must reach: at least ``target`` when ``higher``, else at most.
    higher
        Whether more is better.
    """
    sign = ">=" if higher else "<="
    print(f"{name}: {value:.2f} (target {sign} {target:g})")
    path = os.environ.get("MMFRAME_BENCH_FIGURES")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            record = {"name": name, "value": value, "target": target, "higher": higher}
            out.write(json.dumps(record) + "\n")
