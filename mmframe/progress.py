"""Progress bars: tqdm.auto (an ipywidget in Jupyter, text in a terminal), easy to silence.

On unless ``progress=False``, ``MMFRAME_PROGRESS=0``, or nobody is watching (no terminal and
no Jupyter kernel). Bars write to stderr and are closed even on error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .redact import scrub

_OFF = {"0", "false", "no", "off"}
_ON = {"1", "true", "yes", "on"}


class Silent:
    """A bar that shows nothing (same interface the loaders use)."""

    total: float | None = 0
    n: float = 0

    def update(self, n: float = 1) -> None:
        self.n += n

    def refresh(self) -> None:
        return None

    def set_postfix_str(self, text: str) -> None:
        return None


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    get = getattr(shell, "get_ipython", None)
    kernel = get() if callable(get) else None
    return kernel is not None and hasattr(kernel, "kernel")


def enabled(progress: bool | None) -> bool:
    """Whether to draw a bar, given a loader's ``progress`` argument."""
    if progress is not None:
        return bool(progress)
    setting = os.environ.get("MMFRAME_PROGRESS", "").strip().lower()
    if setting in _OFF:
        return False
    if setting in _ON:
        return True
    return _in_notebook() or sys.stderr.isatty()


def _tqdm() -> Any:
    import importlib.util

    # tqdm.auto needs ipywidgets for its notebook bar (tqdm#1082): without it, plain text.
    if importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm as auto

        return auto
    from tqdm import tqdm as text

    return text


@contextmanager
def bar(
    description: str, *, total: int = 0, progress: bool | None = None, unit: str = "req"
) -> Iterator[Any]:
    """A progress bar for one long operation, closed when the block ends."""
    if not enabled(progress):
        yield Silent()
        return
    shown = _tqdm()(
        total=total,
        desc=scrub(description),
        unit=unit,
        file=sys.stderr,
        leave=True,
        dynamic_ncols=True,
    )
    try:
        yield shown
    finally:
        shown.close()
