"""Streaming suppressions or any report to a Hive-partitioned Parquet dataset, chunk by chunk.

Each (account, period) chunk is read (pages concurrently, checked against its count),
written to a temporary file and renamed into ``account=<username>/month=<YYYY-MM>/``
(``period=<start>`` for other frequencies), then recorded in ``_manifest.json`` with its
row count next to the count endpoint's for the same range. Memory holds one chunk at a time.

A partition is bound to its query: what it holds (suppressions, or a report with its
filters), its account (by username, even for the session's own account), its exact bounds
and the frequency. Re-running into the same folder skips a partition only when the
manifest holds it complete for that same query, read to its end and with as many rows as
its count; anything else is read again. Partitions of an earlier query that this one does
not plan are removed, so the folder holds one dataset.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import schema
from .client import Session, resolve
from .dates import (
    MAX_REQUESTS,
    DateLike,
    check_freq,
    check_requests,
    chunk_range,
    settled_end,
    utc_range,
    wire,
)
from .errors import PartialLoadError, PartialLoadWarning
from .loaders import events
from .loaders.common import Accounts, targets
from .paging import SUPPRESSIONS, Chunk, Source, load_chunks
from .progress import bar

MANIFEST = "_manifest.json"


@dataclass
class Partition:
    """One partition of the dataset, as the manifest records it."""

    account: str
    start: str
    end: str
    path: str  # relative to the dataset folder
    freq: str = ""
    status: str = "pending"  # pending | complete | failed | short | changing
    rows: int | None = None  # rows read from the list (before a client-side filter)
    count: int | None = None
    error: str | None = None
    read_end: str | None = None  # the end actually read: earlier than ``end`` if in the future
    #: What the partition holds: "suppressions", or a report and its filters.
    dataset: str = "suppressions"

    def same_query(self, other: Partition) -> bool:
        """Whether ``other`` is this partition of the same query (what, account, bounds, freq)."""
        return (self.dataset, self.account, self.start, self.end, self.freq) == (
            other.dataset,
            other.account,
            other.start,
            other.end,
            other.freq,
        )

    def done(self, root: Path) -> bool:
        """Complete for its whole range, its rows matching its count, its file present."""
        return (
            self.status == "complete"
            and self.read_end == self.end
            and self.rows is not None
            and self.rows == self.count
            and (root / self.path / "part-0.parquet").exists()
        )


def partition_dir(account: str, start: pd.Timestamp, freq: str) -> str:
    """``account=<username>/month=<YYYY-MM>`` (or ``period=<start>``), Hive style."""
    monthly = freq.upper() in ("MS", "1MS")
    label = f"month={start:%Y-%m}" if monthly else f"period={start:%Y-%m-%dT%H%M%S}"
    return f"account={quote(account, safe='@.-_')}/{label}"


def _load_manifest(root: Path) -> dict[str, Partition]:
    path = root / MANIFEST
    if not path.exists():
        return {}
    entries = json.loads(path.read_text())["partitions"]
    known = {f.name for f in fields(Partition)}
    return {e["path"]: Partition(**{k: v for k, v in e.items() if k in known}) for e in entries}


def _remove(root: Path, part: Partition) -> None:
    """Delete a stale partition's file and the folders it leaves empty."""
    folder = root / part.path
    (folder / "part-0.parquet").unlink(missing_ok=True)
    for parent in (folder, folder.parent):
        if parent != root and parent.exists() and not any(parent.iterdir()):
            parent.rmdir()


def _save_manifest(root: Path, parts: dict[str, Partition], query: dict[str, Any]) -> None:
    body = {"query": query, "partitions": [asdict(p) for p in parts.values()]}
    temporary = root / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(body, indent=1))
    os.replace(temporary, root / MANIFEST)  # atomic: a crash never leaves half a manifest


def _write(root: Path, part: Partition, frame: pd.DataFrame) -> None:
    folder = root / part.path
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    temporary = folder / ".part-0.parquet.tmp"
    pq.write_table(table, temporary)
    os.replace(temporary, folder / "part-0.parquet")


@dataclass(frozen=True)
class Dataset:
    """What an export reads and how its rows become a frame."""

    name: str  # recorded with each partition: another name means another query
    source: Source
    to_frame: Callable[[pa.Table], pd.DataFrame]
    filters: events.Filters = field(default_factory=events.Filters)  # see Filters.narrow


def export_suppressions(
    path: str | Path,
    start: DateLike,
    end: DateLike,
    *,
    accounts: Accounts = None,
    freq: str = "MS",
    session: Session | None = None,
    progress: bool | None = None,
    on_error: str = "raise",
    as_of: DateLike = None,
    max_requests: int = MAX_REQUESTS,
) -> pd.DataFrame:
    """Write every suppression of ``[start, end)`` to a partitioned Parquet dataset.

    Parameters
    ----------
    path
        The dataset folder (created if needed; an earlier export there is resumed).
    start, end
        The range; both required.
    accounts
        None (the session's account), ``"all"`` or usernames (master key).
    freq
        Period of the partitions (``"MS"``: one per month).
    as_of
        The time taken as now (default: the clock): a partition reaching past it is read
        up to it and read again by the next run.
    max_requests
        Refuse a range of more partitions per account than this.

    Returns
    -------
    pandas.DataFrame
        The manifest: one row per partition with account, start, end, path, status, rows,
        count, error.

    Raises
    ------
    PartialLoadError
        When a partition failed or came back short (its ``frame`` is the manifest), unless
        ``on_error="warn"``.
    """
    dataset = Dataset("suppressions", SUPPRESSIONS, schema.suppressions)
    return _export(
        path, start, end, dataset, accounts=accounts, freq=freq, session=session,
        progress=progress, on_error=on_error, as_of=as_of, max_requests=max_requests,
    )  # fmt: skip


def export_events(
    path: str | Path,
    kind: events.Kind,
    start: DateLike,
    end: DateLike,
    *,
    unique: bool = False,
    accounts: Accounts = None,
    sender: str | None = None,
    domain: str | None = None,
    xheaders: Mapping[str, str] | None = None,
    bounce_type: str | None = None,
    messages: bool = True,
    freq: str = "MS",
    session: Session | None = None,
    progress: bool | None = None,
    on_error: str = "raise",
    as_of: DateLike = None,
    max_requests: int = MAX_REQUESTS,
) -> pd.DataFrame:
    """Write every event of report ``kind`` in ``[start, end)`` to a partitioned Parquet dataset.

    The columns of :func:`mmframe.read_events` (X-header columns: the names every account
    read reports on, so all partitions share one schema), with the manifest and resume
    rules of :func:`export_suppressions`; the report and its filters are part of each
    partition's query, so a re-run with other filters rewrites the dataset.
    """
    report, filters = events.prepare(
        kind,
        unique=unique,
        sender=sender,
        domain=domain,
        xheaders=xheaders,
        bounce_type=bounce_type,
        messages=messages,
    )
    session = resolve(session)
    headers = events.headers_of(targets(session, accounts), filters)
    name = f"events:{report}?" + json.dumps(filters.as_dict(), sort_keys=True)

    def to_frame(rows: pa.Table) -> pd.DataFrame:
        return events.in_time_order(report, schema.events(report, rows, headers))

    dataset = Dataset(name, events.source(report, filters, None), to_frame, filters)
    return _export(
        path, start, end, dataset, accounts=accounts, freq=freq, session=session,
        progress=progress, on_error=on_error, as_of=as_of, max_requests=max_requests,
    )  # fmt: skip


def _export(
    path: str | Path,
    start: DateLike,
    end: DateLike,
    dataset: Dataset,
    *,
    accounts: Accounts,
    freq: str,
    session: Session | None,
    progress: bool | None,
    on_error: str,
    as_of: DateLike,
    max_requests: int,
) -> pd.DataFrame:
    """Plan, resume and write the partitions of ``dataset`` (see the module's docstring)."""
    lo, hi = utc_range(start, end)
    if lo is None or hi is None:
        raise ValueError("an export needs both start and end")
    check_freq(freq)
    if on_error not in ("raise", "warn"):
        raise ValueError(f"on_error must be 'raise' or 'warn', not {on_error!r}")
    periods = chunk_range(lo, hi, freq, max_requests=max_requests)
    session = resolve(session)
    readers = targets(session, accounts)
    check_requests(3 * len(periods) * len(readers), max_requests, "3 a read x periods x accounts")
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    earlier = _load_manifest(root)
    query = {"dataset": dataset.name, "start": wire(lo), "end": wire(hi), "freq": freq}
    parts: dict[str, Partition] = {}
    work = []
    for name, reader in readers:
        # The session's own account is named by its username too, read once: a dataset
        # never holds one account under two names.
        if name is None:
            reader.identity()  # learns the username from the account list
        label = name or reader.username or reader.identity()
        for a, b in periods:
            part = Partition(
                label,
                str(wire(a)),
                str(wire(b)),
                partition_dir(label, a, freq),
                freq=freq,
                dataset=dataset.name,
            )
            known = earlier.get(part.path)
            if known is not None and known.same_query(part) and known.done(root):
                parts[part.path] = known
                continue
            if known is not None:
                _remove(root, known)  # other bounds, or incomplete: never left as if current
            read_end = wire(settled_end(a, b, as_of))
            part.read_end = read_end
            parts[part.path] = part
            work.append((part, Chunk(reader, label, part.start, read_end, dataset.source)))
    for stale in (p for key, p in earlier.items() if key not in parts):
        _remove(root, stale)  # an earlier query's partition: not part of this dataset
    _save_manifest(root, parts, query)
    with bar("export", total=len(work), unit="chunk", progress=progress) as shown:
        for part, chunk in work:
            (outcome,) = load_chunks([chunk])
            part.rows, part.count, part.error = len(outcome.rows), outcome.expected, outcome.error
            if outcome.status == "ok":
                rows = dataset.filters.narrow(chunk.session, outcome.rows)
                _write(root, part, dataset.to_frame(rows))
                part.status = "complete"
            else:
                part.status = outcome.status
            _save_manifest(root, parts, query)
            shown.update(1)
    manifest = pd.DataFrame([asdict(p) for p in parts.values()])
    bad = manifest[manifest["status"] != "complete"]
    if len(bad):
        message = f"{len(bad)} of {len(manifest)} partitions incomplete; re-run to resume"
        if on_error == "raise":
            raise PartialLoadError(message, frame=manifest, report=bad)
        warnings.warn(PartialLoadWarning(message, bad), stacklevel=2)
    return manifest
