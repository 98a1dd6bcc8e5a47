"""Running writes: batches on the shared pool, 452 splitting, and the resumable journal.

Every MM write sets a state, so a batch may be sent again safely: retries happen in the
session, and after a crash the journal tells which rows are already done. A batch the
server rejects with 452 (one bad address rejects it whole) is split in halves until the
bad addresses stand alone, so every good address still lands.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..client import Session
from ..errors import InvalidArguments, MMError

Params = Callable[[list[str]], dict[str, Any]]


@dataclass(frozen=True)
class Operation:
    """One kind of write: the API method, how keys become parameters, and its signature.

    ``multi`` writes take many addresses per request (and can be split on a 452);
    ``then`` is a second write each batch also needs (a full remediation does both).
    """

    name: str
    method: str
    params: Params
    multi: bool = True
    then: Operation | None = None
    signature: str = ""  # what must match for a journal entry to count as done

    def key(self) -> str:
        """The journal's name for this operation."""
        return self.signature or self.name


@dataclass
class Job:
    """One request's worth of rows of one account."""

    rows: list[Hashable]
    keys: list[str]
    account: str | None
    session: Session
    batch: int


@dataclass
class RowResult:
    """How one row ended."""

    status: str
    error: str | None = None
    attempts: int = 0
    batch: int | None = None


@dataclass
class Journal:
    """An append-only JSONL record of finished batches, fsynced line by line."""

    path: Path
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def done(self, operation: Operation) -> set[tuple[str, str]]:
        """(account, key) pairs, lower-cased, that an earlier run wrote for ``operation``."""
        finished: set[tuple[str, str]] = set()
        if not self.path.exists():
            return finished
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                try:
                    entry = json.loads(line)
                except ValueError:  # a line cut short by a crash: that batch is redone
                    continue
                if entry.get("op") == operation.key():
                    owner = str(entry.get("account") or "").lower()
                    finished.update((owner, k.lower()) for k in entry.get("ok", []))
        return finished

    def record(self, operation: Operation, job: Job, results: dict[str, RowResult]) -> None:
        """Append one batch's outcome and make it durable before returning."""
        entry = {
            "op": operation.key(),
            "account": job.account,
            "batch": job.batch,
            "ok": [k for k, r in results.items() if r.status == "ok"],
            "failed": {k: r.error for k, r in results.items() if r.status == "failed"},
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        line = json.dumps(entry) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line)
            out.flush()
            os.fsync(out.fileno())


def _send(operation: Operation, session: Session, keys: list[str]) -> int:
    attempts = session.call("POST", operation.method, operation.params(keys)).attempts
    if operation.then is not None:
        attempts += _send(operation.then, session, keys)
    return attempts


def run_job(operation: Operation, job: Job) -> dict[str, RowResult]:
    """Send one batch; on a 452 split it until the refused keys stand alone."""
    results: dict[str, RowResult] = {}
    pending = [job.keys]
    while pending:
        keys = pending.pop()
        try:
            attempts = _send(operation, job.session, keys)
        except InvalidArguments as refused:
            if operation.multi and len(keys) > 1:
                half = len(keys) // 2
                pending += [keys[half:], keys[:half]]
                continue
            results.update(dict.fromkeys(keys, RowResult("failed", _reason(refused), 1, job.batch)))
            continue
        except MMError as exc:
            tries = getattr(exc, "attempts", 1)
            results.update(dict.fromkeys(keys, RowResult("failed", str(exc), tries, job.batch)))
            continue
        results.update(dict.fromkeys(keys, RowResult("ok", None, attempts, job.batch)))
    return results


def _reason(refused: InvalidArguments) -> str:
    return "; ".join(refused.messages) or str(refused)


def run_jobs(
    operation: Operation,
    jobs: list[Job],
    *,
    journal: Journal | None,
    on_done: Callable[[Job], None] | None = None,
) -> dict[Hashable, RowResult]:
    """Run every job concurrently on the shared pool; one result per row."""
    outcome: dict[Hashable, RowResult] = {}
    if not jobs:
        return outcome
    pool = jobs[0].session
    for job, results in pool.map_unordered(lambda j: run_job(operation, j), jobs):
        if journal is not None:
            journal.record(operation, job, results)
        for row, key in zip(job.rows, job.keys, strict=True):
            outcome[row] = results[key]
        if on_done is not None:
            on_done(job)
    return outcome


def make_jobs(
    groups: Iterable[tuple[str | None, Session, list[Hashable], list[str]]], *, size: int
) -> list[Job]:
    """Cut each account's rows into batches of at most ``size`` keys."""
    jobs: list[Job] = []
    for account, session, rows, keys in groups:
        for start in range(0, len(rows), size):
            batch = len(jobs)
            jobs.append(
                Job(rows[start : start + size], keys[start : start + size], account, session, batch)
            )
    return jobs
