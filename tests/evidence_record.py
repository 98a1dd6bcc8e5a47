"""Evidence frames built by a test, recorded as a loader records a read of everything
from the first: :func:`mmframe.remediation_candidates` warns of evidence with no record
of its read (coverage unknown), and these frames are whole by construction."""

from __future__ import annotations

import pandas as pd


def whole(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (a copy) with a loader's record of a read of every row, from the first,
    on the key's own account (no other account named as left out)."""
    frame = frame.copy()
    frame.attrs["mmframe"] = {"kind": "test", "accounts": None, "seen": None,
                              "query": {"start": None, "end": None}}  # fmt: skip
    return frame
