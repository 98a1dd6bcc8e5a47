"""triage() of 1,000,000 bounces whose texts repeat, as real ones do.

Run: ``python bench/triage.py``. The texts are the emulator's bounce templates of nine
server families, filled with 2,000 addresses each (about 100,000 distinct texts, since
servers quote the address), drawn a million times, as Python objects and as the Arrow
strings read_bounces gives. Target: under 2 s; printed as the time over 2 s.
"""

from __future__ import annotations

import random
import time

import pandas as pd

import mmframe as mm
from mmframe.emulator.bounce_texts import TEXTS

ROWS = 1_000_000
TARGET_S = 2.0


def texts(rng: random.Random) -> list[str]:
    made = []
    for family in TEXTS.values():
        for template in family.values():
            for i in range(2_000):
                token = f"{rng.getrandbits(24):06x}"
                made.append(
                    template.format(
                        email=f"user{i}@example.com", local=f"user{i}", domain="example.com",
                        ip="198.51.100.10", host="mx.example.com", token=token,
                    )
                )  # fmt: skip
    return made


def main() -> None:
    rng = random.Random(0)
    distinct = list(dict.fromkeys(texts(rng)))
    drawn = rng.choices(distinct, k=ROWS)
    for kind in ("object", "string[pyarrow]"):  # Python's texts, and read_bounces'
        frame = pd.DataFrame({"message": pd.Series(drawn, dtype=kind)})
        started = time.perf_counter()
        out = mm.triage(frame)
        took = time.perf_counter() - started
        assert len(out) == ROWS and out["reason"].notna().all()
        print(f"{ROWS:,} bounces ({kind}), {len(distinct):,} distinct texts: {took:.2f} s")
        print(f"time over the {TARGET_S:.0f} s target: {took / TARGET_S:.2f} (target: under 1)")
    print(out["reason"].value_counts().head(8).to_string())


if __name__ == "__main__":
    main()
