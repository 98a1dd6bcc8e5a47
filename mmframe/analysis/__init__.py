"""Deliverability analysis: frames in, frames out (rates, bounce triage, remediation)."""

from __future__ import annotations

from typing import Any

from .rates import SPAM_RATE_LIMIT, SPAM_RATE_TARGET, add_rates
from .remediation import remediation_candidates
from .sender_first import waits_for_sender
from .triage import triage

__all__ = [
    "SPAM_RATE_LIMIT",
    "SPAM_RATE_TARGET",
    "add_rates",
    "remediation_candidates",
    "triage",
    "waits_for_sender",
]


def __getattr__(name: str) -> Any:
    """``mmframe.analysis.read_rates``, as before it moved to :mod:`mmframe.loaders.rates`:
    imported on use, so analysis itself never imports a reader."""
    if name == "read_rates":
        from ..loaders.rates import read_rates

        return read_rates
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
