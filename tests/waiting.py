"""Waiting for a condition in tests: poll it with a deadline, never a fixed sleep."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

_pause = threading.Event()  # never set: wait() on it is an interruptible pause


def wait_for(condition: Callable[[], object], *, timeout: float = 30, every: float = 0.01) -> None:
    """Return once ``condition()`` is true; ``TimeoutError`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout} s")
        _pause.wait(every)


class ManualClock:
    """A clock a test moves by hand (``Emulator(clock=...)``): no sleeps in time tests."""

    def __init__(self, start: float = 1_780_000_000.0) -> None:
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        with self._lock:
            self.now += seconds
