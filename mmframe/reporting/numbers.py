"""The one way the report writes a number."""

from __future__ import annotations

import math
from typing import SupportsFloat, cast


def count(n: object) -> str:
    """A whole count with thousands separators (``12,345``); ``-`` where missing."""
    try:
        value = float(cast(SupportsFloat, n))
    except (TypeError, ValueError):
        return "-"
    return "-" if math.isnan(value) else f"{round(value):,}"


def share(x: float) -> str:
    """A share as a percentage: whole percent, or one decimal below 10 %."""
    return "-" if math.isnan(x) else f"{x:.1%}" if x < 0.1 else f"{x:.0%}"


def plural(n: object, word: str, words: str | None = None) -> str:
    """``1 account``, ``3 accounts``: a count and its noun."""
    return f"{count(n)} {word if count(n) == '1' else words or word + 's'}"
