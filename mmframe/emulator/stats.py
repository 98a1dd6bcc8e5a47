"""Request statistics per method, so tests and benchmarks can count calls."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class MethodStats:
    """Counts for one ``VERB method`` pair."""

    requests: int = 0
    addresses: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)


class Stats:
    """Thread-safe counters keyed by ``"GET suppressions"`` and the like."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.methods: dict[str, MethodStats] = {}

    def _get(self, key: str) -> MethodStats:
        return self.methods.setdefault(key, MethodStats())

    def request(self, key: str) -> None:
        """Count a request as it arrives."""
        with self.lock:
            self._get(key).requests += 1

    def outcome(
        self, key: str, status: int, *, addresses: int = 0, fault: str | None = None
    ) -> None:
        """Count how a request ended: its status, addresses it wrote, its fault."""
        with self.lock:
            entry = self._get(key)
            entry.statuses[status] += 1
            entry.addresses += addresses
            if fault:
                entry.faults[fault] += 1

    def snapshot(self) -> dict[str, Any]:
        """JSON-safe counters per method plus totals."""
        methods: dict[str, dict[str, Any]]
        with self.lock:
            methods = {
                key: {
                    "requests": m.requests,
                    "addresses": m.addresses,
                    "faults": dict(m.faults),
                    "statuses": {str(k): v for k, v in m.statuses.items()},
                }
                for key, m in sorted(self.methods.items())
            }
        writes = [m for key, m in methods.items() if key.startswith("POST ")]
        return {
            "methods": methods,
            "totals": {
                "requests": sum(m["requests"] for m in methods.values()),
                "writes": sum(m["requests"] for m in writes),
                "addresses": sum(m["addresses"] for m in methods.values()),
                "faults": sum(sum(m["faults"].values()) for m in methods.values()),
            },
        }

    def reset(self) -> None:
        """Forget every count."""
        with self.lock:
            self.methods.clear()
