"""Seeded datasets kept on disk: the demo's takes seconds to seed, and a tenth of a second
to copy back.

A kept file is the dataset as its seed value builds it (its accounts' keys too: the seed
value's, which anyone can draw with ``--fixed-keys``); loading it then draws new keys
unless fixed ones are asked for, as seeding does. The file's name holds a digest of the
emulator's own source, so a file another version of the seeding wrote is never read: it
is replaced. A file that cannot be read is seeded again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sqlite3
import tempfile
import warnings
from pathlib import Path

from .models import Backend
from .models.store import TABLES

_SOURCE = Path(__file__).parent


@functools.cache
def _digest() -> str:
    """A digest of every source file of the emulator: what the seeding is made of."""
    digest = hashlib.sha256()
    for path in sorted(_SOURCE.rglob("*.py")):
        digest.update(path.relative_to(_SOURCE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def kept_at(folder: Path, name: str, seed_value: int) -> Path:
    """Where dataset ``name`` of ``seed_value`` is kept in ``folder`` by this version."""
    return folder / f"{name}-{seed_value}-{_digest()}.sqlite"


def restore(backend: Backend, folder: Path, name: str, seed_value: int) -> bool:
    """Load the kept dataset into ``backend`` (replacing what it holds); False when none
    is kept, or the file cannot be read (said in a ``RuntimeWarning``; the backend is then
    left empty, to be seeded)."""
    path = kept_at(folder, name, seed_value)
    if not path.is_file():
        return False
    store = backend.store
    problem = ""
    with store.lock:
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                source.backup(store.conn)
            finally:
                source.close()
            found = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master")}
            missing = sorted(set(TABLES) - found)
            if not found:
                problem = "it is empty"
            elif missing:
                problem = f"it has no {', '.join(missing)} table"
            elif not store.conn.execute("SELECT count(*) FROM accounts").fetchone()[0]:
                problem = "it holds no account"
        except sqlite3.Error as exc:
            problem = str(exc)
        backend.suppressions.pending.clear()
        store.ensure_schema()  # an empty file put back holds no table at all
        store.forget()  # what the store derived from the rows it held before
    if problem:
        warnings.warn(
            f"the {name} dataset kept at {path} cannot be read ({problem}): seeding it again",
            RuntimeWarning,
            stacklevel=2,
        )
        store.wipe()
        return False
    _drop_others(path, name, seed_value)
    return True


def keep(backend: Backend, folder: Path, name: str, seed_value: int) -> None:
    """Keep what ``backend`` holds (just seeded) as dataset ``name`` of ``seed_value``,
    readable by this user only; files earlier versions kept of it are removed. A folder
    that cannot be written to keeps nothing (said in a ``RuntimeWarning``): the next start
    seeds again."""
    path = kept_at(folder, name, seed_value)
    blocked = _blocked(folder, path)
    if blocked:
        warnings.warn(
            f"the seeded {name} dataset cannot be kept in {folder} ({blocked}): the next "
            "start seeds it again",
            RuntimeWarning,
            stacklevel=2,
        )
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, partial = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
        os.close(handle)
        try:
            target = sqlite3.connect(partial)
            try:
                with backend.store.lock:
                    backend.store.conn.backup(target)
            finally:
                target.close()
            os.chmod(partial, 0o600)
            os.replace(partial, path)  # whole or not at all, whoever else writes it too
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
    except (OSError, sqlite3.Error) as exc:
        warnings.warn(
            f"the seeded {name} dataset cannot be kept in {folder} ({exc}): the next start "
            "seeds it again",
            RuntimeWarning,
            stacklevel=2,
        )
        return
    _drop_others(path, name, seed_value)


def _blocked(folder: Path, path: Path) -> str:
    """What stands in the way of keeping a file at ``path``, in words ("" if nothing that
    can be told before trying)."""
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file, not a folder"
    if path.is_dir():
        return f"{path} is a folder: remove it"
    return ""


def _drop_others(path: Path, name: str, seed_value: int) -> None:
    """Remove the files other versions of the emulator kept of this dataset."""
    for older in path.parent.glob(f"{name}-{seed_value}-*.sqlite"):
        if older != path:
            with contextlib.suppress(OSError):
                older.unlink()
