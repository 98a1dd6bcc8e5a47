"""Plan, then apply: the one path every bulk write takes, from a frame to a result frame.

Every row of a write has an identity: the operation, the account it goes to, its natural
key (an address or a username, compared case-insensitively) and the payload sent for it.
The same identity serves validation (duplicates: the later row is skipped, and is the one
not sent), dry runs and ``verify=`` (has the server reached the payload's state?), and the
journal (a row is done only when that exact payload was confirmed for that target).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..client import Session, resolve
from ..client.checks import check_int, check_number
from ..errors import BatchWriteError, BatchWriteWarning, ConfirmationRequired, warn
from ..options import OnError, OnInvalid, WriteOptions, with_defaults
from ..progress import Show, bar
from . import plan
from .engine import Group, Operation, Payload, RowResult, make_jobs, run_jobs
from .journal import Journal, endpoint_of
from .targets import InvalidRowsError, failure_message, require_columns, row_problems

#: What a write adds to each row. An input column of the same name is kept, renamed
#: ``input_<name>``; the result columns of an earlier write result are replaced.
RESULT_COLUMNS = ("status", "error", "attempts", "batch")
INPUT_PREFIX = "input_"
SECRET_COLUMNS = ("password", "apikey")
#: Is a row's state (None: absent) already what its payload sets?
Reached = Callable[[plan.State | None, Payload], bool]


@dataclass(frozen=True)
class Write:
    """A write to carry out on the rows of a frame."""

    operation: Operation
    key: str  # the column holding addresses or usernames
    reader: plan.Reader  # reads the current state of keys
    reached: Reached
    payloads: Callable[[pd.DataFrame], list[Payload]] | None = None  # per row; None: {}
    check: Callable[[pd.DataFrame], pd.DataFrame] | None = None  # more per-row problems
    #: problems only a read can reveal (an account that does not exist yet), before writes
    prepare: Callable[[Session, pd.DataFrame], pd.DataFrame] | None = None
    destructive: bool = False  # deletes always need confirm=
    after: Callable[[Session, list[str]], None] | None = None  # on the keys written


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
        status=pd.array(["planned"] * size, dtype="string"),
        error=pd.array([None] * size, dtype="string"),
        attempts=pd.array([0] * size, dtype="Int64"),
        batch=pd.array([None] * size, dtype="Int64"),
    )


def _mark(result: pd.DataFrame, rows: dict[Hashable, RowResult]) -> None:
    """Write each row's outcome into the result's four columns (by position, at once)."""
    if not rows:
        return
    positions = result.index.get_indexer(pd.Index(list(rows)))
    outcomes = list(rows.values())
    for name in RESULT_COLUMNS:
        # Through a plain object array: setting 200,000 positions of a pandas extension
        # column by iloc costs ten times as much.
        values = np.array(result[name].astype(object), dtype=object)
        values[positions] = [getattr(r, name) for r in outcomes]
        result[name] = pd.Series(values, index=result.index).astype(result[name].dtype)


def _skip_invalid(frame: pd.DataFrame, write: Write, options: Options) -> dict[Hashable, RowResult]:
    problems = row_problems(frame, write.key, addresses=True)  # every key is an address
    if write.check is not None:
        problems = pd.concat([problems, write.check(frame)], ignore_index=True)
    bad = problems[problems["problem"] != "duplicate"]
    if len(bad) and options.on_invalid == "raise":
        raise InvalidRowsError(failure_message(bad), problems.reset_index(drop=True))
    return {
        row: RowResult("skipped", str(why))
        for row, why in zip(problems["index"], problems["detail"], strict=True)
    }


def _groups(
    frame: pd.DataFrame, write: Write, session: Session, rows: list[Hashable], *, named: bool
) -> list[Group]:
    """Rows per target account; ``named``: learn the session's own username (journals)."""
    chosen = frame[frame.index.isin(rows)] if len(rows) > 100 else frame.loc[rows]
    payloads = write.payloads(chosen) if write.payloads is not None else [{}] * len(chosen)
    keys = chosen[write.key].astype(str).to_numpy(dtype=object).tolist()
    if "account" not in frame.columns:
        own = session.identity() if named else (session.username or "").lower()
        return [Group(own, session, list(chosen.index), keys, list(payloads))]
    groups: dict[str, Group] = {}
    for row, key, payload, account in zip(
        chosen.index, keys, payloads, chosen["account"], strict=True
    ):
        label = str(account).lower()
        if label not in groups:
            groups[label] = Group(label, session.for_account(str(account)))
        group = groups[label]
        group.rows.append(row)
        group.keys.append(key)
        group.payloads.append(payload)
    return list(groups.values())


def _confirm(write: Write, options: Options, frame: pd.DataFrame, count: int, size: int) -> None:
    if not (write.destructive or count > options.confirm_threshold):
        return
    if options.confirm is True or (
        not isinstance(options.confirm, bool) and options.confirm in (len(frame), count)
    ):
        return
    summary = {
        "operation": write.operation.name,
        "rows": count,
        "frame_rows": len(frame),
        "requests": math.ceil(count / size) if count else 0,
        "destructive": write.destructive,
    }
    why = (
        "deletes always need"
        if write.destructive
        else (f"more than confirm_threshold={options.confirm_threshold} rows need")
    )
    raise ConfirmationRequired(
        f"{write.operation.name} of {count} row(s): {why} confirm=True or confirm={len(frame)}",
        summary=summary,
    )


def _states(groups: list[Group], write: Write) -> dict[Hashable, bool]:
    """Whether each row's target already holds what its payload sets."""
    reached: dict[Hashable, bool] = {}
    for group in groups:
        states = write.reader(group.session, group.keys)
        for row, key, payload in zip(group.rows, group.keys, group.payloads, strict=True):
            reached[row] = write.reached(states.get(key.lower()), payload)
    return reached


def execute(frame: pd.DataFrame, write: Write, options: Options) -> pd.DataFrame:
    """Validate, plan or apply ``write`` on ``frame``'s rows; one result row per input row."""
    options.check()
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a DataFrame, not {type(frame).__name__}")
    require_columns(frame, [write.key])
    if not frame.index.is_unique:
        raise ValueError("the frame's index must be unique (one result row per input row)")
    result = result_frame(frame)
    session = resolve(options.session)
    skipped = _invalid_rows(frame, write, options, session)
    size = options.batch_size or (session.transport.max_addresses if write.operation.multi else 1)
    todo = [row for row in frame.index if row not in skipped]
    if not options.dry_run:
        _confirm(write, options, frame, len(todo), size)
    journal = None
    if options.journal and (not options.dry_run or Path(options.journal).exists()):
        url, apikey = session.credentials()
        journal = Journal(  # a dry run makes none
            Path(options.journal), write.operation.name, endpoint_of(url), apikey
        )
    groups = _groups(frame, write, session, todo, named=journal is not None)
    if journal is not None:
        skipped.update(_still_done(_done_before(journal, groups), groups, write))
        groups = [group.keep(lambda row: row not in skipped) for group in groups]
    _mark(result, skipped)
    if options.dry_run:
        planned = {
            row: RowResult("unchanged" if ok else "planned")
            for row, ok in _states(groups, write).items()
        }
        _mark(result, planned)
        return _stamp(result, frame, write, options)
    _mark(result, _apply(groups, write, options, journal, size))
    if write.after is not None:
        written = result["status"] == "ok"
        write.after(session, [str(k) for k in frame.loc[written[written].index, write.key]])
    if options.verify:
        missed = _verify(result, groups, write, session, timeout=options.verify_timeout)
        if journal is not None:
            for group in missed:
                if group.keys:
                    journal.withdraw(group.account, list(group.keys), "failed verify")
    return _finish(_stamp(result, frame, write, options), options)


def _invalid_rows(
    frame: pd.DataFrame, write: Write, options: Options, session: Session
) -> dict[Hashable, RowResult]:
    """Rows not to send: invalid or duplicate ones, and those only a read can tell."""
    skipped = _skip_invalid(frame, write, options)
    todo = [row for row in frame.index if row not in skipped]
    if write.prepare is None or not todo:
        return skipped
    late = write.prepare(session, frame.loc[todo])
    if len(late) and options.on_invalid == "raise":
        raise InvalidRowsError(failure_message(late), late.reset_index(drop=True))
    for row, why in zip(late["index"], late["detail"], strict=True):
        skipped[row] = RowResult("skipped", str(why))
    return skipped


def _done_before(journal: Journal, groups: list[Group]) -> dict[Hashable, RowResult]:
    """Rows the journal holds as done for this exact target and payload; ``ValueError``
    when it holds other accounts' rows only."""
    done = journal.done()
    journal.check_accounts({group.account for group in groups if group.keys}, done)
    digests: dict[int, str] = {}  # rows share payload objects: digest each once
    found = {}
    for group in groups:
        for row, key, payload in zip(group.rows, group.keys, group.payloads, strict=True):
            digest = digests.get(id(payload))
            if digest is None:
                digest = digests[id(payload)] = journal.digest(payload)
            if (group.account, key.lower(), digest) in done:
                found[row] = RowResult("skipped", "done in an earlier run (journal)")
    return found


def _still_done(
    found: dict[Hashable, RowResult], groups: list[Group], write: Write
) -> dict[Hashable, RowResult]:
    """The journal's done rows, each checked against the server's state now (one read a
    batch): a row the server does not show done fails, loudly, and is not sent again."""
    if not found:
        return found
    done = [group.keep(found.__contains__) for group in groups]
    for row, reached in _states(done, write).items():
        if not reached:
            found[row] = RowResult(
                "failed",
                "the journal says an earlier run did this, but the server does not show it "
                "(another server at this address, or undone since): not sent again; a new "
                "journal file sends it",
            )
    return found


def _apply(
    groups: list[Group], write: Write, options: Options, journal: Journal | None, size: int
) -> dict[Hashable, RowResult]:
    """Send the batches (concurrently, journaled), with progress and ``on_batch``."""
    jobs = make_jobs(groups, write.operation, size=size)
    if journal is not None:
        for job in jobs:
            job.digest = journal.digest(job.payload)
    finished = 0
    with bar(
        write.operation.name, total=len(jobs), unit="batch", progress=options.progress
    ) as shown:

        def advance(_job: object) -> None:
            nonlocal finished
            finished += 1
            shown.update(1)
            if options.on_batch is not None:
                options.on_batch(finished, len(jobs))

        return run_jobs(write.operation, jobs, journal=journal, on_done=advance)


def _waits(timeout: float) -> list[float]:
    """The waits between verify's reads: 1, 2, 4 ... 30 s, adding up to ``timeout``.

    Short at first, as a write usually shows at once or soon; then every 30 s, so a
    server that takes minutes is read a few times a minute, not hammered.
    """
    waits: list[float] = []
    left, step = float(timeout), 1.0
    while left > 0:
        waits.append(min(step, left))
        left -= waits[-1]
        step = min(step * 2, 30.0)
    return waits


def _verify(
    result: pd.DataFrame, groups: list[Group], write: Write, session: Session, *, timeout: float
) -> list[Group]:
    """Fail the rows sent whose state the server does not show ``timeout`` s after the write;
    return them, by account.

    A row is done once the server shows its state or a pending one leading to it (the
    write's ``reached``); the others are read again after each wait of :func:`_waits`.
    """
    sent = set(result.index[result["status"] == "ok"])
    waiting = [group.keep(sent.__contains__) for group in groups]
    waited = 0.0
    for wait in [0.0, *_waits(timeout)]:
        if wait:
            session.pause(wait)  # the server's reads may lag its writes (SPEC A15)
            waited += wait
        missing = {row for row, ok in _states(waiting, write).items() if not ok}
        waiting = [group.keep(missing.__contains__) for group in waiting]
        if not any(group.rows for group in waiting):
            return []
    missed = [row for group in waiting for row in group.rows]
    result.loc[missed, "status"] = "failed"
    result.loc[missed, "error"] = f"state unchanged {waited:g} s after the write (verify)"
    return waiting


def _stamp(
    result: pd.DataFrame, frame: pd.DataFrame, write: Write, options: Options
) -> pd.DataFrame:
    meta = frame.attrs.get(schema.ATTRS_KEY)
    of = meta.get("of", meta.get("kind")) if isinstance(meta, dict) else None
    result.attrs = {
        schema.ATTRS_KEY: {
            "kind": "write_result",
            "of": of,  # the input's kind, so a result can be written again
            "operation": write.operation.name,
            "dry_run": options.dry_run,
        }
    }
    return result


def _finish(result: pd.DataFrame, options: Options) -> pd.DataFrame:
    failures = result[result["status"] == "failed"]
    if not len(failures):
        return result
    message = f"{len(failures)} of {len(result)} row(s) failed (see the result's error column)"
    if options.on_error == "raise":
        raise BatchWriteError(message, failures=failures, result=result)
    warn(BatchWriteWarning(message, failures))
    return result


def summary(result: pd.DataFrame) -> pd.Series:
    """Rows per status of a write result (ok, failed, unchanged, planned, skipped).

    Parameters
    ----------
    result
        A write result (any frame with a ``status`` column).

    Returns
    -------
    pandas.Series
        ``rows`` (``Int64``) per status, every status listed, in that order.
    """
    require_columns(result, ["status"])
    order = ["ok", "failed", "unchanged", "planned", "skipped"]
    counts = result["status"].value_counts()
    return pd.Series({s: int(counts.get(s, 0)) for s in order}, name="rows", dtype="Int64")
