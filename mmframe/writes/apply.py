"""Plan, then apply: the one path every bulk write takes, from a frame to a result frame."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from ..client import Session, resolve
from ..errors import BatchWriteError, ConfirmationRequired
from ..progress import bar
from . import plan
from .engine import Journal, Operation, RowResult, make_jobs, run_jobs
from .targets import InvalidRowsError, require_columns, row_problems

RESULT_COLUMNS = ("status", "error", "attempts", "batch")
SECRET_COLUMNS = ("password", "apikey")
OnError = Literal["collect", "raise"]
#: One account's share of a write: (username, its session, row labels, keys).
Group = tuple[str | None, Session, list[Hashable], list[str]]


@dataclass(frozen=True)
class Write:
    """A write to carry out on the rows of a frame."""

    operation: Operation
    key: str  # the column holding addresses or usernames
    reader: plan.Reader  # reads the current state of keys
    reached: Callable[[plan.State | None], bool]  # is a row already in the written state?
    addresses: bool = True  # whether keys must be valid addresses
    destructive: bool = False  # deletes always need confirm=


@dataclass(frozen=True)
class Options:
    """How to carry a write out (the keyword arguments every write function takes)."""

    dry_run: bool = False
    confirm: bool | int | None = None
    confirm_threshold: int = 1000
    batch_size: int | None = None
    journal: str | Path | None = None
    verify: bool = False
    on_error: OnError = "collect"
    on_invalid: Literal["raise", "skip"] = "raise"
    session: Session | None = None
    progress: bool | None = None
    on_batch: Callable[[int, int], None] | None = None  # (batches done, batches in all)

    def check(self) -> None:
        """``ValueError`` naming an option out of range."""
        if self.on_error not in ("collect", "raise"):
            raise ValueError(f"on_error must be 'collect' or 'raise', not {self.on_error!r}")
        if self.on_invalid not in ("raise", "skip"):
            raise ValueError(f"on_invalid must be 'raise' or 'skip', not {self.on_invalid!r}")
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {self.batch_size!r}")


def _result_frame(frame: pd.DataFrame) -> pd.DataFrame:
    result = frame.drop(columns=[c for c in SECRET_COLUMNS if c in frame.columns])
    size = len(result)
    return result.assign(
        status=pd.array(["planned"] * size, dtype="string"),
        error=pd.array([None] * size, dtype="string"),
        attempts=pd.array([0] * size, dtype="Int64"),
        batch=pd.array([None] * size, dtype="Int64"),
    )


def _mark(result: pd.DataFrame, rows: dict[Hashable, RowResult]) -> None:
    if not rows:
        return
    index = list(rows)
    result.loc[index, "status"] = [r.status for r in rows.values()]
    result.loc[index, "error"] = [r.error for r in rows.values()]
    result.loc[index, "attempts"] = [r.attempts for r in rows.values()]
    result.loc[index, "batch"] = [r.batch for r in rows.values()]


def _skip_invalid(frame: pd.DataFrame, write: Write, options: Options) -> dict[Hashable, RowResult]:
    problems = row_problems(frame, write.key, addresses=write.addresses)
    bad = problems[~problems["problem"].str.startswith("duplicate")]
    if len(bad) and options.on_invalid == "raise":
        shown = "; ".join(
            f"row {r.index!r}: {r.value!r}: {r.problem}" for r in bad.head(10).itertuples()
        )
        more = f" (+{len(bad) - 10} more)" if len(bad) > 10 else ""
        raise InvalidRowsError(f"{len(bad)} row(s) cannot be written: {shown}{more}", problems)
    return {
        row: RowResult("skipped", str(why))
        for row, why in zip(problems["index"], problems["problem"], strict=True)
    }


def _groups(
    frame: pd.DataFrame, write: Write, session: Session, rows: list[Hashable]
) -> list[Group]:
    chosen = frame.loc[rows]
    if "account" not in frame.columns:
        return [(session.username, session, rows, [str(k) for k in chosen[write.key]])]
    groups: list[Group] = []
    for account, part in chosen.groupby("account", sort=False, observed=True):
        target = session.for_account(str(account))
        groups.append((str(account), target, list(part.index), [str(k) for k in part[write.key]]))
    return groups


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
    reached: dict[Hashable, bool] = {}
    for _account, session, rows, keys in groups:
        states = write.reader(session, keys)
        reached.update(
            {
                row: write.reached(states.get(key.lower()))
                for row, key in zip(rows, keys, strict=True)
            }
        )
    return reached


def execute(frame: pd.DataFrame, write: Write, options: Options) -> pd.DataFrame:
    """Validate, plan or apply ``write`` on ``frame``'s rows; one result row per input row."""
    options.check()
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a DataFrame, not {type(frame).__name__}")
    require_columns(frame, [write.key])
    if not frame.index.is_unique:
        raise ValueError("the frame's index must be unique (one result row per input row)")
    result = _result_frame(frame)
    skipped = _skip_invalid(frame, write, options)
    journal = Journal(Path(options.journal)) if options.journal else None
    todo = [row for row in frame.index if row not in skipped]
    session = resolve(options.session)
    size = options.batch_size or (session.transport.max_addresses if write.operation.multi else 1)
    if not options.dry_run:
        _confirm(write, options, frame, len(todo), size)
    groups = _groups(frame, write, session, todo)
    if journal is not None:
        done = journal.done(write.operation)
        for account, _s, rows, keys in groups:
            owner = str(account or "").lower()
            skipped.update(
                {
                    row: RowResult("skipped", "done in an earlier run (journal)")
                    for row, key in zip(rows, keys, strict=True)
                    if (owner, key.lower()) in done
                }
            )
        groups = [
            (
                a,
                s,
                [r for r in rows if r not in skipped],
                [k for r, k in zip(rows, keys, strict=True) if r not in skipped],
            )
            for a, s, rows, keys in groups
        ]
    _mark(result, skipped)
    if options.dry_run:
        reached = _states(groups, write)
        _mark(
            result,
            {row: RowResult("unchanged" if done else "planned") for row, done in reached.items()},
        )
        return _stamp(result, write, options)
    jobs = make_jobs(groups, size=size)
    finished = 0

    def advance(_job: object) -> None:
        nonlocal finished
        finished += 1
        shown.update(1)
        if options.on_batch is not None:
            options.on_batch(finished, len(jobs))

    with bar(
        write.operation.name, total=len(jobs), unit="batch", progress=options.progress
    ) as shown:
        _mark(result, run_jobs(write.operation, jobs, journal=journal, on_done=advance))

    if options.verify:
        _verify(result, groups, write)
    return _finish(_stamp(result, write, options), options)


def _verify(result: pd.DataFrame, groups: list[Group], write: Write) -> None:
    reached = _states(groups, write)
    missed = [row for row, ok in reached.items() if not ok and result.at[row, "status"] == "ok"]
    result.loc[missed, "status"] = "failed"
    result.loc[missed, "error"] = "state unchanged after the write (verify)"


def _stamp(result: pd.DataFrame, write: Write, options: Options) -> pd.DataFrame:
    result.attrs = {
        "mmframe": {
            "kind": "write_result",
            "operation": write.operation.name,
            "dry_run": options.dry_run,
        }
    }
    return result


def _finish(result: pd.DataFrame, options: Options) -> pd.DataFrame:
    failures = result[result["status"] == "failed"]
    if len(failures) and options.on_error == "raise":
        raise BatchWriteError(
            f"{len(failures)} of {len(result)} row(s) failed", failures=failures, result=result
        )
    return result


def summary(result: pd.DataFrame) -> pd.Series:
    """Rows per status of a write result (ok, failed, unchanged, planned, skipped)."""
    require_columns(result, ["status"])
    order = ["ok", "failed", "unchanged", "planned", "skipped"]
    counts = result["status"].value_counts()
    return pd.Series({s: int(counts.get(s, 0)) for s in order}, name="rows", dtype="Int64")
