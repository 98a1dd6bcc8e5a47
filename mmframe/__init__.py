"""mmframe: the Dyn Message Management email API as typed pandas DataFrames."""

from __future__ import annotations

from . import accessor as _accessor  # noqa: F401  (registers df.mm)
from . import widgets
from .charts import find_spikes, plot_domain_heatmap, plot_reason_mix, plot_suppression_trend
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
from .export import export_suppressions
from .loaders import (
    count_suppressions,
    iter_suppressions,
    read_accounts,
    read_recipients,
    read_senders,
    read_suppression_counts,
    read_suppressions,
    read_xheaders,
)
from .writes import (
    InvalidRowsError,
    activate,
    create_senders,
    delete,
    rotate_apikey,
    set_dkim,
    set_seeding,
    set_xheaders,
    summary,
    suppress,
    upsert_accounts,
)

__version__ = "0.1.0"

__all__ = [
    "APIError",
    "BatchWriteError",
    "ConfirmationRequired",
    "InvalidAPIKey",
    "InvalidArguments",
    "InvalidRowsError",
    "MMError",
    "PartialLoadError",
    "PartialLoadWarning",
    "Session",
    "TransportError",
    "__version__",
    "activate",
    "connect",
    "count_suppressions",
    "create_senders",
    "delete",
    "export_suppressions",
    "find_spikes",
    "iter_suppressions",
    "plot_domain_heatmap",
    "plot_reason_mix",
    "plot_suppression_trend",
    "read_accounts",
    "read_recipients",
    "read_senders",
    "read_suppression_counts",
    "read_suppressions",
    "read_xheaders",
    "rotate_apikey",
    "set_dkim",
    "set_seeding",
    "set_xheaders",
    "summary",
    "suppress",
    "upsert_accounts",
    "widgets",
]
