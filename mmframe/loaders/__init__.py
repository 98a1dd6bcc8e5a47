"""Loaders: every read method of the MM API as a typed DataFrame.

Each name loads its own module on first use (PEP 562): a suppression read does not pay
for the event readers and their address checks.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: Each public name's module.
_HOME = {
    "read_accounts": ".accounts",
    "read_xheaders": ".accounts",
    "iter_events": ".events",
    "read_bounces": ".events",
    "read_clicks": ".events",
    "read_complaints": ".events",
    "read_delivered": ".events",
    "read_event_counts": ".events",
    "read_events": ".events",
    "read_issues": ".events",
    "read_opens": ".events",
    "read_sent": ".events",
    "read_rates": ".rates",
    "read_recipients": ".recipients",
    "read_senders": ".senders",
    "count_suppressions": ".suppressions",
    "iter_suppressions": ".suppressions",
    "read_suppression_counts": ".suppressions",
    "read_suppressions": ".suppressions",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name], __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


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
