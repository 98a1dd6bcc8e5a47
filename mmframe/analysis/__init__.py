"""Deliverability analysis: frames in, frames out (rates, bounce triage, remediation)."""

from __future__ import annotations

from .rates import SPAM_RATE_LIMIT, SPAM_RATE_TARGET, add_rates, read_rates
from .remediation import remediation_candidates
from .triage import triage

__all__ = [
    "SPAM_RATE_LIMIT",
    "SPAM_RATE_TARGET",
    "add_rates",
    "read_rates",
    "remediation_candidates",
    "triage",
]
