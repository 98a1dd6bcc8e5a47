"""mmframe: the Dyn Message Management email API as typed pandas DataFrames.

``import mmframe`` registers ``df.mm`` and loads nothing else (PEP 562): each public name
is loaded from its module on first use, so a script or the command pays only for the
parts it touches (issue 32: the import stays light).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Any


def _in_the_command() -> bool:
    """Whether this process is the ``mmframe`` command: its console script, or ``python -m
    mmframe`` (``mmframe.cli``), or the emulator's (``python -m mmframe.emulator``, which
    uses nothing of the client: the demo's child process, whose start the demo waits for).
    The command loads what a sub-command uses when it runs, so ``mmframe --help`` loads no
    pandas; any other ``import mmframe`` registers ``df.mm`` at once."""
    script = os.path.basename(sys.argv[0]) if sys.argv else ""
    given = list(getattr(sys, "orig_argv", []))
    module = given[given.index("-m") + 1] if "-m" in given[:-1] else ""
    return script in ("mmframe", "mmframe.exe") or module in _COMMANDS


#: The modules run as commands (``python -m``) that load the public names lazily.
_COMMANDS = ("mmframe", "mmframe.cli", "mmframe.emulator", "mmframe.emulator.__main__")


#: True in the ``mmframe`` command (see :func:`_in_the_command`).
_COMMAND = _in_the_command()

if not _COMMAND:
    from . import accessor as _accessor  # noqa: F401  (registers df.mm)

if TYPE_CHECKING:  # what __getattr__ loads on first use, for type checkers and editors
    from . import cache, widgets
    from .analysis import remediation_candidates, waits_for_sender
    from .analysis.triage import triage
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
        CacheWarning,
        ConfirmationRequired,
        EvidenceWarning,
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
        RequestBudgetError,
        ServerError,
        SessionClosed,
        TransportError,
    )
    from .export import export_events, export_suppressions
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
    from .reporting import report
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

#: name → (module, attribute or None for the module itself), loaded on first use.
_LAZY = {
    "widgets": (".widgets", None),
    "cache": (".cache", None),
    "export_suppressions": (".export", "export_suppressions"),
    "export_events": (".export", "export_events"),
    "report": (".reporting", "report"),
}


#: Where the other public names live: the command looks one up there when it is used.
_HOMES = (".errors", ".client", ".loaders", ".analysis", ".charts", ".writes")


def __getattr__(name: str) -> Any:
    if name in __all__ and name not in _LAZY:
        return _at_home(name)
    if name not in _LAZY:
        return _submodule(name)
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name, __name__)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # later look-ups skip this function
    return value


def _submodule(name: str) -> Any:
    """``mmframe.<name>`` for a submodule not imported yet (``mm.client``), as an eager
    package's attribute would be; AttributeError for any other name."""
    try:
        return importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise  # the submodule exists and lacks something it imports
        raise AttributeError(f"module 'mmframe' has no attribute {name!r}") from None


def _at_home(name: str) -> Any:
    """A public name not loaded yet, from its module (``df.mm`` is registered first, as
    ``import mmframe`` does outside the command)."""
    importlib.import_module(".accessor", __name__)
    for home in _HOMES:
        module = importlib.import_module(home, __name__)
        if hasattr(module, name):
            value = getattr(module, name)
            globals()[name] = value
            return value
    raise AttributeError(f"module 'mmframe' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "APIError",
    "BatchWriteError",
    "BatchWriteWarning",
    "CacheWarning",
    "ConfirmationRequired",
    "EvidenceWarning",
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
    "RequestBudgetError",
    "ServerError",
    "Session",
    "SessionClosed",
    "TransportError",
    "__version__",
    "activate",
    "cache",
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
    "waits_for_sender",
    "widgets",
]
