"""Progress bars: tqdm.auto (an ipywidget in Jupyter, text in a terminal), easy to silence.

On unless ``progress=False``, ``MMFRAME_PROGRESS=0``, or nobody is watching (no terminal and
no Jupyter kernel). Bars write to stderr and are closed even on error.

A long job of many reads (a report) draws one bar per stage, not one per read: the stage's
bar (a :class:`Shared`) is passed on as ``progress``, and each read in it grows it. A bar
is drawn on its first step, so it always knows its total, and one with nothing to do is
never drawn.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
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


#: ``progress=``: True/False/None (auto), a bar of the caller's own (a widget's), or the
#: :class:`Shared` bar of a stage.
Show = bool | None | Bar


def grow(shown: Bar, more: int) -> None:
    """Add ``more`` steps to a bar's total, as a read learns how many requests it takes."""
    if isinstance(shown, Shared):
        shown.grow(more)
    else:
        _set_total(shown, (shown.total or 0) + more)


def _set_total(shown: Bar, total: float) -> None:
    """Set a bar's total and redraw it.

    tqdm's notebook bar draws its widget from the total it started with (none: an empty
    'info' bar), so the widget is told too, or it would never fill.
    """
    widget = getattr(shown, "container", None)
    if widget is not None:
        meter = widget.children[1]
        meter.max, meter.bar_style = max(total, 1), ""
        if getattr(shown, "ncols", None) is None:
            meter.layout.width = None  # no longer the 20 px of an unknown total
    shown.total = total
    shown.refresh()


class Shared:
    """One bar for one stage: every read in it grows and advances it, from any thread.

    The workers of a read (the accounts of a read of several, say) grow the total and
    advance the bar at once: each change is made under a lock, so none is lost (a lost one
    left a bar short of its total, or past it, shown as ``65/?``). The bar is drawn on its
    first step: a stage with nothing to do draws nothing, and a drawn bar knows its total.
    """

    def __init__(self, draw: Callable[[float], Bar], *, start: float = 0) -> None:
        self._draw: Callable[[float], Bar] | None = draw
        self._shown: Bar | None = None
        self._lock = threading.Lock()
        self.total: float | None = start  # the steps known so far (the Bar protocol's)

    def _bar(self) -> Bar:
        if self._shown is None:
            assert self._draw is not None
            self._shown, self._draw = self._draw(self.total or 0), None
        return self._shown

    def grow(self, more: int) -> None:
        """Add ``more`` steps to the total."""
        if more <= 0:
            return
        with self._lock:
            self.total = (self.total or 0) + more
            _set_total(self._bar(), self.total)

    def update(self, n: float = 1) -> None:
        """Advance by ``n`` steps."""
        with self._lock:
            self._bar().update(n)

    def refresh(self) -> None:
        """Redraw (a bar not drawn yet stays so)."""
        with self._lock:
            if self._shown is not None:
                self._shown.refresh()

    def close(self) -> None:
        """Close the bar drawn, if any."""
        with self._lock:
            close = getattr(self._shown, "close", None)
            if callable(close):
                close()


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
    description: str, *, total: int | None = None, progress: Show = None, unit: str = "req"
) -> Iterator[Any]:
    """A progress bar for one long operation (or one stage of several), closed when the
    block ends.

    ``total`` is the steps known at the start (None: learned as the operation goes, by
    :func:`grow`); a known total of 0 draws no bar. A :class:`Shared` bar given as
    ``progress`` is a stage's: the operation is one more part of it, and grows it. Any
    other bar given is used as it is (a widget shows its own), grown from where it stands.
    """
    if isinstance(progress, Shared | Silent):
        grow(progress, total or 0)
        yield progress
        return
    if progress is not None and not isinstance(progress, bool):
        own = progress
        shared = Shared(lambda _total: own, start=own.total or 0)
        shared.grow(total or 0)
        yield shared
        return
    if not enabled(progress) or total == 0:
        yield Silent()
        return
    make = _tqdm()
    shown = Shared(
        lambda known: make(total=known, desc=scrub(description), unit=unit, file=sys.stderr,
                           leave=True, dynamic_ncols=True)
    )  # fmt: skip
    try:
        shown.grow(total or 0)
        yield shown
    finally:
        shown.close()
