"""The folder a report is written into, checked before anything is read (a light module:
the demo checks it before its emulator starts, and before it loads the report's code)."""

from __future__ import annotations

import tempfile
from pathlib import Path


def prepare_folder(out: Path) -> None:
    """Make ``out`` a folder the report can be written into, before anything is read.

    Raises
    ------
    OSError
        Naming ``out`` when it is a file, lies below one, or cannot be written: found
        before the reads, not after them.
    """
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} is a file, not a folder: give a folder for the report")
    out.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise PermissionError(f"{out}: the report cannot be written there ({reason})") from None
