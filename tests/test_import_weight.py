"""``import mmframe`` stays light (issue 32): it registers ``df.mm`` and every public name
is loaded on first use (what the report, the widgets, the charts and the emulator need too).
Measured as the modules the import adds, not its time (a loaded machine changes the time,
never the modules)."""

from __future__ import annotations

import json
import subprocess
import sys

#: Packages an ``import mmframe`` may add beyond pandas: HTTP (requests, urllib3 and what
#: they import), Arrow, address checks (email-validator, idna), and the standard library.
ALLOWED = {
    "requests", "urllib3", "charset_normalizer", "certifi", "idna", "email_validator",
    "pyarrow", "mmframe", "dns",
}  # fmt: skip
#: Never on import: each belongs to one part, imported when that part is first used.
HEAVY = {
    "matplotlib", "jinja2", "ipywidgets", "IPython", "tqdm", "dask", "distributed",
    "uvicorn", "starlette", "sqlite3", "hypothesis", "numpydoc",
}  # fmt: skip
PART = {"mmframe.reporting", "mmframe.widgets", "mmframe.emulator", "mmframe.dask"}
#: Loaded on first use of a name of theirs, not by the import: the import registers
#: ``df.mm`` (with the options it declares) and nothing else.
ON_FIRST_USE = {
    "mmframe.loaders", "mmframe.analysis", "mmframe.writes", "mmframe.cache", "mmframe.charts",
    "mmframe.export", "mmframe.schema", "email_validator",
}  # fmt: skip

CODE = """
import json, sys
import pandas
before = set(sys.modules)
import mmframe
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_import_mmframe_adds_no_heavy_part():
    done = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120, check=True
    )
    added = json.loads(done.stdout)
    tops = {name.split(".")[0] for name in added}
    assert not tops & HEAVY, sorted(tops & HEAVY)
    assert not {n for n in added if any(n == p or n.startswith(p + ".") for p in PART)}
    early = {n for n in added if any(n == p or n.startswith(p + ".") for p in ON_FIRST_USE)}
    assert not early, sorted(early)
    third_party = {t for t in tops if t not in sys.stdlib_module_names and not t.startswith("_")}
    assert third_party <= ALLOWED, sorted(third_party - ALLOWED)


def test_every_public_name_loads_on_first_use():
    """Each name of ``__all__`` is there when asked for, in a fresh process, whatever is
    asked first; a misspelt one is an AttributeError as on any module."""
    code = (
        "import mmframe as mm, pandas as pd\n"
        "assert hasattr(pd.DataFrame({'email': []}), 'mm')\n"
        "missing = [n for n in mm.__all__ if getattr(mm, n, None) is None]\n"
        "assert not missing, missing\n"
        "assert mm.client.Session is mm.Session\n"
        "try:\n    mm.read_supressions\nexcept AttributeError:\n    pass\n"
        "else:\n    raise SystemExit('a misspelt name was found')\n"
    )
    subprocess.run([sys.executable, "-c", code], timeout=120, check=True)


#: What a suppression read needs not: the event readers, address checks, writes, analysis.
NOT_FOR_SUPPRESSIONS = {
    "mmframe.loaders.events", "mmframe.loaders.queries", "mmframe.writes", "mmframe.analysis",
    "email_validator",
}  # fmt: skip


def _loaded_by(code: str) -> set[str]:
    """The modules a fresh process has loaded once it has run ``code``."""
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return set(json.loads(done.stdout))


def test_a_suppression_read_loads_only_what_it_uses():
    """Its first call pays for its own modules, not every reader's (an analyst's first
    read in a notebook, and issue 32's first-read figure)."""
    loaded = _loaded_by(
        "import mmframe as mm\n"
        "mm.read_suppressions, mm.count_suppressions, mm.read_suppression_counts\n"
    )
    parts = NOT_FOR_SUPPRESSIONS
    early = {n for n in loaded if any(n == p or n.startswith(p + ".") for p in parts)}
    assert not early, sorted(early)


def _modules_of_a_run(module: str, *arguments: str) -> set[str]:
    """The modules ``python -m module arguments`` has loaded when it exits (read from a
    ``sitecustomize``-free atexit hook: runpy runs the module as ``__main__``)."""
    code = (
        "import atexit, json, runpy, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        f"sys.orig_argv = [sys.executable, '-m', {module!r}]\n"
        f"sys.argv = [{module!r}, *{list(arguments)!r}]\n"
        f"runpy.run_module({module!r}, run_name='__main__', alter_sys=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_the_emulators_own_process_loads_no_pandas_nor_the_client():
    """The demo waits for its child emulator to start: that process imports the server and
    its seeds, not pandas (half a second) nor any client module (the emulator meets the
    client on the wire only)."""
    loaded = _modules_of_a_run("mmframe.emulator", "--help")
    assert "mmframe.emulator.server" in loaded
    assert not {"pandas", "pyarrow", "requests"} & loaded, sorted(
        {"pandas", "pyarrow", "requests"} & loaded
    )
    client = {"mmframe.accessor", "mmframe.client", "mmframe.loaders", "mmframe.options"}
    assert not client & loaded, sorted(client & loaded)


def test_the_demo_module_loads_nothing_heavy_before_its_emulator_starts():
    """``mmframe demo`` starts its child emulator first and imports the report's code
    (pandas, matplotlib) while the child seeds: the demo's own module is light."""
    loaded = _loaded_by(
        "import sys\nsys.orig_argv = [sys.executable, '-m', 'mmframe.cli']\nimport mmframe.demo\n"
    )
    heavy = {"pandas", "matplotlib", "pyarrow", "mmframe.reporting", "mmframe.client"}
    assert not heavy & loaded, sorted(heavy & loaded)
