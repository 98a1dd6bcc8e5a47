"""The cache's layout on disk and its manifests: what is trusted, and what is not.

``<root>/v<SCHEMA_VERSION>/<endpoint slug>/manifest.json`` records the endpoint's URL, the
schema version and one entry per period held; the period files lie under
``<endpoint slug>/<account>/<kind>/<filters hash>/``. Each endpoint folder carries mmframe's
``CACHEDIR.TAG`` (:func:`tag`, the Cache Directory Tagging Specification's, so backups skip
it): the cache lists, marks, empties and removes only folders so tagged, so a folder it
shares with the user's files never loses one (every schema version must keep the tag).
Every read-modify-write of a manifest happens under the file lock beside it
(:func:`locked`), so processes sharing a root never lose each other's entries. A manifest
that cannot be read, or that records another endpoint or version, is not trusted:
:func:`locked` warns, removes it and the files the cache wrote (:func:`sweep`) and starts
the endpoint's folder again (its tag kept).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from ..atomic import PRIVATE, write_text
from ..errors import CacheWarning, warn
from ..redact import scrub

#: Bumped whenever what is stored changes meaning: every older cache is then ignored.
SCHEMA_VERSION = 2
MANIFEST = "manifest.json"
LOCK = ".lock"
TAG = "CACHEDIR.TAG"
#: The tag's text: the specification's signature, then who wrote it (read back by
#: :func:`tagged`: another tool's tag does not make a folder mmframe's).
TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by mmframe's read cache.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
#: The cache's folders are their owner's alone (the files are ``0o600``).
FOLDER_MODE = 0o700


def scrub_endpoint(url: str) -> str:
    """The API base URL as the cache records it: scheme, host, port and path only.

    A user name or password, a query string (GET requests carry the key there) and a
    fragment are dropped, and any known key is masked: the cache never holds a secret.
    """
    parts = urlsplit(str(url).strip())
    host = parts.hostname or ""
    if ":" in host:  # IPv6
        host = f"[{host}]"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return scrub(urlunsplit((parts.scheme.lower(), netloc, parts.path.rstrip("/"), "", "")))


def digest(text: str, length: int = 16) -> str:
    """A short, stable hex name for ``text`` (SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def slug(endpoint: str) -> str:
    """The endpoint's folder name: readable host, then a hash of the whole scrubbed URL."""
    parts = urlsplit(endpoint)
    readable = re.sub(r"[^A-Za-z0-9.-]+", "_", parts.netloc or parts.path)[:40].strip("._")
    return f"{readable or 'endpoint'}-{digest(endpoint, 12)}"


def segment(text: str) -> str:
    """``text`` as one folder name: percent-quoted, never ``.``/``..`` or hidden."""
    quoted = quote(text, safe="@-_")[:80]
    return "%2E" + quoted[1:] if quoted.startswith(".") else quoted


@dataclass
class Entry:
    """One period held, as its manifest records it."""

    account: str
    kind: str
    filters: str
    start: str  # ISO 8601, UTC
    end: str
    rows: int
    bytes: int
    written_at: str
    file: str  # relative to the endpoint's folder, "/"-separated


@dataclass
class Manifest:
    """An endpoint's manifest, read under its lock; written back on exit when ``changed``."""

    folder: Path
    endpoint: str | None
    entries: dict[str, Entry] = field(default_factory=dict)
    changed: bool = False

    def path_of(self, entry: Entry) -> Path:
        return self.folder / entry.file

    def drop(self, key: str) -> Entry:
        """Remove an entry and its file (and the folders it leaves empty)."""
        entry = self.entries.pop(key)
        self.changed = True
        remove_file(self.folder, self.path_of(entry))
        return entry


def remove_file(folder: Path, path: Path) -> None:
    """Delete ``path`` and the folders under ``folder`` it leaves empty."""
    path.unlink(missing_ok=True)
    for parent in path.parents:
        if parent == folder or folder not in parent.parents:
            break
        try:
            parent.rmdir()
        except OSError:  # not empty (another period, another writer's file): kept
            break


def tagged(folder: Path) -> bool:
    """Whether ``folder`` is an endpoint folder mmframe's cache made (it holds its tag)."""
    path = folder / TAG
    if folder.is_symlink() or path.is_symlink() or not path.is_file():
        return False
    try:
        with path.open("rb") as file:
            return file.read(len(TAG_TEXT) + 1) == TAG_TEXT.encode("ascii")
    except OSError:
        return False


def tag(folder: Path) -> None:
    """Make ``folder`` (and the folders above it) and tag it as the cache's, once."""
    make_folders(folder)
    if not tagged(folder):
        write_text(folder / TAG, TAG_TEXT, private=True)


def make_folders(folder: Path) -> None:
    """Create ``folder`` and the missing folders above it, each ``0o700`` (``os.makedirs``
    gives only the last one its mode)."""
    missing = [p for p in [folder, *folder.parents] if not p.exists()]
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            path.mkdir(mode=FOLDER_MODE)


def _entries(body: Any) -> dict[str, Entry]:
    """The entries of a manifest's JSON body; ``ValueError`` when they are not well formed."""
    known = {f.name: f.type for f in fields(Entry)}
    entries = {}
    for key, item in body["entries"].items():
        if not isinstance(item, dict) or set(item) != set(known):
            raise ValueError("an entry without the fields of an entry")
        entry = Entry(**item)
        text = (entry.account, entry.kind, entry.filters, entry.start, entry.end, entry.file)
        if not all(isinstance(t, str) for t in (*text, entry.written_at)):
            raise ValueError("an entry's names, times or file are not text")
        for moment in (entry.start, entry.end, entry.written_at):
            _moment(moment)
        relative = PurePosixPath(entry.file)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise ValueError("an entry's file lies outside its folder")
        if not isinstance(entry.rows, int) or not isinstance(entry.bytes, int):
            raise ValueError("an entry's rows or bytes are not numbers")
        entries[str(key)] = entry
    return entries


def _moment(text: str) -> None:
    """``ValueError`` unless ``text`` is an ISO 8601 time with its offset."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"an entry's time {text!r} is not a time") from None
    if moment.tzinfo is None:
        raise ValueError(f"an entry's time {text!r} is not a time in UTC")


def _read(folder: Path, endpoint: str | None) -> tuple[Manifest, str | None]:
    """The manifest of ``folder`` and, when it cannot be trusted, why not."""
    path = folder / MANIFEST
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest(folder, endpoint), None
    except (OSError, ValueError) as exc:
        return Manifest(folder, endpoint), f"cannot be read ({type(exc).__name__})"
    try:
        version, recorded = body["schema_version"], body["endpoint"]
        entries = _entries(body)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        return Manifest(folder, endpoint), f"is not a cache manifest ({exc})"
    if version != SCHEMA_VERSION:
        return Manifest(folder, endpoint), f"records schema version {version!r}"
    if not isinstance(recorded, str) or (endpoint or recorded) != recorded:
        return Manifest(folder, endpoint), f"records another endpoint ({recorded!r})"
    if slug(recorded) != folder.name:
        return Manifest(folder, endpoint), f"records an endpoint of another folder ({recorded!r})"
    return Manifest(folder, recorded, entries), None


def _untrusted(manifest: Manifest, why: str) -> None:
    """Warn, then remove the manifest and the files the cache wrote (rebuilt from empty)."""
    warn(
        CacheWarning(
            f"cache manifest {manifest.folder / MANIFEST} {why} (mmframe's cache schema is "
            f"version {SCHEMA_VERSION}): ignored; its periods are removed and read again"
        )
    )
    (manifest.folder / MANIFEST).unlink(missing_ok=True)
    sweep(manifest.folder)


#: A period's file as :meth:`~mmframe.cache.store.Store.put` names it (its bounds, its key's
#: id, a random part), and a writer's temporary file a crash left (:mod:`mmframe.atomic`'s).
_PERIOD = re.compile(r"\d{8}T\d{6}_\d{8}T\d{6}_[0-9a-f]{12}_[0-9a-f]{8}\.parquet")
_TEMPORARY = re.compile(r"\..+\.\d+\.[0-9a-f]{8}\.tmp")


def sweep(folder: Path) -> None:
    """Remove from an endpoint's ``folder`` the period files and temporary files the cache
    writes, and the folders that leaves empty; the manifest, lock and tag stay, and so does
    anything else (the user's files are not the cache's). Only ever called on a tagged
    folder."""
    gone: set[Path] = set()  # files and folders removed (a folder of the user's stays)
    for parent, folders, files in os.walk(folder, topdown=False):  # links not followed
        here = Path(parent)
        for name in files:
            path = here / name
            if not path.is_symlink() and (_PERIOD.fullmatch(name) or _TEMPORARY.fullmatch(name)):
                path.unlink(missing_ok=True)
                gone.add(path)
        if here != folder and any(here / name in gone for name in (*files, *folders)):
            with contextlib.suppress(OSError):  # not empty: another writer's, or the user's
                here.rmdir()
                gone.add(here)


def _save(manifest: Manifest) -> None:
    body = {
        "schema_version": SCHEMA_VERSION,
        "endpoint": manifest.endpoint,
        "entries": {k: asdict(e) for k, e in sorted(manifest.entries.items())},
    }
    write_text(manifest.folder / MANIFEST, json.dumps(body, indent=1), private=True)


@contextlib.contextmanager
def locked(folder: Path, endpoint: str | None) -> Iterator[Manifest]:
    """The manifest of ``folder`` under its file lock, saved on exit if changed.

    ``endpoint`` is the scrubbed URL the folder must be for (None: whichever its manifest
    records, as listing the whole cache does). An untrusted manifest is warned about and
    the folder emptied (see the module's docstring). The lock is blocking: it is held only
    for a manifest's read-modify-write and a rename, never while a period is read or written.
    """
    from filelock import FileLock  # here: a read without a cache never loads it

    with FileLock(folder / LOCK, mode=PRIVATE):
        manifest, why = _read(folder, endpoint)
        if why is not None:
            _untrusted(manifest, why)
        yield manifest
        if manifest.changed and manifest.endpoint is not None:
            _save(manifest)
