"""Sphinx configuration of mmframe's documentation site.

Build it with ``python -m sphinx -W --keep-going docs docs/_build/html`` (the ``docs`` extra).
The five notebooks are executed during the build against the embedded emulator.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import mmframe  # noqa: E402

os.environ.setdefault("MMFRAME_PROGRESS", "0")  # bars are noise in a rendered notebook
# Kernels draw figures inline, whatever backend the calling shell chose.
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"


def _sync(source: Path, target: Path) -> None:
    """Make ``target`` hold ``source``'s files (notebooks, the widgets' fallback images):
    a file already the same is left untouched, a changed one replaced atomically, and no
    folder is deleted. Another build may be reading ``target`` (it is in the source tree,
    whatever the output folder): it sees each file whole, old or new, never a gap."""
    files = [*source.glob("*.ipynb"), *(source / "images").rglob("*")]
    wanted = {path.relative_to(source) for path in files if path.is_file()}
    for name in sorted(wanted):
        there, data = target / name, (source / name).read_bytes()
        if there.is_file() and there.read_bytes() == data:
            continue
        there.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=there.parent, prefix=f".{there.name}.")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, there)  # atomic: a reader sees the old file or the new one
    for stale in target.glob("*.ipynb"):  # a notebook renamed or removed since
        if stale.relative_to(target) not in wanted:
            stale.unlink(missing_ok=True)


# Sphinx reads sources only below this folder: the notebooks are copied in, unchanged,
# with the widgets' fallback images, where the notebooks read them (next to themselves).
_sync(HERE.parent / "notebooks", HERE / "notebooks")

project = "mmframe"
author = "the mmframe authors"
copyright = "2026, the mmframe authors"
release = version = mmframe.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_nb",
    "sphinx_copybutton",
    "sphinxarg.ext",
    "mmframe_checks",
    "mmframe_options",
    "mmframe_layout",
]

exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints", "_generated"]
templates_path = ["_templates"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}

# The API reference: one page per public name, generated from the docstrings.
autosummary_generate = True
autosummary_imported_members = True
autosummary_ignore_module_all = False  # a module page lists its __all__, not its imports
nitpicky = True  # a cross-reference that leads nowhere fails the build
autodoc_typehints = "none"  # numpydoc's Parameters section already says the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# Markdown pages and notebooks.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "force"  # every build runs the notebooks: their outputs are true now
nb_execution_timeout = 300  # seconds a cell may take
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
# A widget's view needs a kernel: the page shows the image the notebook gives as its
# fallback, and loads no widget code from a CDN (the site carries its own code).
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js: dict[str, dict[str, str]] = {}
# Quotes curl, but "--end" stays two hyphens: an option is copied from the page as typed.
smartquotes_action = "qe"

copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True

html_theme = "pydata_sphinx_theme"
html_title = "mmframe"
html_static_path = ["_static"]
html_css_files = ["mmframe.css"]
html_js_files = ["search-once.js"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "navbar_align": "left",
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# Pages without sections of their own get no navigation column: it would stand empty.
FLAT_PAGES = ["index", "getting-started", "emulator", "coming-from-dyn", "cli", "benchmarks",
              "development", "changelog", "search", "genindex"]  # fmt: skip
html_sidebars: dict[str, list[str]] = {page: [] for page in FLAT_PAGES}
