"""Progress bars: tqdm.auto (an ipywidget in Jupyter, text in a terminal), easy to silence.

``progress=True`` draws, ``progress=False`` does not; the default (None) draws unless
``MMFRAME_PROGRESS=0`` or nobody is watching (no terminal and no Jupyter kernel;
``MMFRAME_PROGRESS=1`` draws then too). Bars write to stderr and are closed even on error.

A long job of many reads (a report) draws one bar per stage, not one per read: the stage's
bar (a :class:`Shared`) is passed on as ``progress``, and each read in it takes a share.
A bar shows the share of its work done, which never steps back, and reaches 100 % when its
work ends, not before:

- a stage that knows how many reads it makes declares them (:func:`split`); each read
  given the bar then fills one equal part of it;
- a read learns its requests as it goes (a count per account, then the pages the counts
  announce): work it learns fills what is left of its part, not the part again, and work
  it knows will follow (the closing counts) is held back for it (:func:`reserve`).

A bar is drawn on its first step: one with nothing to do is never drawn.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from .redact import scrub

_OFF = {"0", "false", "no", "off"}
_ON = {"1", "true", "yes", "on"}

#: A drawn bar: the share done as a percentage, then the steps done so far (their total is
#: not shown: it is learned as the work goes, and the percentage already accounts for it).
FORMAT = "{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}{postfix}]"
#: The most a bar shows before its work is over.
_BELOW_FULL = 99.0

#: A unit's words, for one step and for several.
_UNITS = {
    "req": ("request", "requests"), "row": ("row", "rows"), "batch": ("batch", "batches"),
    "chunk": ("chunk", "chunks"),
}  # fmt: skip


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


def grow(shown: Bar, more: int, *, reserved: bool = False) -> None:
    """Add ``more`` steps to a bar's total, as a read learns how many requests it takes
    (``reserved``: steps held back for them by :func:`reserve`, announced now)."""
    if isinstance(shown, Shared):
        shown.grow(more, reserved=reserved)
    elif more > 0:
        _set_total(shown, (shown.total or 0) + more)


def reserve(shown: Bar, more: int) -> None:
    """Add ``more`` steps a read knows will come later: the ``grow(..., reserved=True)``
    that announces them takes them from here, so the bar does not treat them as new work
    (and does not fill before they come)."""
    if isinstance(shown, Shared):
        shown.reserve(more)


def falter(shown: object) -> None:
    """Part of ``shown``'s work failed (a chunk given up on, a batch refused): its bar is
    never drawn full, even once the work is over (red in a notebook)."""
    if isinstance(shown, Shared):
        shown.falter()


def split(shown: object, parts: int) -> None:
    """Declare that ``shown`` is ``parts`` reads, each given it as ``progress`` filling an
    equal part (a bar that has started on its work already is left as it is)."""
    if isinstance(shown, Shared):
        shown.split(parts)


#: The bar of the work under way in this context (a write's checks, say), for the reads it
#: makes through helpers that take no ``progress`` of their own.
_WORKING: ContextVar[Bar | None] = ContextVar("mmframe_progress_working", default=None)


def working() -> Show:
    """The bar of the work under way (see :func:`at_work`), or False: draw none."""
    return _WORKING.get() or False


@contextmanager
def at_work(shown: Bar) -> Iterator[None]:
    """Make ``shown`` the bar of the reads in the block that take :func:`working`'s."""
    token = _WORKING.set(shown)
    try:
        yield
    finally:
        _WORKING.reset(token)


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


class _Drawn:
    """What one top bar shows, and the lock every part of it changes under."""

    def __init__(self, draw: Callable[[], Bar], own: bool, unit: str) -> None:
        self.lock = threading.Lock()
        self.draw: Callable[[], Bar] | None = draw
        self.shown: Bar | None = None
        self.own = own  # a caller's bar (a widget's): a read adds 100 to it, in whole percents
        self.one, self.unit = _UNITS.get(unit, (unit, unit))
        self.steps = 0.0  # done, over every part
        self.known = 0.0  # known, over every part
        self.at = 0.0  # the percentage shown: it never steps back
        self.base: float | None = None  # a caller's bar's total before this read
        self.faltered = False  # part of the work failed: the bar is never full

    def show(self, top: Shared) -> None:
        """Draw (on the first step known) or redraw the bar, from ``top``'s share done."""
        if self.shown is None:
            if self.known <= 0 or self.draw is None:
                return
            self.shown, self.draw = self.draw(), None
        # Full only once the work is over: a read that fails after its last request (its
        # checks found rows missing) leaves its bar short of 100 % (red in a notebook).
        full = top.over() and not self.faltered
        now = max(self.at, 100.0 if full else min(_BELOW_FULL, 100.0 * top.share()))
        if self.own:  # in whole percents: a widget's bar counts whole steps
            if self.base is None:  # its first draw: this read adds 100 to it
                self.base = float(self.shown.total or 0)
                _set_total(self.shown, int(self.base) + 100)
            whole = int(now)
            if whole > self.at:
                self.shown.update(whole - int(self.at))
                self.at = whole
            return
        postfix = getattr(self.shown, "set_postfix_str", None)
        if callable(postfix):
            unit = self.unit if self.steps != 1 else self.one
            postfix(f"{self.steps:,.0f} {unit}", refresh=False)
        if now > self.at:
            self.shown.update(now - self.at)
            self.at = now
        else:
            self.shown.refresh()


class Shared:
    """A bar, or one part of one: every read in it grows and advances it, from any thread.

    The workers of a read (the accounts of a read of several, say) grow and advance it at
    once: each change is made under the bar's one lock, so none is lost. ``total`` is the
    steps known so far of this part (the :class:`Bar` protocol's).
    """

    def __init__(self, drawn: _Drawn, parent: Shared | None = None) -> None:
        self._drawn, self._parent = drawn, parent
        self.total: float | None = 0.0
        self._done = 0.0
        self._reserved = 0.0
        self._from, self._at = 0.0, 0.0  # the share and the steps when work was last added
        self._parts = 0
        self._children: list[Shared] = []
        self._loose: Shared | None = None  # steps given to a split part directly
        self._over = False
        self._ever = False  # whether any step was ever known in it

    # -- the share done ------------------------------------------------------------------

    def over(self) -> bool:
        """Whether this part's work is over (call under the lock)."""
        return self._over

    def share(self) -> float:
        """The share of this part's work done, 0 to 1 (call under the lock).

        A part of a split one that ended with nothing to do is no part of it: the others
        share the whole (so a stage whose first part had nothing to read does not open
        half full).
        """
        if self._over:
            return 1.0
        if self._parts or self._children:
            counted = [c for c in self._children if c._ever or not c._over]
            whole = max(self._parts, len(self._children)) - (len(self._children) - len(counted))
            if whole <= 0:
                return 1.0
            return min(1.0, sum(child.share() for child in counted) / whole)
        known = self.total or 0.0
        if known <= self._at:
            return self._from
        return min(
            1.0, self._from + (1 - self._from) * (self._done - self._at) / (known - self._at)
        )

    # -- what a read does ----------------------------------------------------------------

    def grow(self, more: int, *, reserved: bool = False) -> None:
        """Add ``more`` steps: the work learned fills what is left of this part
        (``reserved``: taken from the steps :meth:`reserve` held back first)."""
        if more <= 0:
            return
        with self._drawn.lock:
            part = self._leaf()
            taken = min(part._reserved, more) if reserved else 0
            part._reserved -= taken
            part._add(more - taken)
            self._drawn.show(self._top())

    def reserve(self, more: int) -> None:
        """Add ``more`` steps that a later :meth:`grow` will announce."""
        if more <= 0:
            return
        with self._drawn.lock:
            part = self._leaf()
            part._reserved += more
            part._add(more)
            self._drawn.show(self._top())

    def update(self, n: float = 1) -> None:
        """Advance by ``n`` steps."""
        with self._drawn.lock:
            part = self._leaf()
            part._done += n
            self._drawn.steps += n
            self._drawn.show(self._top())

    def refresh(self) -> None:
        """Redraw (a bar not drawn yet stays so)."""
        with self._drawn.lock:
            self._drawn.show(self._top())

    def split(self, parts: int) -> None:
        """Be ``parts`` equal parts, if no work has started on this one yet."""
        with self._drawn.lock:
            if parts > 0 and not self.total and not self._children and not self._over:
                self._parts = parts

    def falter(self) -> None:
        """Part of the work failed: the bar is never drawn full."""
        with self._drawn.lock:
            self._drawn.faltered = True

    def part(self) -> Shared:
        """A new part of this split bar (this bar itself if it is not split)."""
        with self._drawn.lock:
            if not (self._parts or self._children):
                return self
            child = Shared(self._drawn, self)
            self._children.append(child)
            return child

    def finish(self) -> None:
        """This part's work is over: it is full."""
        with self._drawn.lock:
            self._over = True
            self._drawn.show(self._top())

    # -- inside ----------------------------------------------------------------------------

    def _leaf(self) -> Shared:
        """The part steps go to: this one, or the loose part of a split one."""
        if not (self._parts or self._children):
            return self
        if self._loose is None:
            self._loose = Shared(self._drawn, self)
            self._children.append(self._loose)
        return self._loose

    def _add(self, more: float) -> None:
        self._from, self._at = self.share(), self._done
        self.total = (self.total or 0.0) + more
        self._drawn.known += more
        part: Shared | None = self
        while part is not None and more > 0:
            part._ever, part = True, part._parent

    def _top(self) -> Shared:
        top = self
        while top._parent is not None:
            top = top._parent
        return top

    def close(self) -> None:
        """Close the bar drawn, if any (the top part's; never a caller's own)."""
        with self._drawn.lock:
            if self._drawn.own:
                return
            close = getattr(self._drawn.shown, "close", None)
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
    description: str,
    *,
    total: int | None = None,
    progress: Show = None,
    unit: str = "req",
    parts: int = 0,
) -> Iterator[Any]:
    """A progress bar for one long operation (or one stage of several), closed when the
    block ends.

    ``total`` is the steps known at the start (None: learned as the operation goes, by
    :func:`grow`); a known total of 0 draws no bar. ``parts``: the operation is that many
    reads, each filling an equal part (see :func:`split`). A :class:`Shared` bar given as
    ``progress`` is a stage's: the operation is one part of it (or, when the stage is not
    split, more of its work). Any other bar given (a widget's, or a caller's tqdm) is the
    caller's: the operation adds 100 to its total and fills them as its share done, in
    whole percents (so a bar given to several reads fills once per read), and leaves it
    open.
    """
    if isinstance(progress, Silent):
        grow(progress, total or 0)
        yield progress
        return
    if isinstance(progress, Shared):
        yield from _part_of(progress, total, parts)
        return
    if progress is not None and not isinstance(progress, bool):
        own = progress
        drawn = _Drawn(lambda: own, own=True, unit=unit)
    elif not enabled(progress) or total == 0:
        yield Silent()
        return
    else:
        make = _tqdm()
        drawn = _Drawn(
            lambda: make(total=100, desc=scrub(description), unit="%", file=sys.stderr,
                         leave=True, dynamic_ncols=True, bar_format=FORMAT),
            own=False, unit=unit,
        )  # fmt: skip
    top = Shared(drawn)
    try:
        top.split(parts)
        top.grow(total or 0)
        yield top
        top.finish()
    finally:
        top.close()


def _part_of(stage: Shared, total: int | None, parts: int) -> Iterator[Shared]:
    """One read's part of ``stage`` (``stage`` itself when it is not split), full once the
    read is over."""
    mine = stage.part()
    mine.split(parts)
    mine.grow(total or 0)
    yield mine
    if mine is not stage:
        mine.finish()
