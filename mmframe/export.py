"""Streaming suppressions to a Hive-partitioned Parquet dataset, chunk by chunk.

Each (account, period) chunk is read (pages concurrently, checked against its count),
written to a temporary file and renamed into ``account=<username>/month=<YYYY-MM>/``
(``period=<start>`` for other frequencies), then recorded in ``_manifest.json`` with its
row count next to the ``/suppressions/count`` for the same range. Memory holds one chunk at
a time. Re-running into the same folder skips complete partitions and redoes the rest.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import schema
from .client import Session, resolve
from .dates import DateLike, check_freq, chunk_range, utc_range, wire
from .errors import PartialLoadError, PartialLoadWarning
from .loaders.common import Accounts, targets
from .paging import Chunk, load_chunks
from .progress import bar

MANIFEST = "_manifest.json"


@dataclass
class Partition:
    """One partition of the dataset, as the manifest records it."""

    account: str
    start: str
    end: str
    path: str  # relative to the dataset folder
    status: str = "pending"  # pending | complete | failed | short
    rows: int | None = None
    count: int | None = None
    error: str | None = None


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
    return {e["path"]: Partition(**e) for e in entries}


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
    lo, hi = utc_range(start, end)
    if lo is None or hi is None:
        raise ValueError("export_suppressions needs both start and end")
    check_freq(freq)
    if on_error not in ("raise", "warn"):
        raise ValueError(f"on_error must be 'raise' or 'warn', not {on_error!r}")
    session = resolve(session)
    readers = targets(session, accounts)
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    parts = _load_manifest(root)
    query = {"start": wire(lo), "end": wire(hi), "freq": freq}
    work = []
    for name, reader in readers:
        label = str(name or "default")
        for a, b in chunk_range(lo, hi, freq):
            part = Partition(label, str(wire(a)), str(wire(b)), partition_dir(label, a, freq))
            known = parts.get(part.path)
            if known and known.status == "complete" and (root / part.path).exists():
                continue
            parts[part.path] = part
            work.append((part, Chunk(reader, label, part.start, part.end)))
    _save_manifest(root, parts, query)
    with bar("export", total=len(work), unit="chunk", progress=progress) as shown:
        for part, chunk in work:
            (outcome,) = load_chunks([chunk])
            part.rows, part.count, part.error = len(outcome.rows), outcome.expected, outcome.error
            if outcome.status == "ok":
                _write(root, part, schema.suppressions(outcome.rows))
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
