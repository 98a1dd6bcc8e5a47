"""One rate limit shared by every request a session (and its sub-account sessions) sends."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Throttle:
    """A token bucket: ``rate`` requests per second, bursts up to ``burst``.

    Parameters
    ----------
    rate
        Requests per second; None means no limit.
    burst
        Tokens the bucket holds; defaults to ``max(1, rate)`` (one second's worth).
    clock, sleep
        Monotonic seconds and how to wait (tests pass a clock they move by hand).
    """

    def __init__(
        self,
        rate: float | None,
        burst: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError(f"rate_limit must be positive or None, not {rate!r}")
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate or 1.0)
        self._clock, self._sleep = clock, sleep
        self._tokens = self.burst
        self._stamp = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, sleeping until one is free; returns the seconds waited."""
        if self.rate is None:
            return 0.0
        with self._lock:  # callers queue here, so tokens go out in arrival order
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            wait = 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate
            if wait:
                self._sleep(wait)
                self._stamp = self._clock()
                self._tokens = 1.0
            self._tokens -= 1
            return wait
