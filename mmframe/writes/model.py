"""The model a write carries through its four stops: validate, plan, run, verify.

A write row is (label, account, natural key, payload): the input row's label, the account
it goes to, its address or username, and the parameters sent for it. :class:`Group` holds
one account's write rows as aligned lists (cheap at 200,000 rows); :class:`Rows` carries a
call's groups, its journal and its result frame (the per-row record: one row per input
row, with ``status``, ``error``, ``attempts`` and ``batch``) from stop to stop.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from ..client import Session
from ..client.checks import check_int, check_number
from ..options import OnError, OnInvalid, WriteOptions, with_defaults
from ..progress import Show
from .journal import Journal

Payload = dict[str, Any]
#: Request parameters for some keys sharing one payload.
Params = Callable[[list[str], Payload], dict[str, Any]]
#: A key's state as read back from the server (None: absent).
State = dict[str, Any]
#: Reads the rows to send before any write and refuses what must not be sent (a
#: ``ValueError``); returns each group's states, for a dry run to reuse (None: not read).
Guard = Callable[[list["Group"]], list[dict[str, State | None]] | None]
#: Reads the state of some keys of one account: key (lower-cased) → state.
Reader = Callable[[Session, list[str]], dict[str, State | None]]
#: Is a row's state (None: absent) already what its payload sets?
Reached = Callable[[State | None, Payload], bool]

#: The payload field asking for an operation's ``first`` write (never sent itself).
FIRST = "first"

#: What a write adds to each row. An input column of the same name is kept, renamed
#: ``input_<name>``; the result columns of an earlier write result are replaced.
RESULT_COLUMNS = ("status", "error", "attempts", "batch")
INPUT_PREFIX = "input_"
SECRET_COLUMNS = ("password", "apikey")


@dataclass(frozen=True)
class Operation:
    """One kind of write: the API method and how keys and a payload become parameters.

    ``multi`` writes take many keys per request (and can be split on a 452); ``then`` is
    a second write each batch also needs (a full remediation does both); ``first`` is a
    write sent before this one for the rows whose payload holds :data:`FIRST` (taking an
    address off the list to list it again).
    """

    name: str
    method: str
    params: Params
    multi: bool = True
    then: Operation | None = None
    first: First | None = None


@dataclass(frozen=True)
class First:
    """A write sent before an operation for the rows whose payload holds :data:`FIRST`, and
    what such a row's error says where it failed: the first write (``failed``), the
    operation after it (``between``), or the server not showing the state in time, read
    always, whatever ``verify=`` says (``unshown``; ``gone``: shown as if neither landed,
    undone by another client; ``{waited}`` the seconds waited).
    """

    operation: Operation
    failed: str
    between: str
    unshown: str
    gone: str


@dataclass(frozen=True)
class Write:
    """A write to carry out on the rows of a frame."""

    operation: Operation
    key: str  # the column holding addresses or usernames
    reader: Reader  # reads the current state of keys
    reached: Reached
    payloads: Callable[[pd.DataFrame], list[Payload]] | None = None  # per row; None: {}
    check: Callable[[pd.DataFrame], pd.DataFrame] | None = None  # more per-row problems
    #: problems only a read can reveal (an account that does not exist yet), before writes
    prepare: Callable[[Session, pd.DataFrame], pd.DataFrame] | None = None
    destructive: bool = False  # deletes always need confirm=
    after: Callable[[Session, list[str]], None] | None = None  # on the keys written
    guard: Guard | None = None  # run before any write, dry runs included


@dataclass(frozen=True, kw_only=True)
class Options:
    """How to carry a write out: the options of a call, filled in and checked.

    Each field is an option of :class:`mmframe.options.WriteOptions`, where its type,
    default and meaning are declared (a test holds the two to the same names and types);
    built by :meth:`of` only, so the defaults are the declared ones.
    """

    kind: str | None
    dry_run: bool
    confirm: bool | int | None
    confirm_threshold: int
    batch_size: int | None
    journal: str | os.PathLike[str] | None
    verify: bool
    verify_timeout: float
    on_error: OnError
    on_invalid: OnInvalid
    session: Session | None
    progress: Show
    on_batch: Callable[[int, int], None] | None

    @classmethod
    def of(cls, given: WriteOptions) -> Options:
        """The options of a call (``**options``), defaults filled in, checked."""
        options = cls(**with_defaults(WriteOptions, given))
        options.check()
        return options

    def check(self) -> None:
        """``TypeError`` or ``ValueError`` naming an option of the wrong type or range."""
        for name in ("dry_run", "verify"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be True or False, not {getattr(self, name)!r}")
        if self.kind is not None and not isinstance(self.kind, str):
            raise TypeError(f"kind must be text, not {self.kind!r}")
        if self.confirm is not None and not isinstance(self.confirm, bool):
            check_int("confirm", self.confirm, low=0)
        check_int("confirm_threshold", self.confirm_threshold, low=0)
        check_number("verify_timeout", self.verify_timeout)
        if self.batch_size is not None:
            check_int("batch_size", self.batch_size, low=1)
        if self.journal is not None and not isinstance(self.journal, str | os.PathLike):
            raise TypeError(f"journal must be a path, not {type(self.journal).__name__}")
        if self.on_error not in ("warn", "raise"):
            raise ValueError(f"on_error must be 'warn' or 'raise', not {self.on_error!r}")
        if self.on_invalid not in ("raise", "skip"):
            raise ValueError(f"on_invalid must be 'raise' or 'skip', not {self.on_invalid!r}")
        if self.on_batch is not None and not callable(self.on_batch):
            raise TypeError("on_batch must be callable")


@dataclass
class RowResult:
    """How one row ended."""

    status: str
    error: str | None = None
    attempts: int = 0
    batch: int | None = None


@dataclass
class Group:
    """One account's rows of a write: labels, natural keys and payloads, aligned."""

    account: str
    session: Session
    rows: list[Hashable] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    payloads: list[Payload] = field(default_factory=list)

    def keep(self, wanted: Callable[[Hashable], bool]) -> Group:
        """The rows for which ``wanted(row)`` holds."""
        kept = [i for i, row in enumerate(self.rows) if wanted(row)]
        return Group(
            self.account,
            self.session,
            [self.rows[i] for i in kept],
            [self.keys[i] for i in kept],
            [self.payloads[i] for i in kept],
        )


def result_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The input rows, secrets dropped, colliding columns renamed, result columns added."""
    meta = frame.attrs.get(schema.ATTRS_KEY)
    earlier = isinstance(meta, dict) and meta.get("kind") == "write_result"
    dropped = [c for c in SECRET_COLUMNS if c in frame.columns]
    if earlier:  # an earlier write's result: its outcome columns are replaced
        dropped += [c for c in RESULT_COLUMNS if c in frame.columns]
    result = frame.drop(columns=dropped)
    renamed = {c: INPUT_PREFIX + c for c in RESULT_COLUMNS if c in result.columns}
    clash = [new for new in renamed.values() if new in result.columns]
    if clash:
        raise ValueError(
            f"the frame has both {sorted(renamed)} and {clash}: the write's result columns "
            f"{list(RESULT_COLUMNS)} would have nowhere to keep the input's; rename them"
        )
    result = result.rename(columns=renamed)
    size = len(result)
    return result.assign(
        status=_repeated("planned", size, "string"),
        error=_repeated(None, size, "string"),
        attempts=_repeated(0, size, "Int64"),
        batch=_repeated(None, size, "Int64"),
    )


def _repeated(value: object, size: int, dtype: str) -> Any:
    """``size`` copies of ``value`` as a ``dtype`` array: one converted, then repeated (a
    list of 200,000 converted one by one cost a tenth of a second of a large write)."""
    return pd.array([value], dtype=dtype).take(np.zeros(size, dtype=np.intp))  # type: ignore[call-overload]


@dataclass
class Rows:
    """One write call on its way through the stops; each stop settles some rows.

    ``result`` is the per-row record: a row whose ``status`` is still ``planned`` is not
    settled yet. ``groups`` (from the plan on) holds the write rows still to send.
    """

    frame: pd.DataFrame
    write: Write
    options: Options
    session: Session
    result: pd.DataFrame
    groups: list[Group] = field(default_factory=list)
    journal: Journal | None = None
    size: int = 1  # keys per request

    def pending(self) -> list[Hashable]:
        """The labels of the rows no stop has settled yet, in the frame's order."""
        return self.result.index[self.result["status"] == "planned"].tolist()

    def settle(self, outcomes: Mapping[Hashable, RowResult]) -> None:
        """Write each row's outcome into the result's four columns (by position, at once)."""
        if not outcomes:
            return
        result = self.result
        positions = result.index.get_indexer(pd.Index(list(outcomes)))
        # The rows of one batch share one outcome object: read the few distinct ones and
        # spread them by position (reading 200,000 objects' fields one by one, then checking
        # each value again when the column was built, was a tenth of a large write's time).
        ends = list(outcomes.values())
        ids = np.fromiter(map(id, ends), dtype=np.uint64, count=len(ends))
        _ids, first, spread = np.unique(ids, return_index=True, return_inverse=True)
        distinct = [ends[i] for i in first]
        for name in RESULT_COLUMNS:
            settled = [getattr(end, name) for end in distinct]
            column = result[name]
            if name in ("attempts", "batch"):
                # Through plain numpy arrays: setting 200,000 positions of a pandas extension
                # column by iloc costs ten times as much.
                known = np.array([v is not None for v in settled], dtype=bool)
                given = np.array([0 if v is None else v for v in settled], dtype=np.int64)
                values = column.to_numpy(dtype=np.int64, na_value=0).copy()  # writable
                missing = column.isna().to_numpy().copy()
                values[positions] = given[spread]
                missing[positions] = ~known[spread]
                array: Any = pd.arrays.IntegerArray(values, missing)
            else:
                texts = np.array(column.astype(object).where(column.notna(), None), dtype=object)
                picked = np.empty(len(settled), dtype=object)
                picked[:] = settled
                texts[positions] = picked[spread]
                array = pd.array(texts, dtype="string")  # as result_frame made it
            result[name] = pd.Series(array, index=result.index)
