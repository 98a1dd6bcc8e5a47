"""Progress bars: tqdm.auto (an ipywidget in Jupyter, text in a terminal), easy to silence.

On unless ``progress=False``, ``MMFRAME_PROGRESS=0``, or nobody is watching (no terminal and
no Jupyter kernel). Bars write to stderr and are closed even on error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from .redact import scrub

_OFF = {"0", "false", "no", "off"}
_ON = {"1", "true", "yes", "on"}


class Bar(Protocol):
    """What a loader drives: a tqdm-like bar (``total``, ``update``, ``refresh``).

    Paging grows ``total`` as it learns how many requests a read takes.
    """

    total: float | None

    def update(self, n: float = 1) -> Any: ...

    def refresh(self) -> Any: ...


#: ``progress=``: True/False/None (auto), or a bar of the caller's own (a widget's).
Show = bool | None | Bar


def grow(shown: Bar, more: int) -> None:
    """Add ``more`` steps to a bar's total, as a read learns how many requests it takes.

    tqdm's notebook bar draws its widget from the total it started with (none: an empty
    'info' bar), so the widget is told too, or it would never fill.
    """
    total = (shown.total or 0) + more
    widget = getattr(shown, "container", None)
    if widget is not None:
        meter = widget.children[1]
        meter.max, meter.bar_style = max(total, 1), ""
        if getattr(shown, "ncols", None) is None:
            meter.layout.width = None  # no longer the 20 px of an unknown total
    shown.total = total
    shown.refresh()


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


def enabled(progress: Show) -> bool:
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
    description: str, *, total: int = 0, progress: Show = None, unit: str = "req"
) -> Iterator[Any]:
    """A progress bar for one long operation, closed when the block ends.

    A bar object given as ``progress`` is used as it is (a widget shows its own).
    """
    if progress is not None and not isinstance(progress, bool):
        progress.total = total
        yield progress
        return
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
