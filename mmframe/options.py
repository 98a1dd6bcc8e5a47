"""Every option a read or a write takes, declared once.

The keyword options of the public functions are ``TypedDict`` declarations, taken with
``**options: Unpack[...]`` (PEP 692): type checkers and editors see each option, and the
functions, the accessor, the CLI and the docs all read them from here. Each option is
declared once, as ``Annotated[type, Opt(default, meaning)]``; ``DEFAULTS`` and ``MEANING``
are read from those declarations, and the docs extension writes each option's entry in
the Parameters of every function that takes it. ``takes`` gives each such function its
full signature at run time too (``help()``, Jupyter's completion, ``inspect.signature``),
with the declared defaults, and refuses a keyword it does not take, naming it. The
options are checked (types and ranges) by the function that uses them, before any request.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import (
    Annotated,
    Any,
    Literal,
    ParamSpec,
    TypedDict,
    TypeVar,
    get_args,
    get_type_hints,
)

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


@dataclass(frozen=True)
class Opt:
    """An option's default and its meaning in one line, carried by its annotation
    (``Annotated[type, Opt(default, meaning)]``): the signatures, the CLI's help and the
    API pages all take them from there."""

    default: Any
    meaning: str


# The options more than one declaration takes, each declared once here.
SessionOpt = Annotated[Session | None, Opt(None, "the session (default: the last connect())")]
ProgressOpt = Annotated[
    Show, Opt(None, "progress bar: on, off, auto (a terminal or notebook), or a bar of your own")
]
AccountsOpt = Annotated[
    Accounts, Opt(None, "'all' or usernames (a master key reads each account with its own key)")
]
OnErrorOpt = Annotated[
    OnError,
    Opt(
        "raise",
        "when part fails: 'raise' its error (which holds what there is), or 'warn' and "
        "return what there is",
    ),
]
AsOfOpt = Annotated[
    DateLike, Opt(None, "the time taken as now (a range reaching past it ends there)")
]
MaxRequestsOpt = Annotated[
    int, Opt(MAX_REQUESTS, "refuse, before any request, a call that plans more requests")
]
CacheOpt = Annotated[
    bool | Path | None,
    Opt(
        None,
        "keep closed months on disk and check them by count: True (the per-user folder), "
        "a folder, or False; None takes the session's (connect(cache=), MMFRAME_CACHE)",
    ),
]
BounceTypeOpt = Annotated[
    str | None,
    Opt(None, "hard, soft, previouslyhardbounced, suppressed or previouslycomplained"),
]
MessagesOpt = Annotated[bool, Opt(True, "include the bounce texts")]
UniqueOpt = Annotated[bool, Opt(False, "one row per recipient and message (opens, clicks)")]


class SessionOptions(TypedDict, total=False):
    """Options every call to the API takes: the session, and its progress bar."""

    session: SessionOpt
    progress: ProgressOpt


class AccountOptions(SessionOptions, total=False):
    """Options of a read that can span accounts (``"all"`` or usernames, master key)."""

    accounts: AccountsOpt


class ReadOptions(AccountOptions, total=False):
    """Options every read of a range takes: accounts, session, progress, failure, time."""

    on_error: OnErrorOpt
    as_of: AsOfOpt
    max_requests: MaxRequestsOpt
    cache: CacheOpt


class FilterOptions(TypedDict, total=False):
    """The filters every report read takes."""

    sender: Annotated[str | None, Opt(None, "only mail from this sender address")]
    recipients: Annotated[
        str | Sequence[str] | None, Opt(None, "only these recipients (one read each)")
    ]
    domain: Annotated[str | None, Opt(None, "only recipients at this domain")]
    xheaders: Annotated[
        Mapping[str, str] | None,
        Opt(None, "only messages with these X-header values (names every account reports on)"),
    ]


class EventOptions(ReadOptions, FilterOptions, total=False):
    """A report read's options: the read options and the filters."""


class BounceOptions(EventOptions, total=False):
    """The options of a bounce read: ``bounce_type`` and ``messages`` too."""

    bounce_type: BounceTypeOpt
    messages: MessagesOpt


class EngagementOptions(EventOptions, total=False):
    """The options of an opens or clicks read: ``unique`` too."""

    unique: UniqueOpt


class ReportOptions(BounceOptions, EngagementOptions, total=False):
    """The options of :func:`mmframe.read_events`: every report's, for any kind."""


class LazyReadOptions(TypedDict, total=False):
    """A lazy (Dask) read's options: no ``on_error`` or ``progress``, as its partitions are
    read when computed, on workers: an incomplete one raises there, and Dask shows progress."""

    accounts: AccountsOpt
    session: SessionOpt
    as_of: AsOfOpt
    max_requests: MaxRequestsOpt
    cache: CacheOpt


class LazyReportOptions(LazyReadOptions, FilterOptions, total=False):
    """A lazy (Dask) report read's options: the lazy read options and the report filters."""

    bounce_type: BounceTypeOpt
    messages: MessagesOpt
    unique: UniqueOpt


class WriteOptions(TypedDict, total=False):
    """Options every write takes."""

    kind: Annotated[
        str | None, Opt(None, "the frame's resource kind, when its attrs and columns cannot tell")
    ]
    dry_run: Annotated[
        bool, Opt(False, "read the state and mark each row planned or unchanged; write nothing")
    ]
    confirm: Annotated[
        bool | int | None,
        Opt(None, "True, or the number of rows: needed for large writes and every delete"),
    ]
    confirm_threshold: Annotated[int, Opt(1000, "rows a write may touch without confirm=")]
    batch_size: Annotated[
        int | None, Opt(None, "keys per request (default: the session's max_addresses)")
    ]
    journal: Annotated[
        Path | None, Opt(None, "a JSONL file of confirmed batches: the same call again skips them")
    ]
    verify: Annotated[
        bool, Opt(False, "re-read the state afterwards and fail rows that did not reach it")
    ]
    verify_timeout: Annotated[
        float, Opt(300.0, "seconds verify waits for the server to show a write (it may lag)")
    ]
    on_error: OnErrorOpt
    on_invalid: Annotated[
        OnInvalid,
        Opt("raise", "rows that cannot be sent: 'raise' before any request, or 'skip' them"),
    ]
    session: SessionOpt
    progress: ProgressOpt
    on_batch: Annotated[
        Callable[[int, int], None] | None,
        Opt(None, "called with (batches done, batches in all) after each batch"),
    ]


#: The verdicts of :func:`mmframe.remediation_candidates`.
Verdict = Literal["reactivate", "keep", "review"]


class ActivateOptions(WriteOptions, total=False):
    """The options of an activation: every write's, and the verdicts it lets through."""

    verdicts: Annotated[
        Verdict | Sequence[Verdict],
        Opt(
            ("reactivate",),
            "a frame with a verdict column: the verdicts whose rows may be activated (any "
            "other is refused before any request)",
        ),
    ]


#: Every declaration: those a function takes are among them or their parts.
DECLARATIONS: tuple[type, ...] = (ReportOptions, LazyReportOptions, ActivateOptions)


def declared(declaration: type) -> dict[str, tuple[Any, Opt]]:
    """Each option of ``declaration``, in declaration order: its type and its :class:`Opt`."""
    found = {}
    for name, hint in get_type_hints(declaration, include_extras=True).items():
        (opt,) = [extra for extra in getattr(hint, "__metadata__", ()) if isinstance(extra, Opt)]
        found[name] = (get_args(hint)[0], opt)
    return found


def _every_option() -> dict[str, Opt]:
    """Each option name's one :class:`Opt`; two different ones for a name is a bug here."""
    every: dict[str, Opt] = {}
    for declaration in DECLARATIONS:
        for name, (_type, opt) in declared(declaration).items():
            if every.setdefault(name, opt) != opt:
                raise TypeError(f"option {name} is declared twice, differently")
    return every


#: The default of every option, from its declaration.
DEFAULTS: dict[str, Any] = {name: opt.default for name, opt in _every_option().items()}
#: What each option means, in one line: the CLI's help and the docs take it from here.
MEANING: dict[str, str] = {name: opt.meaning for name, opt in _every_option().items()}

#: Docstring pieces many functions share, written once (as pandas' ``@doc`` does): a line
#: holding only ``{name}`` in the docstring of a function :func:`takes` decorates becomes
#: the piece, at that line's indentation.
DOC_PIECES = {
    "write_options": """**options
    The write options (:class:`mmframe.options.WriteOptions`, where each is declared
    with its type, default and meaning).""",
    "axes": """ax
    The axes to draw on (default: a new figure's).

Returns
-------
matplotlib.axes.Axes
    The axes drawn on.""",
    "write_result": """Returns
-------
pandas.DataFrame
    The write result, as :func:`mmframe.activate` gives it: the input rows (same
    index) plus ``status``, ``error``, ``attempts`` and ``batch``.

Raises
------
InvalidRowsError
    Rows that cannot be sent, before any request (``on_invalid="skip"`` skips them).
ConfirmationRequired
    More than ``confirm_threshold`` rows, or any delete, without ``confirm=``.
BatchWriteError
    When any row failed (``on_error="raise"``, the default): its ``.result`` is the
    whole result frame, every row marked, ``.failures`` the failed rows; with
    ``on_error="warn"``, the frame is returned and a ``BatchWriteWarning`` says so.""",
}
_PIECE = re.compile(r"^([ \t]*)\{(" + "|".join(DOC_PIECES) + r")\}[ \t]*$", re.M)


def documented(function: R) -> R:
    """Fill the :data:`DOC_PIECES` placeholders of ``function``'s docstring (for functions
    :func:`takes` does not decorate)."""
    function.__doc__ = with_pieces(function.__doc__)
    return function


def with_pieces(doc: str | None) -> str | None:
    """``doc`` with each :data:`DOC_PIECES` placeholder line filled in."""
    if doc is None:
        return None

    def fill(match: re.Match[str]) -> str:
        indent = match[1]
        return "\n".join(
            indent + line if line else line for line in DOC_PIECES[match[2]].split("\n")
        )

    return _PIECE.sub(fill, doc)


P = ParamSpec("P")
R = TypeVar("R")


def names(declaration: type) -> tuple[str, ...]:
    """The option names a declaration holds, in declaration order."""
    return tuple(get_type_hints(declaration))


def with_defaults(declaration: type, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every option of ``declaration``: those ``given``, the defaults for the rest."""
    return {name: given.get(name, DEFAULTS[name]) for name in names(declaration)}


def takes(
    declaration: type, *, refused: Mapping[str, str] | None = None
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
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=DEFAULTS[name],
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

        call.__doc__ = with_pieces(function.__doc__)
        call.__dict__["__signature__"] = own.replace(parameters=[*fixed, *extra])
        annotations = {k: v for k, v in function.__annotations__.items() if k != "options"}
        call.__annotations__ = {**annotations, **{p.name: p.annotation for p in extra}}
        return call

    return decorate
