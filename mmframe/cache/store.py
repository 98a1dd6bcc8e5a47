"""The cache on disk: the rows of each period read, one Parquet file each, and a manifest.

A :class:`Key` names a period of one read: the endpoint (its URL, scrubbed: never a key),
the account's username, what was read (``"suppressions"`` or a report) with its filters,
and the half-open UTC range. :class:`Store` holds the rows of a key as they were put, or
nothing: a file written is renamed into place whole (a crash leaves the last good one), an
entry is recorded under a file lock (two processes may share a root), and a file found
missing, truncated or damaged is dropped with a :class:`~mmframe.errors.CacheWarning`
rather than served. Whether held rows are still the server's is the reader's question
(one count per closed period: see ``docs/guide/cache.md``), not the store's.

The layout is in :mod:`mmframe.cache.manifest`. Files are created ``0o600``, folders
``0o700``. Nothing is touched before a method needs it, and nothing but the folders the
store made (tagged: :func:`~mmframe.cache.manifest.tagged`) is ever listed, changed or
removed: the root may be a folder of the user's files.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..atomic import read_table, write_table
from ..dates import now_utc
from ..errors import CacheWarning, warn
from .manifest import (
    SCHEMA_VERSION,
    TAG,
    Entry,
    Manifest,
    digest,
    locked,
    make_folders,
    remove_file,
    scrub_endpoint,
    segment,
    slug,
    sweep,
    tag,
    tagged,
)

#: The columns of :meth:`Store.info`, in order.
INFO_COLUMNS = (
    "endpoint", "account", "kind", "filters", "start", "end", "rows", "bytes", "written_at",
)  # fmt: skip


def _utc(value: pd.Timestamp, name: str) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        raise ValueError(f"{name}={value!r} is not a time")
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


@dataclass(frozen=True)
class Key:
    """One period of one read: what the store holds rows for.

    Attributes
    ----------
    endpoint : str
        The API base URL; scrubbed on creation (user, password, query and fragment dropped,
        known keys masked), so a key never reaches the store.
    account : str
        The account's username.
    kind : str
        ``"suppressions"`` or a report's name (``"bounces"``, ``"complaints"``, ...).
    filters : str
        Canonical text of the read's filters (``""`` for none).
    start, end : pandas.Timestamp
        The period, half-open; naive times are taken as UTC.
    source : str
        What the rows' count cannot vouch for, which must match for them to be served: a
        one-way fingerprint of the key that read them (another server or a recreated account
        has another key) and, for a report, the account's X-header names (they shape its
        rows). Never a key; ``""`` for none.
    """

    endpoint: str
    account: str
    kind: str
    filters: str
    start: pd.Timestamp
    end: pd.Timestamp
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("account", "kind"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise ValueError(f"a cache key's {name} must be a non-empty string")
        for name in ("filters", "source"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"a cache key's {name} must be a string")
        object.__setattr__(self, "endpoint", scrub_endpoint(self.endpoint))
        object.__setattr__(self, "start", _utc(self.start, "start"))
        object.__setattr__(self, "end", _utc(self.end, "end"))
        if self.end <= self.start:
            raise ValueError(f"a cache key's end {self.end} is not after its start {self.start}")

    @property
    def id(self) -> str:
        """The key's name in its endpoint's manifest (a hash of everything but the endpoint)."""
        bounds = (self.start.isoformat(), self.end.isoformat())
        named = (self.account, self.kind, self.filters, *bounds)
        return digest("\x1f".join((*named, self.source) if self.source else named), 32)


def default_root() -> Path:
    """The per-user cache folder (``platformdirs.user_cache_dir("mmframe")``), used for
    ``cache=True``."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("mmframe"))


def _overlaps(entry: Entry, start: pd.Timestamp | None, end: pd.Timestamp | None) -> bool:
    """Whether ``[entry.start, entry.end)`` meets ``[start, end)`` (None: open)."""
    return (end is None or pd.Timestamp(entry.start) < end) and (
        start is None or pd.Timestamp(entry.end) > start
    )


class Store:
    """The cache under ``root``: see the module's docstring.

    Parameters
    ----------
    root
        The cache's folder (created on the first :meth:`put`, ``0o700``).
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._base = self.root / f"v{SCHEMA_VERSION}"
        self._older_checked = False

    def __repr__(self) -> str:
        return f"<mmframe.cache.Store at {str(self.root)!r}>"

    def _folder(self, endpoint: str) -> Path:
        return self._base / slug(endpoint)

    def _folders(self) -> list[Path]:
        """The endpoints' folders the store made, in name order."""
        self._check_older()
        return _tagged_in(self._base)

    def _check_older(self) -> None:
        """Warn, once per store, about caches of other schema versions under the root."""
        if self._older_checked:
            return
        self._older_checked = True
        other = self.other_versions()
        if other:
            names = ", ".join(p.name for p in other)
            warn(
                CacheWarning(
                    f"{self.root} holds caches of other mmframe cache schema versions ({names}; "
                    f"this one is v{SCHEMA_VERSION}): ignored, and rebuilt as reads need them; "
                    "`mmframe cache clear` removes them"
                )
            )

    def other_versions(self) -> list[Path]:
        """The ``v<N>`` folders holding endpoint folders another schema version made (what
        :meth:`clear` of every account removes)."""
        if not self.root.is_dir():
            return []
        return sorted(
            p
            for p in self.root.iterdir()
            if p.name[:1] == "v" and p.name[1:].isdigit() and p != self._base and _tagged_in(p)
        )

    def held(self, key: Key) -> int | None:
        """Rows held for ``key``, from the manifest alone (None when nothing is held)."""
        entry = self.entries([key])[0]
        return None if entry is None else entry.rows

    def entries(self, keys: Sequence[Key]) -> list[Entry | None]:
        """What the manifest records for each of ``keys`` (None: nothing held), read once
        for them all (a read asks for many periods of one endpoint at once)."""
        found: list[Entry | None] = [None] * len(keys)
        for endpoint in dict.fromkeys(key.endpoint for key in keys):
            folder = self._folder(endpoint)
            self._check_older()
            if not tagged(folder):  # none yet, or not the store's: nothing held
                continue
            with locked(folder, endpoint) as manifest:
                for i, key in enumerate(keys):
                    if key.endpoint == endpoint:
                        found[i] = manifest.entries.get(key.id)
        return found

    def get(self, key: Key) -> pa.Table | None:
        """The rows put for ``key``, exactly (schema and order), or None when none are held.

        A file that is missing, of another size than written, unreadable (page checksums
        are checked) or of another row count is never served: a :class:`CacheWarning`
        names it, its entry is dropped and None is returned (the period is read again).
        """
        entry = self.entries([key])[0]
        if entry is None:
            return None
        table, problem = self.load(key, entry)
        if problem is not None:
            self.discard(key, entry, problem)
        return table

    def load(self, key: Key, entry: Entry) -> tuple[pa.Table | None, str | None]:
        """The rows ``entry`` (held for ``key``) records, or None and why they cannot be
        served (:meth:`get`'s checks). Changes nothing: safe on any thread."""
        return _load(self._folder(key.endpoint) / entry.file, entry)

    def discard(self, key: Key, entry: Entry, problem: str) -> None:
        """Drop ``entry`` of ``key``, whose file :meth:`load` found ``problem`` with, and
        warn (:class:`CacheWarning`); nothing is dropped if another writer replaced it."""
        folder = self._folder(key.endpoint)
        with locked(folder, key.endpoint) as manifest:
            if manifest.entries.get(key.id) != entry:
                return  # replaced by another writer meanwhile: nothing was wrong
            manifest.drop(key.id)
        path = folder / entry.file
        warn(CacheWarning(f"cache file {path} {problem}: ignored and removed; read again"))

    def put(self, key: Key, rows: pa.Table) -> None:
        """Hold ``rows`` for ``key`` (replacing what was held).

        The file is written under a new name and renamed into place whole; the entry is
        recorded under the manifest's lock. Files are ``0o600``, folders ``0o700``.
        """
        if not isinstance(rows, pa.Table):
            raise TypeError(f"rows must be a pyarrow.Table, not {type(rows).__name__}")
        folder = self._folder(key.endpoint)
        if not self._adopt(folder):
            return
        relative = "/".join(
            (segment(key.account), segment(key.kind), digest(key.filters))
        )  # fmt: skip
        name = f"{key.start:%Y%m%dT%H%M%S}_{key.end:%Y%m%dT%H%M%S}_{key.id[:12]}"
        relative += f"/{name}_{secrets.token_hex(4)}.parquet"  # a new name each write
        size = self._write(rows, folder / relative)
        with locked(folder, key.endpoint) as manifest:
            if not (folder / relative).exists():
                return  # cleared while it was written: nothing to record
            earlier = manifest.entries.get(key.id)
            _supersede(manifest, key)
            manifest.entries[key.id] = Entry(
                key.account, key.kind, key.filters, key.start.isoformat(), key.end.isoformat(),
                rows.num_rows, size, now_utc().isoformat(), relative,
            )  # fmt: skip
            manifest.endpoint, manifest.changed = key.endpoint, True
            if earlier is not None and earlier.file != relative:
                remove_file(folder, folder / earlier.file)

    def _adopt(self, folder: Path) -> bool:
        """Whether :meth:`put` may write in ``folder``: tagged, or tagged now because nothing
        is in it yet (missing, or left empty by a crash between making and tagging it). A
        folder of that name holding anything else is the user's, whatever its name: left
        as it is (nothing stored there), and said once."""
        if tagged(folder):
            return True
        if folder.is_symlink() or (folder.exists() and not _unmade(folder)):
            if folder not in _FOREIGN_SAID:  # once a process: each read makes a store
                _FOREIGN_SAID.add(folder)
                warn(CacheWarning(
                    f"{folder} is not a folder the cache made ({_why_foreign(folder)}): "
                    "nothing is stored in it, and nothing in it is served, changed or "
                    "removed; move it away, or give cache= another folder"
                ))  # fmt: skip
            return False
        tag(folder)  # before anything is put in it
        return True

    @staticmethod
    def _write(rows: pa.Table, path: Path) -> int:
        """Write ``rows`` as ``path``; its size. Once again when another process cleared the
        cache between making the folders and writing into them."""
        for attempt in (1, 2):
            make_folders(path.parent)
            try:
                return write_table(rows, path, private=True, fast_reads=True)
            except FileNotFoundError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def mark_stale(
        self,
        endpoint: str,
        account: str,
        kind: str,
        start: pd.Timestamp | None = None,
        end: pd.Timestamp | None = None,
    ) -> None:
        """Drop the periods of ``kind`` (any filters) of ``account`` overlapping
        ``[start, end)`` (None: open), files and entries: the next read reads them again."""
        endpoint = scrub_endpoint(endpoint)
        lo = None if start is None else _utc(start, "start")
        hi = None if end is None else _utc(end, "end")
        folder = self._folder(endpoint)
        if not tagged(folder):
            return
        with locked(folder, endpoint) as manifest:
            for name, entry in list(manifest.entries.items()):
                if (entry.account, entry.kind) == (account, kind) and _overlaps(entry, lo, hi):
                    manifest.drop(name)

    def info(self) -> pd.DataFrame:
        """One row per period held: endpoint, account, kind, filters, start, end, rows,
        bytes, written_at (sorted by the first six)."""
        records = []
        for folder in self._folders():
            with locked(folder, None) as manifest:
                records += [(manifest.endpoint, *_record(e)) for e in manifest.entries.values()]
        frame = pd.DataFrame.from_records(records, columns=list(INFO_COLUMNS))
        for column in ("start", "end", "written_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
        frame = frame.astype({"rows": "int64", "bytes": "int64"})
        for column in ("endpoint", "account", "kind", "filters"):
            frame[column] = frame[column].astype("str")
        return frame.sort_values(list(INFO_COLUMNS[:6]), ignore_index=True)

    def clear(self, account: str | None = None) -> int:
        """Remove the periods of ``account`` (None: every period, and any cache of another
        schema version under the root); the number of periods removed. Only what the store
        made is removed: other files and folders under the root stay as they are."""
        removed = 0
        self._older_checked = self._older_checked or account is None  # removed: no warning
        for folder in self._folders():
            with locked(folder, None) as manifest:
                held = manifest.entries.items()
                for name in [n for n, e in held if account in (None, e.account)]:
                    manifest.drop(name)
                    removed += 1
                if account is None:  # and what crashed writers left
                    sweep(manifest.folder)
        if account is None:
            for older in self.other_versions():
                for folder in _tagged_in(older):
                    shutil.rmtree(folder, ignore_errors=True)
                with contextlib.suppress(OSError):  # the user's files are left in it
                    older.rmdir()
        return removed


def _supersede(manifest: Manifest, key: Key) -> None:
    """Drop the entries of ``key``'s period read from another source (an older key, older
    X-header names): never served again, they would only take room."""
    period = (key.account, key.kind, key.filters, key.start.isoformat(), key.end.isoformat())
    for name, entry in list(manifest.entries.items()):
        if name != key.id and (entry.account, entry.kind, entry.filters, entry.start,
                               entry.end) == period:  # fmt: skip
            manifest.drop(name)


#: The untagged folders where an endpoint's would be that were warned about (once each).
_FOREIGN_SAID: set[Path] = set()


def _why_foreign(folder: Path) -> str:
    """Why ``folder`` is not taken as the cache's, as it is: a link, another tool's tag, none."""
    if folder.is_symlink():
        return "it is a symbolic link"
    if (folder / TAG).exists():
        return f"its {TAG} is not mmframe's"
    return f"it carries no {TAG}"


def _unmade(folder: Path) -> bool:
    """Whether ``folder`` holds nothing yet but the tag another process is writing (the
    temporary file :func:`~mmframe.atomic.write_text` renames into place)."""
    if not folder.is_dir():
        return False
    being_tagged = [
        p.name.startswith(f".{TAG}.") and p.name.endswith(".tmp") for p in folder.iterdir()
    ]
    return all(being_tagged)


def _tagged_in(base: Path) -> list[Path]:
    """The folders in ``base`` the cache made (tagged), in name order."""
    if base.is_symlink() or not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and tagged(p))


def _record(entry: Entry) -> tuple[object, ...]:
    return (
        entry.account, entry.kind, entry.filters, entry.start, entry.end, entry.rows,
        entry.bytes, entry.written_at,
    )  # fmt: skip


def _load(path: Path, entry: Entry) -> tuple[pa.Table | None, str | None]:
    """The table in ``path`` if it is the one ``entry`` records, else why not."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None, "is missing"
    if size != entry.bytes:
        return None, f"holds {size:,} bytes where {entry.bytes:,} were written (truncated?)"
    try:
        table = read_table(path)
    except (OSError, ValueError, pa.ArrowException) as exc:
        return None, f"cannot be read ({type(exc).__name__})"
    if table.num_rows != entry.rows:
        return None, f"holds {table.num_rows:,} rows where {entry.rows:,} were written"
    return table, None


__all__ = ["SCHEMA_VERSION", "CacheWarning", "Key", "Store", "default_root"]
