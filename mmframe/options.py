"""Every option a read or a write takes, declared once.

The keyword options of the public functions are ``TypedDict`` declarations, taken with
``**options: Unpack[...]`` (PEP 692): type checkers and editors see each option, and the
functions, the accessor, the CLI and the docs all read them from here. ``takes`` gives
each such function its full signature at run time too (``help()``, Jupyter's completion,
``inspect.signature``), with the defaults of ``DEFAULTS``, and refuses a keyword it
does not take, naming it. The options are checked (types and ranges) by the function
that uses them, before any request.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, ParamSpec, TypedDict, TypeVar, get_type_hints

from .client import Session
from .dates import MAX_REQUESTS, DateLike
from .progress import Show

#: What to do when part of a call fails: ``"raise"`` its error (:class:`PartialLoadError`,
#: :class:`BatchWriteError`), or ``"warn"`` and return what there is (a read's complete
#: chunks, a write's result frame with its failed rows marked).
OnError = Literal["raise", "warn"]
#: Rows a write cannot send: ``"raise"`` before any request, or ``"skip"`` them.
OnInvalid = Literal["raise", "skip"]
Accounts = str | Sequence[str] | None
Path = str | os.PathLike[str]


class SessionOptions(TypedDict, total=False):
    """Options every call to the API takes: the session, and its progress bar."""

    session: Session | None
    progress: Show


class AccountOptions(SessionOptions, total=False):
    """Options of a read that can span accounts (``"all"`` or usernames, master key)."""

    accounts: Accounts


class ReadOptions(AccountOptions, total=False):
    """Options every read of a range takes: accounts, session, progress, failure, time."""

    on_error: OnError
    as_of: DateLike
    max_requests: int


class FilterOptions(TypedDict, total=False):
    """The filters every report read takes."""

    sender: str | None
    recipients: str | Sequence[str] | None
    domain: str | None
    xheaders: Mapping[str, str] | None


class EventOptions(ReadOptions, FilterOptions, total=False):
    """A report read's options: the read options and the filters."""


class BounceOptions(EventOptions, total=False):
    """The options of a bounce read: ``bounce_type`` and ``messages`` too."""

    bounce_type: str | None
    messages: bool


class EngagementOptions(EventOptions, total=False):
    """The options of an opens or clicks read: ``unique`` too."""

    unique: bool


class ReportOptions(BounceOptions, EngagementOptions, total=False):
    """The options of :func:`mmframe.read_events`: every report's, for any kind."""


class LazyReadOptions(TypedDict, total=False):
    """A lazy (Dask) read's options: no ``on_error`` or ``progress``, as its partitions are
    read when computed, on workers: an incomplete one raises there, and Dask shows progress."""

    accounts: Accounts
    session: Session | None
    as_of: DateLike
    max_requests: int


class LazyReportOptions(LazyReadOptions, FilterOptions, total=False):
    """A lazy (Dask) report read's options: the lazy read options and the report filters."""

    bounce_type: str | None
    messages: bool
    unique: bool


class WriteOptions(TypedDict, total=False):
    """Options every write takes."""

    kind: str | None
    dry_run: bool
    confirm: bool | int | None
    confirm_threshold: int
    batch_size: int | None
    journal: Path | None
    verify: bool
    verify_timeout: float
    on_error: OnError
    on_invalid: OnInvalid
    session: Session | None
    progress: Show
    on_batch: Callable[[int, int], None] | None


#: The default of every option (a write's ``on_error`` differs: see WRITE_DEFAULTS).
DEFAULTS: dict[str, Any] = {
    "accounts": None,
    "session": None,
    "progress": None,
    "on_error": "raise",
    "as_of": None,
    "max_requests": MAX_REQUESTS,
    "sender": None,
    "recipients": None,
    "domain": None,
    "xheaders": None,
    "bounce_type": None,
    "messages": True,
    "unique": False,
    "kind": None,
    "dry_run": False,
    "confirm": None,
    "confirm_threshold": 1000,
    "batch_size": None,
    "journal": None,
    "verify": False,
    "verify_timeout": 300.0,
    "on_invalid": "raise",
    "on_batch": None,
}
#: What each option means, in one line: the CLI's help and the docs take it from here.
MEANING: dict[str, str] = {
    "accounts": "'all' or usernames (a master key reads each account with its own key)",
    "session": "the session (default: the last connect())",
    "progress": "progress bar: on, off, auto (a terminal or notebook), or a bar of your own",
    "on_error": "when part fails: 'raise' its error, or 'warn' and return what there is",
    "as_of": "the time taken as now (a range reaching past it ends there)",
    "max_requests": "refuse, before any request, a call that plans more requests",
    "sender": "only mail from this sender address",
    "recipients": "only these recipients (one read each)",
    "domain": "only recipients at this domain",
    "xheaders": "only messages with these X-header values (names every account reports on)",
    "bounce_type": "hard, soft, previouslyhardbounced, suppressed or previouslycomplained",
    "messages": "include the bounce texts",
    "unique": "one row per recipient and message (opens, clicks)",
    "kind": "the frame's resource kind, when its attrs and columns cannot tell",
    "dry_run": "read the state and mark each row planned or unchanged; write nothing",
    "confirm": "True, or the number of rows: needed for large writes and every delete",
    "confirm_threshold": "rows a write may touch without confirm=",
    "batch_size": "keys per request (default: the session's max_addresses)",
    "journal": "a JSONL file of confirmed batches: the same call again skips them",
    "verify": "re-read the state afterwards and fail rows that did not reach it",
    "verify_timeout": "seconds verify waits for the server to show a write (it may lag)",
    "on_invalid": "rows that cannot be sent: 'raise' before any request, or 'skip' them",
    "on_batch": "called with (batches done, batches in all) after each batch",
}

#: A write returns its result frame with failed rows marked, and warns: the frame is the
#: record of every row. ``on_error="raise"`` raises :class:`BatchWriteError` instead.
WRITE_DEFAULTS: dict[str, Any] = {**DEFAULTS, "on_error": "warn"}

P = ParamSpec("P")
R = TypeVar("R")


def names(declaration: type) -> tuple[str, ...]:
    """The option names a declaration holds, in declaration order."""
    return tuple(get_type_hints(declaration))


def with_defaults(
    declaration: type, given: Mapping[str, Any], defaults: Mapping[str, Any] = DEFAULTS
) -> dict[str, Any]:
    """Every option of ``declaration``: those ``given``, the defaults for the rest."""
    return {name: given.get(name, defaults[name]) for name in names(declaration)}


def takes(
    declaration: type,
    defaults: Mapping[str, Any] = DEFAULTS,
    *,
    refused: Mapping[str, str] | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Give a function taking ``**options: Unpack[declaration]`` its full signature.

    The signature lists every option as keyword-only, with its type and default; a call
    with a keyword the declaration lacks raises ``TypeError`` naming it (``**options``
    alone would take any). ``refused`` maps options that other functions take, and this
    one cannot honour, to why: the ``TypeError`` then says so.
    """
    hints = get_type_hints(declaration)

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        own = inspect.signature(function)
        fixed = [p for p in own.parameters.values() if p.kind is not p.VAR_KEYWORD]
        extra = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=defaults[name],
                              annotation=hint)
            for name, hint in hints.items()
            if name not in own.parameters
        ]  # fmt: skip
        allowed = {p.name for p in fixed} | set(hints)

        @functools.wraps(function)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            unknown = sorted(set(kwargs) - allowed)
            if unknown:
                name = unknown[0]
                if refused and name in refused:
                    raise TypeError(f"{function.__name__}() does not take {name}: {refused[name]}")
                raise TypeError(
                    f"{function.__name__}() got an unexpected keyword argument {name!r}"
                )
            return function(*args, **kwargs)

        call.__dict__["__signature__"] = own.replace(parameters=[*fixed, *extra])
        annotations = {k: v for k, v in function.__annotations__.items() if k != "options"}
        call.__annotations__ = {**annotations, **{p.name: p.annotation for p in extra}}
        return call

    return decorate
