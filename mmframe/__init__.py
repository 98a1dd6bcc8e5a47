"""mmframe: the Dyn Message Management email API as typed pandas DataFrames.

Optional parts load on first use (PEP 562): ``mm.widgets`` (ipywidgets) and
``mm.export_suppressions`` (pyarrow.parquet) cost nothing until touched.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import accessor as _accessor  # noqa: F401  (registers df.mm)
from .analysis import remediation_candidates, triage
from .charts import (
    find_spikes,
    plot_domain_heatmap,
    plot_rates,
    plot_reason_mix,
    plot_suppression_trend,
)
from .client import Session, connect
from .errors import (
    APIError,
    BatchWriteError,
    BatchWriteWarning,
    ConfirmationRequired,
    FeatureNotEnabled,
    InvalidAPIKey,
    InvalidArguments,
    MalformedAnswer,
    MMError,
    NoSession,
    NotFound,
    ObjectExists,
    PartialLoadError,
    PartialLoadWarning,
    RateLimited,
    ServerError,
    SessionClosed,
    TransportError,
)
from .loaders import (
    count_suppressions,
    iter_events,
    iter_suppressions,
    read_accounts,
    read_bounces,
    read_clicks,
    read_complaints,
    read_delivered,
    read_event_counts,
    read_events,
    read_issues,
    read_opens,
    read_rates,
    read_recipients,
    read_senders,
    read_sent,
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

if TYPE_CHECKING:  # what __getattr__ loads lazily, for type checkers and editors
    from . import widgets
    from .export import export_events, export_suppressions
    from .reporting import report

__version__ = "0.1.0"

#: name → (module, attribute or None for the module itself), loaded on first use.
_LAZY = {
    "widgets": (".widgets", None),
    "export_suppressions": (".export", "export_suppressions"),
    "export_events": (".export", "export_events"),
    "report": (".reporting", "report"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'mmframe' has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name, __name__)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "APIError",
    "BatchWriteError",
    "BatchWriteWarning",
    "ConfirmationRequired",
    "FeatureNotEnabled",
    "InvalidAPIKey",
    "InvalidArguments",
    "InvalidRowsError",
    "MMError",
    "MalformedAnswer",
    "NoSession",
    "NotFound",
    "ObjectExists",
    "PartialLoadError",
    "PartialLoadWarning",
    "RateLimited",
    "ServerError",
    "Session",
    "SessionClosed",
    "TransportError",
    "__version__",
    "activate",
    "connect",
    "count_suppressions",
    "create_senders",
    "delete",
    "export_events",
    "export_suppressions",
    "find_spikes",
    "iter_events",
    "iter_suppressions",
    "plot_domain_heatmap",
    "plot_rates",
    "plot_reason_mix",
    "plot_suppression_trend",
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
    "remediation_candidates",
    "report",
    "rotate_apikey",
    "set_dkim",
    "set_seeding",
    "set_xheaders",
    "summary",
    "suppress",
    "triage",
    "upsert_accounts",
    "widgets",
]
