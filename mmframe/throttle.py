"""One rate limit shared by every request a session (and its sub-account sessions) sends."""

from __future__ import annotations

import threading
import time


class Throttle:
    """A token bucket: ``rate`` requests per second, bursts up to ``burst``.

    Parameters
    ----------
    rate
        Requests per second; None means no limit.
    burst
        Tokens the bucket holds; defaults to ``max(1, rate)`` (one second's worth).
    """

    def __init__(self, rate: float | None, burst: float | None = None) -> None:
        if rate is not None and rate <= 0:
            raise ValueError(f"rate_limit must be positive or None, not {rate!r}")
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate or 1.0)
        self._tokens = self.burst
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, sleeping until one is free; returns the seconds waited."""
        if self.rate is None:
            return 0.0
        with self._lock:  # callers queue here, so tokens go out in arrival order
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            wait = 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate
            if wait:
                time.sleep(wait)
                self._stamp = time.monotonic()
                self._tokens = 1.0
            self._tokens -= 1
            return wait
