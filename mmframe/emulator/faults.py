"""Fault injection and the rate limiter: what makes the emulator misbehave on purpose."""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable

from .settings import FAULT_MODES, Settings


class FaultPlan:
    """Decides, request by request, whether and how to fail (SPEC A16)."""

    def __init__(self, settings: Settings, seed: int = 0) -> None:
        self.settings = settings
        self.rng = random.Random(seed)
        self.lock = threading.Lock()

    def draw(self) -> str | None:
        """The fault mode for the next request, or None for no fault."""
        with self.lock:
            if self.settings.fault_rate <= 0 or self.rng.random() >= self.settings.fault_rate:
                return None
            if self.settings.fault_mode == "mixed":
                return self.rng.choice(FAULT_MODES[:3])
            return self.settings.fault_mode

    def latency(self) -> float:
        """Seconds to hold the next request: fixed latency plus uniform jitter."""
        with self.lock:
            jitter = self.rng.uniform(0, self.settings.jitter_ms) if self.settings.jitter_ms else 0
        return (self.settings.latency_ms + jitter) / 1000


class RateLimiter:
    """A token bucket of ``rate`` requests per second with a one-second burst."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self.lock = threading.Lock()
        self.tokens = 0.0
        self.stamp = clock()
        self.rate: float | None = None

    def retry_after(self) -> int | None:
        """None when the request may pass; else whole seconds to wait (at least 1)."""
        rate = self.settings.rate_limit
        if rate is None:
            return None
        with self.lock:
            now = self.clock()
            if rate != self.rate:  # a changed limit starts with a full bucket
                self.rate, self.tokens, self.stamp = rate, max(1.0, rate), now
            self.tokens = min(max(1.0, rate), self.tokens + (now - self.stamp) * rate)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return None
            return max(1, math.ceil((1 - self.tokens) / rate))
