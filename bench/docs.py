"""The documentation site against its target: a clean build, notebooks executed, in under
3 minutes on two cores.

Run: ``python bench/docs.py`` (needs the ``docs`` extra).

1. ``python -m sphinx -W --keep-going -b html docs <tmp>`` in a fresh process, from no
   previous build (the four notebooks run against the embedded emulator): its time over
   180 s.
2. The same build without executing the notebooks (``nb_execution_mode=off``), measured in
   the same run: the notebooks' share of the time.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import timed

DOCS = Path(__file__).parents[1] / "docs"


def build(out: Path, *settings: str) -> None:
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]
    subprocess.run([*command, *settings, str(DOCS), str(out)], check=True, capture_output=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        _none, whole = timed(lambda: build(Path(folder, "whole")))
        _none, text = timed(lambda: build(Path(folder, "text"), "-D", "nb_execution_mode=off"))
    print(f"docs build, notebooks executed: {whole:.1f} s; / 180 s target: {whole / 180:.2f}")
    print(f"without the notebooks: {text:.1f} s; notebooks' share: {1 - text / whole:.2f}")


if __name__ == "__main__":
    main()
