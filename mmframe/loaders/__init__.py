"""Loaders: every read method of the MM API as a typed DataFrame."""

from __future__ import annotations

from .accounts import read_accounts, read_xheaders
from .events import (
    iter_events,
    read_bounces,
    read_clicks,
    read_complaints,
    read_delivered,
    read_event_counts,
    read_events,
    read_issues,
    read_opens,
    read_sent,
)
from .rates import read_rates
from .recipients import read_recipients
from .senders import read_senders
from .suppressions import (
    count_suppressions,
    iter_suppressions,
    read_suppression_counts,
    read_suppressions,
)

__all__ = [
    "count_suppressions",
    "iter_events",
    "iter_suppressions",
    "read_accounts",
    "read_bounces",
    "read_clicks",
    "read_complaints",
    "read_delivered",
    "read_event_counts",
    "read_events",
    "read_issues",
    "read_opens",
    "read_rates",
    "read_recipients",
    "read_senders",
    "read_sent",
    "read_suppression_counts",
    "read_suppressions",
    "read_xheaders",
]
