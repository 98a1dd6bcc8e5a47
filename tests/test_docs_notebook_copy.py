"""docs/conf.py copies the notebooks into the docs source (Sphinx reads sources only below
it): a build must leave what is already there untouched, since another build may be reading
it (adversarial review of issue 33b, item 0: every build deleted and re-copied the folder)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _configure(docs: Path) -> None:
    """Read a copy of docs/conf.py, as ``sphinx-build`` does when a build starts."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = f"import runpy; runpy.run_path({str(docs / 'conf.py')!r})"
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=docs)


def _state(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry below ``folder`` (and it) by inode, and a file by its modification time
    (a folder's own changes whenever an entry in it is replaced)."""
    entries = [folder, *sorted(folder.rglob("*"))]
    return {
        str(p.relative_to(folder)): (p.stat().st_ino, 0 if p.is_dir() else p.stat().st_mtime_ns)
        for p in entries
    }


def test_a_build_leaves_identical_notebooks_untouched_and_replaces_a_changed_one(tmp_path):
    docs, notebooks = tmp_path / "docs", tmp_path / "notebooks"
    docs.mkdir()
    shutil.copy2(ROOT / "docs" / "conf.py", docs / "conf.py")
    (notebooks / "images").mkdir(parents=True)
    for name in ("01_a.ipynb", "02_b.ipynb"):
        (notebooks / name).write_text('{"cells": []}')
    (notebooks / "images" / "w.png").write_bytes(b"png")
    _configure(docs)
    copied = docs / "notebooks"
    before = _state(copied)
    assert set(before) == {".", "01_a.ipynb", "02_b.ipynb", "images", "images/w.png"}
    _configure(docs)
    assert _state(copied) == before  # nothing deleted, nothing rewritten
    (notebooks / "02_b.ipynb").write_text('{"cells": [1]}')
    _configure(docs)
    after = _state(copied)
    assert (copied / "02_b.ipynb").read_text() == '{"cells": [1]}'
    changed = {name for name in before if after[name] != before[name]}
    assert changed == {"02_b.ipynb"}, changed
