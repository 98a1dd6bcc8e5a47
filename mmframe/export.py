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

A report's columns include one per X-header the accounts report on, and the names can
change between two runs. A kept partition written under other names would leave the folder
with two schemas (a reader takes one and drops the other's columns), so such a resume is
refused before anything is read or removed; ``overwrite=True`` reads those partitions again
instead. Rewriting them unasked would lose what the API no longer serves (report detail
is kept 30 days).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Unpack
from urllib.parse import quote

import pandas as pd
import pyarrow as pa

from . import schema
from .atomic import write_table, write_text
from .cache.reads import read_cached
from .chunks import SUPPRESSIONS, Source
from .client import Session, resolve
from .dates import DateLike, settled_end, wire
from .errors import PartialLoadError, PartialLoadWarning, warn
from .loaders import events
from .loaders.common import raise_refused, targets
from .loaders.queries import Query, headers_of
from .loaders.ranges import Read, ReadPlan, plan_read
from .options import ReadOptions, ReportOptions, takes
from .progress import bar
from .xheader_names import xheader_column

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
    #: The X-header names its file has a column for (none for suppressions).
    headers: list[str] = field(default_factory=list)

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
    write_text(root / MANIFEST, json.dumps(body, indent=1))  # a crash never leaves half of it


def _write(root: Path, part: Partition, frame: pd.DataFrame) -> None:
    folder = root / part.path
    folder.mkdir(parents=True, exist_ok=True)
    write_table(pa.Table.from_pandas(frame, preserve_index=False), folder / "part-0.parquet")


def _as_is(_session: Session, rows: pa.Table) -> pa.Table:
    return rows


@dataclass(frozen=True)
class Dataset:
    """What an export reads and how its rows become a frame."""

    name: str  # recorded with each partition: another name means another query
    source: Callable[[str | None], Source]  # per recipient (None: every recipient)
    to_frame: Callable[[pa.Table], pd.DataFrame]
    recipients: tuple[str | None, ...] = (None,)
    narrow: Callable[[Session, pa.Table], pa.Table] = _as_is  # see Filters.narrow
    #: Each account's X-header names (what the ``x_...`` columns are), for a replay.
    xheaders: dict[str, dict[str, str]] | None = None
    #: The X-header names the frame gives a column each (every partition's schema).
    headers: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """What the cache calls it: "suppressions", or the report ("bounces", ...)."""
        return self.name.partition("?")[0].removeprefix("events:").partition("/")[0]


@takes(ReadOptions)
def export_suppressions(
    path: str | Path,
    start: DateLike,
    end: DateLike,
    *,
    freq: str = "MS",
    **options: Unpack[ReadOptions],
) -> pd.DataFrame:
    """Write every suppression of ``[start, end)`` to a partitioned Parquet dataset.

    Parameters
    ----------
    path
        The dataset folder (created if needed; an earlier export there is resumed).
    start, end
        The range; both required.
    freq
        Period of the partitions (``"MS"``: one per month).
    **options
        The read options (:class:`mmframe.options.ReadOptions`): ``accounts`` (None for
        the session's account, ``"all"`` or usernames), ``session``, ``progress``,
        ``on_error``, ``as_of`` (the time taken as now: a partition reaching past it is
        read up to it and read again by the next run), ``max_requests`` and ``cache``
        (a closed month's partition is taken from the read cache when its count says the
        rows held are still the server's; see :mod:`mmframe.cache.reads`).

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
    dataset = Dataset("suppressions", lambda _r: SUPPRESSIONS, schema.suppressions)
    return _export(path, start, end, dataset, freq=freq, read=Read.of(options))


@takes(ReportOptions)
def export_events(
    path: str | Path,
    kind: events.Kind,
    start: DateLike,
    end: DateLike,
    *,
    freq: str = "MS",
    overwrite: bool = False,
    **options: Unpack[ReportOptions],
) -> pd.DataFrame:
    """Write every event of report ``kind`` in ``[start, end)`` to a partitioned Parquet dataset.

    The columns and options of :func:`mmframe.read_events` (X-header columns: the names
    every account read reports on, so all partitions share one schema), with the manifest
    and resume rules of :func:`export_suppressions`; the report, its filters, ``messages``
    and the recipients are part of each partition's query, so a re-run with other ones
    rewrites the dataset.

    Parameters
    ----------
    path, start, end, freq
        As :func:`export_suppressions`.
    kind
        The report: sent, delivered, bounces, complaints, issues, opens or clicks.
    overwrite
        When the accounts' X-header names changed since partitions of the folder were
        written (another column set), read those partitions again under the current names.
        Without it such a resume raises ``ValueError``: the folder would hold two schemas.
    **options
        The read options (:class:`mmframe.options.ReadOptions`) and the filters of
        :func:`mmframe.read_events`.

    Returns
    -------
    pandas.DataFrame
        The manifest (see :func:`export_suppressions`).

    Raises
    ------
    ValueError
        Before any report is read or any file removed, naming the X-headers that came or
        went, when a complete partition was written under other names (see ``overwrite``).
    PartialLoadError
        As :func:`export_suppressions`.
    """
    if not isinstance(overwrite, bool):
        raise TypeError(f"overwrite must be True or False, not {overwrite!r}")
    query, read = Query.of(kind, options), Read.of(options)
    slots: dict[str, dict[str, str]] = {}
    readers = targets(resolve(read.session), read.accounts)
    headers = headers_of(readers, query.filters, slots=slots)
    name = f"events:{query.report}?" + json.dumps(query.provenance(), sort_keys=True)

    def to_frame(rows: pa.Table) -> pd.DataFrame:
        return events.in_time_order(query.report, schema.events(query.report, rows, headers))

    dataset = Dataset(
        name, query.source, to_frame, query.recipients, query.filters.narrow, slots, tuple(headers)
    )
    return _export(path, start, end, dataset, freq=freq, read=read, overwrite=overwrite)


def _export(
    path: str | Path,
    start: DateLike,
    end: DateLike,
    dataset: Dataset,
    *,
    freq: str,
    read: Read,
    overwrite: bool = False,
) -> pd.DataFrame:
    """Plan, resume and write the partitions of ``dataset`` (see the module's docstring)."""
    plan = plan_read(
        read, start, end, freq=freq, bounds="both", fanout=len(dataset.recipients),
        what="an export: 3 a read x periods x accounts x recipients",
    )  # fmt: skip
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    query: dict[str, Any] = {"dataset": dataset.name, "start": wire(plan.start)}
    query.update(end=wire(plan.end), freq=freq)
    if dataset.xheaders is not None:
        query["xheaders"] = dataset.xheaders
    parts, work = _partitions(root, plan, dataset, freq, overwrite=overwrite)
    _save_manifest(root, parts, query)
    with bar("export", total=len(work), unit="chunk", progress=read.progress) as shown:
        for part, reader in work:
            _fill(root, part, plan.span(part.account, reader, *_read_bounds(part)), dataset)
            _save_manifest(root, parts, query)
            shown.update(1)
    manifest = pd.DataFrame([asdict(p) for p in parts.values()])
    bad = manifest[manifest["status"] != "complete"]
    if len(bad):
        message = f"{len(bad)} of {len(manifest)} partitions incomplete; re-run to resume"
        if read.on_error == "raise":
            raise PartialLoadError(message, frame=manifest, chunks=bad)
        warn(PartialLoadWarning(message, bad))
    return manifest


def _partitions(
    root: Path, plan: ReadPlan, dataset: Dataset, freq: str, *, overwrite: bool
) -> tuple[dict[str, Partition], list[tuple[Partition, Session]]]:
    """Every partition of the plan: kept when done for this query, else to read.

    Raises
    ------
    ValueError
        Before any file is touched, when a partition to keep was written under other
        X-header names than ``dataset``'s, unless ``overwrite`` (then it is read again).
    """
    earlier = _load_manifest(root)
    planned = _planned(plan, dataset, freq)
    kept = {p.path: earlier[p.path] for p, _r in planned if _done(earlier.get(p.path), p, root)}
    wanted = _columns(dataset.headers).keys()
    other = [p for p in kept.values() if _columns(p.headers).keys() != wanted]
    if other and not overwrite:
        raise ValueError(_headers_changed(other, dataset.headers))
    for part in other:
        del kept[part.path]
    parts: dict[str, Partition] = {}
    work = []
    for part, reader in planned:
        known = earlier.get(part.path)
        if known is not None and part.path in kept:
            parts[part.path] = known
            continue
        if known is not None:
            _remove(root, known)  # other bounds or headers, or incomplete: never left as current
        part.read_end = wire(settled_end(*_bounds(part), plan.read.as_of))
        parts[part.path] = part
        work.append((part, reader))
    for stale in (p for key, p in earlier.items() if key not in parts):
        _remove(root, stale)  # an earlier query's partition: not part of this dataset
    return parts, work


def _planned(plan: ReadPlan, dataset: Dataset, freq: str) -> list[tuple[Partition, Session]]:
    """The partitions the plan covers, each with the session that reads it."""
    planned = []
    for name, reader in plan.readers:
        # The session's own account is named by its username too, read once: a dataset
        # never holds one account under two names.
        label = name or reader.username or reader.identity()
        for a, b in plan.periods:
            part = Partition(label, str(wire(a)), str(wire(b)), partition_dir(label, a, freq), freq)
            part.dataset, part.headers = dataset.name, list(dataset.headers)
            planned.append((part, reader))
    return planned


def _done(known: Partition | None, part: Partition, root: Path) -> bool:
    return known is not None and known.same_query(part) and known.done(root)


def _bounds(part: Partition) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(part.start), pd.Timestamp(part.end)


def _columns(headers: Iterable[str]) -> dict[str, str]:
    """X-header column -> the first spelling of its header among ``headers``."""
    columns: dict[str, str] = {}
    for name in headers:
        columns.setdefault(xheader_column(name), name)
    return columns


def _headers_changed(kept: list[Partition], headers: Sequence[str]) -> str:
    """Why a resume is refused: which X-headers came or went since ``kept`` were written."""
    now, before = _columns(headers), _columns(n for p in kept for n in p.headers)
    came = [now[c] for c in now if c not in before]
    went = [before[c] for c in before if c not in now]
    changes = [
        f"{', '.join(came)} added" if came else "",
        f"{', '.join(went)} gone" if went else "",
    ]
    return (
        f"{len(kept)} partition(s) of this folder were written under other X-header names "
        f"({'; '.join(c for c in changes if c)}): resuming would leave two schemas in one "
        "dataset, and a reader would drop one's columns. Export into a new folder, or pass "
        "overwrite=True to read those partitions again under the current names (report "
        "detail older than the API keeps, 30 days, cannot be read again)"
    )


def _read_bounds(part: Partition) -> tuple[pd.Timestamp, pd.Timestamp]:
    """What is read of a partition: up to its ``read_end`` (the present, for one reaching it)."""
    return pd.Timestamp(part.start), pd.Timestamp(str(part.read_end))


def _fill(root: Path, part: Partition, plan: ReadPlan, dataset: Dataset) -> None:
    """Read one partition (a chunk per recipient, through the read path of every reader),
    check it, and write it if complete."""
    _plan, outcomes, _tally = read_cached(
        plan, dataset.source, dataset.recipients, kind=dataset.kind, live=False
    )
    part.rows = sum(len(o.rows) for o in outcomes)
    counts = [o.expected for o in outcomes]
    part.count = None if None in counts else sum(c for c in counts if c is not None)
    failed = next((o for o in outcomes if o.status != "ok"), None)
    if failed is not None:
        raise_refused(outcomes)  # nothing to resume: the key was never taken
        part.status, part.error = failed.status, failed.error
        return
    rows = pa.concat_tables([o.rows for o in outcomes], promote_options="default")
    _write(root, part, dataset.to_frame(dataset.narrow(plan.session_of(part.account), rows)))
    part.status, part.error = "complete", None
