"""mmframe: the Dyn Message Management email API as typed pandas DataFrames."""

from __future__ import annotations

from .client import Session, connect
from .errors import (
    APIError,
    BatchWriteError,
    ConfirmationRequired,
    InvalidAPIKey,
    InvalidArguments,
    MMError,
    PartialLoadError,
    PartialLoadWarning,
    TransportError,
)
from .loaders import (
    iter_suppressions,
    read_accounts,
    read_recipients,
    read_senders,
    read_suppression_counts,
    read_suppressions,
    read_xheaders,
)

__version__ = "0.1.0"

__all__ = [
    "APIError",
    "BatchWriteError",
    "ConfirmationRequired",
    "InvalidAPIKey",
    "InvalidArguments",
    "MMError",
    "PartialLoadError",
    "PartialLoadWarning",
    "Session",
    "TransportError",
    "__version__",
    "connect",
    "iter_suppressions",
    "read_accounts",
    "read_recipients",
    "read_senders",
    "read_suppression_counts",
    "read_suppressions",
    "read_xheaders",
]
