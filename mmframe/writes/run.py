"""The third stop of a write: the batches, sent on the shared pool, each journaled.

Every MM write sets a state, so a batch may be sent again safely: retries happen in the
session, and after a crash the journal tells which rows are already done. A batch the
server rejects with 452 (one bad address rejects it whole) is split in halves until the
bad addresses stand alone, so every good address still lands.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..cache.reads import root_of
from ..cache.stale import mark_written
from ..client import Session
from ..errors import InvalidArguments, MMError
from ..progress import bar
from .journal import Journal
from .model import FIRST, First, Group, Operation, Payload, RowResult, Rows

T = TypeVar("T")


def run(rows: Rows) -> None:
    """Send the planned rows and settle each as ``ok`` or ``failed``; then the write's
    ``after`` on the keys written."""
    write = rows.write
    try:
        rows.settle(_send_batches(rows))
    finally:  # a batch that failed may have landed: what was sent is stale either way
        _mark_stale(rows)
    if write.after is not None:
        written = rows.result["status"] == "ok"
        keys = rows.frame.loc[written[written].index, write.key]
        write.after(rows.session, [str(k) for k in keys])


def _mark_stale(rows: Rows) -> None:
    """Mark what the write touched stale in the caches the session's reads used, and the
    session's own (a read of an earlier run may have filled it)."""
    own = root_of(rows.session.cache)
    roots = rows.session.cache_roots | ({str(own)} if own is not None else set())
    if not roots:
        return
    operation = rows.write.operation
    groups = [
        (group.account or group.session.identity(), group.rows, group.keys) for group in rows.groups
    ]
    mark_written(roots, rows.session.url, operation.name, rows.frame, groups)
    if operation.first is not None:  # rows taken off first leave the months they were in
        firsts = [group.keep(_sent_first(group)) for group in rows.groups]
        taken = [(g.account or g.session.identity(), g.rows, g.keys) for g in firsts if g.rows]
        mark_written(roots, rows.session.url, operation.first.operation.name, rows.frame, taken)


def _sent_first(group: Group) -> Callable[[Hashable], bool]:
    """Is a row of ``group`` one whose payload asks for its operation's ``first`` write?"""
    asked = {
        row for row, payload in zip(group.rows, group.payloads, strict=True) if payload.get(FIRST)
    }
    return asked.__contains__


def _send_batches(rows: Rows) -> dict[Hashable, RowResult]:
    """Send the batches (concurrently, journaled), with progress and ``on_batch``."""
    operation, options, journal = rows.write.operation, rows.options, rows.journal
    jobs = make_jobs(rows.groups, operation, size=rows.size)
    if journal is not None:
        for job in jobs:
            job.digest = journal.digest(job.payload)
    finished = 0
    with bar(operation.name, total=len(jobs), unit="batch", progress=options.progress) as shown:

        def advance(_job: object) -> None:
            nonlocal finished
            finished += 1
            shown.update(1)
            if options.on_batch is not None:
                options.on_batch(finished, len(jobs))

        return run_jobs(operation, jobs, journal=journal, on_done=advance)


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


def _send(
    operation: Operation, session: Session, keys: list[str], payload: Payload, landed: list[str]
) -> int:
    """Send ``keys`` (their ``first`` write, then the operation, then its ``then``); each
    write that lands is named in ``landed``."""
    attempts = 0
    sent = {k: v for k, v in payload.items() if k != FIRST}
    if operation.first is not None and payload.get(FIRST):
        try:
            attempts += _send(operation.first.operation, session, keys, {}, landed)
        except InvalidArguments:
            raise  # refused: nothing landed (a 452 splits the batch)
        except MMError:
            # It may have landed, its answers lost: the operation is sent anyway (a bounce
            # row taken off is listed again; one still on keeps it, SPEC A10), then the
            # first write's failure is the row's (twenty-third review, S2).
            session.call("POST", operation.method, operation.params(keys, sent))
            landed.append(operation.name)
            raise
    attempts += session.call("POST", operation.method, operation.params(keys, sent)).attempts
    landed.append(operation.name)
    if operation.then is not None:
        attempts += _send(operation.then, session, keys, sent, landed)
    return attempts


def run_job(operation: Operation, job: Job) -> dict[str, RowResult]:
    """Send one batch; on a 452 split it until the refused keys stand alone."""
    results: dict[str, RowResult] = {}
    pending = [job.keys]
    # A row sent in two steps says where a failure left it (still listed, or off the list).
    first = operation.first if operation.first and job.payload.get(FIRST) else None
    while pending:
        keys = pending.pop()
        landed: list[str] = []
        try:
            attempts = _send(operation, job.session, keys, job.payload, landed)
        except InvalidArguments as refused:
            if operation.multi and len(keys) > 1:
                half = len(keys) // 2
                pending += [keys[half:], keys[:half]]
                continue
            said = _where(first, landed, _reason(refused), operation.name)
            results.update(dict.fromkeys(keys, RowResult("failed", said, 1, job.batch)))
            continue
        except MMError as exc:
            said = _where(first, landed, str(exc), operation.name)
            results.update(dict.fromkeys(keys, RowResult("failed", said, exc.attempts, job.batch)))
            continue
        results.update(dict.fromkeys(keys, RowResult("ok", None, attempts, job.batch)))
    return results


def _where(first: First | None, landed: list[str], error: str, name: str) -> str:
    """A failed row's error, after where it left a row sent in two steps: listed (the
    operation ``name`` landed after the first write failed), or maybe off the list."""
    if first is None:
        return error
    return f"{first.failed if name in landed else first.between}: {error}"


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
        outcome.update(zip(job.rows, map(results.__getitem__, job.keys), strict=True))
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
        for positions in _sharing(group.payloads):
            for start in range(0, len(positions), step):
                chunk = positions[start : start + step]
                jobs.append(
                    Job(
                        _take(group.rows, chunk),
                        _take(group.keys, chunk),
                        group.payloads[chunk[0]],
                        group.account,
                        group.session,
                        len(jobs),
                    )
                )
    return jobs


def _sharing(payloads: Sequence[Payload]) -> list[Sequence[int]]:
    """The positions of the rows sharing each payload object, in order of first use: one
    range when every row shares one (an address write's rows all do)."""
    ids = list(map(id, payloads))
    if len(set(ids)) <= 1:
        return [range(len(ids))] if ids else []
    by_payload: dict[int, list[int]] = {}
    for i, key in enumerate(ids):
        by_payload.setdefault(key, []).append(i)
    return list(by_payload.values())


def _take(values: list[T], positions: Sequence[int]) -> list[T]:
    """``values`` at ``positions``: a slice for a range (200,000 rows cut into batches by
    position, one row at a time, cost a large write a tenth of its client time)."""
    if isinstance(positions, range) and positions.step == 1:
        return values[positions.start : positions.stop]
    return [values[i] for i in positions]
