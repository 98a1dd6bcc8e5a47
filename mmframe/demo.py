"""The main job: the demo dataset on an embedded emulator, read and summarised.

It starts the emulator with the ``demo`` seed, loads accounts, senders (with details) and
daily suppression counts for every account, finds each account's busiest day against its
usual level, and writes the frames to ``--out`` as Parquet plus a plain-text summary.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import pandas as pd

from .client import Session
from .loaders import read_accounts, read_senders, read_suppression_counts, read_suppressions

START, END = "2024-10-31", "2026-10-31"


def busiest_days(counts: pd.DataFrame) -> pd.DataFrame:
    """Per account, the day with most suppressions and how many times its median that is."""
    rows = []
    for account, group in counts.groupby("account", observed=True):
        series = group["count"].astype("float64")
        median = max(series.median(), 1.0)
        peak = pd.Timestamp(str(series.idxmax()))
        rows.append(
            {
                "account": account,
                "day": peak.date().isoformat(),
                "count": int(series.max()),
                "times_median": round(series.max() / median, 1),
            }
        )
    return pd.DataFrame(rows).sort_values("times_median", ascending=False, ignore_index=True)


def run(out: Path, *, progress: bool | None = None, stream: TextIO = sys.stdout) -> Path:
    """Run the demo into ``out``; returns the summary file's path."""
    from .emulator import Emulator

    out.mkdir(parents=True, exist_ok=True)
    print("starting the embedded emulator with the demo dataset ...", file=stream, flush=True)
    with Emulator("demo") as emulator, Session(emulator.url, emulator.master_apikey) as s:
        accounts = read_accounts(session=s, progress=progress)
        senders = read_senders(details=True, accounts="all", session=s, progress=progress)
        counts = read_suppression_counts(
            START, END, freq="D", accounts="all", session=s, progress=progress
        )
        peaks = busiest_days(counts)
        top = peaks.iloc[0]
        day = pd.Timestamp(top["day"], tz="UTC")
        storm = read_suppressions(
            day, day + pd.Timedelta(days=1), accounts=[top["account"]], session=s, progress=progress
        )
    for name, frame in {
        "accounts": accounts,
        "senders": senders,
        "counts": counts,
        "storm_rows": storm,
    }.items():
        frame.to_parquet(out / f"{name}.parquet")
    domains = storm["domain"].value_counts().head(3)
    lines = [
        f"accounts: {len(accounts)}; senders: {len(senders)} "
        f"({int(senders['ready'].sum())} ready, {int(senders['dkim'].sum())} with DKIM)",
        f"suppressions {START} .. {END}: {int(counts['count'].sum()):,}",
        "busiest day per account (x its median day):",
        peaks.to_string(index=False),
        f"incident: {top['account']} on {top['day']}: {len(storm):,} suppressions; top domains:",
        domains.to_string(),
    ]
    summary = out / "summary.txt"
    summary.write_text("\n".join(lines) + "\n")
    print("\n".join(lines), file=stream)
    print(f"wrote {summary} and the frames as Parquet in {out}", file=stream)
    return summary
