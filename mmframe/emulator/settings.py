"""Run-time settings of an emulator: latency, faults, rate limit, delays, limits (SPEC A16)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

FAULT_MODES = ("error-before", "reset-after", "stall", "mixed")


@dataclass
class Settings:
    """What an emulator injects; everything is off by default.

    Attributes
    ----------
    latency_ms, jitter_ms
        Fixed delay plus a uniform random extra, added to every API request.
    fault_rate
        Probability (0..1) that an API request meets a fault of ``fault_mode``.
    fault_mode
        ``error-before`` (503, nothing applied), ``reset-after`` (applied, then the connection
        drops before the body), ``stall`` (held ``stall_seconds``, not applied, then 503) or
        ``mixed`` (one of the three at random).
    rate_limit
        Requests per second across all keys; beyond it, 429 with ``Retry-After``.
    propagation_delay
        Seconds before a write to a suppression list or recipient becomes visible.
    max_addresses
        Most distinct addresses one request may name.
    """

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    fault_rate: float = 0.0
    fault_mode: str = "error-before"
    stall_seconds: float = 10.0
    rate_limit: float | None = None
    propagation_delay: float = 0.0
    max_addresses: int = 1000

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ``ValueError`` naming the first setting out of range."""
        if self.fault_mode not in FAULT_MODES:
            raise ValueError(f"fault_mode must be one of {FAULT_MODES}, not {self.fault_mode!r}")
        if not 0 <= self.fault_rate <= 1:
            raise ValueError(f"fault_rate must lie in [0, 1], not {self.fault_rate!r}")
        for name in ("latency_ms", "jitter_ms", "stall_seconds", "propagation_delay"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.rate_limit is not None and self.rate_limit <= 0:
            raise ValueError("rate_limit must be positive (or None for no limit)")
        if self.max_addresses < 1:
            raise ValueError("max_addresses must be at least 1")

    def update(self, changes: dict[str, Any]) -> None:
        """Change settings by name; unknown names raise ``ValueError``."""
        known = {f.name: f for f in fields(self)}
        unknown = set(changes) - set(known)
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        previous = asdict(self)
        for name, value in changes.items():
            setattr(self, name, value)
        try:
            self.validate()
        except ValueError:
            for name, value in previous.items():
                setattr(self, name, value)
            raise

    def as_dict(self) -> dict[str, Any]:
        """The settings as JSON-safe values."""
        return asdict(self)
