"""Running writes: batches on the shared pool, 452 splitting, and journaling each batch.

Every MM write sets a state, so a batch may be sent again safely: retries happen in the
session, and after a crash the journal tells which rows are already done. A batch the
server rejects with 452 (one bad address rejects it whole) is split in halves until the
bad addresses stand alone, so every good address still lands.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..client import Session
from ..errors import InvalidArguments, MMError
from .journal import Journal

Payload = dict[str, Any]
#: Request parameters for some keys sharing one payload.
Params = Callable[[list[str], Payload], dict[str, Any]]


@dataclass(frozen=True)
class Operation:
    """One kind of write: the API method and how keys and a payload become parameters.

    ``multi`` writes take many keys per request (and can be split on a 452); ``then`` is
    a second write each batch also needs (a full remediation does both).
    """

    name: str
    method: str
    params: Params
    multi: bool = True
    then: Operation | None = None


@dataclass
class Job:
    """One request's worth of rows of one account, sharing one payload."""

    rows: list[Hashable]
    keys: list[str]
    payload: Payload
    account: str
    session: Session
    batch: int
    digest: str = ""  # the payload's digest in the journal, when there is one


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


def _send(operation: Operation, session: Session, keys: list[str], payload: Payload) -> int:
    attempts = session.call("POST", operation.method, operation.params(keys, payload)).attempts
    if operation.then is not None:
        attempts += _send(operation.then, session, keys, payload)
    return attempts


def run_job(operation: Operation, job: Job) -> dict[str, RowResult]:
    """Send one batch; on a 452 split it until the refused keys stand alone."""
    results: dict[str, RowResult] = {}
    pending = [job.keys]
    while pending:
        keys = pending.pop()
        try:
            attempts = _send(operation, job.session, keys, job.payload)
        except InvalidArguments as refused:
            if operation.multi and len(keys) > 1:
                half = len(keys) // 2
                pending += [keys[half:], keys[:half]]
                continue
            results.update(dict.fromkeys(keys, RowResult("failed", _reason(refused), 1, job.batch)))
            continue
        except MMError as exc:
            tries = exc.attempts
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

    def work(job: Job) -> dict[str, RowResult]:
        results = run_job(operation, job)
        if journal is not None:  # in the worker: at most one unjournaled batch per worker
            ok = [(k, job.digest) for k, r in results.items() if r.status == "ok"]
            failed = {k: r.error for k, r in results.items() if r.status == "failed"}
            journal.record(job.account, job.batch, ok, failed)
        return results

    pool = jobs[0].session
    for job, results in pool.map_unordered(work, jobs):
        for row, key in zip(job.rows, job.keys, strict=True):
            outcome[row] = results[key]
        if on_done is not None:
            on_done(job)
    return outcome


def make_jobs(groups: Iterable[Group], operation: Operation, *, size: int) -> list[Job]:
    """Cut each account's rows into batches of at most ``size`` keys sharing a payload.

    A single-key operation sends one row per request; a multi-key one batches the rows
    that share a payload (every row of an address write shares one, empty payload).
    """
    jobs: list[Job] = []
    step = size if operation.multi else 1
    for group in groups:
        by_payload: dict[int, list[int]] = {}  # rows sharing one payload object
        for i, payload in enumerate(group.payloads):
            by_payload.setdefault(id(payload), []).append(i)
        for positions in by_payload.values():
            for start in range(0, len(positions), step):
                chunk = positions[start : start + step]
                jobs.append(
                    Job(
                        [group.rows[i] for i in chunk],
                        [group.keys[i] for i in chunk],
                        group.payloads[chunk[0]],
                        group.account,
                        group.session,
                        len(jobs),
                    )
                )
    return jobs
