"""Run-time settings of an emulator: latency, faults, rate limit, delays, limits (SPEC A16).

A change is checked as a whole before any of it applies: every value must have its field's
type and lie in its range, so a rejected change leaves the emulator serving as before.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import asdict, dataclass, fields
from typing import Any

FAULT_MODES = ("error-before", "reset-after", "stall", "mixed")
#: Upper bounds of the time settings: an hour of latency or stall, a day of propagation.
LIMITS = {
    "latency_ms": 3_600_000.0,
    "jitter_ms": 3_600_000.0,
    "stall_seconds": 3_600.0,
    "propagation_delay": 86_400.0,
}
#: A rate limit between one request a minute and a million a second: outside it the
#: ``Retry-After`` arithmetic overflows or the limit means nothing.
MIN_RATE, MAX_RATE = 1 / 60, 1_000_000.0
MAX_ADDRESSES = 100_000
#: Words a query string may use for "no rate limit".
_NONE_WORDS = ("", "none", "null", "off")


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
    report_retention
        Keep report data only as long as the hosted service did (SPEC 1.9): lists answer
        the last 30 days, counts the last 18 months (548 days). Off: all history.
    """

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    fault_rate: float = 0.0
    fault_mode: str = "error-before"
    stall_seconds: float = 10.0
    rate_limit: float | None = None
    propagation_delay: float = 0.0
    max_addresses: int = 1000
    report_retention: bool = False

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ``TypeError`` or ``ValueError`` naming the first setting that is wrong."""
        for name, high in LIMITS.items():
            _number(name, getattr(self, name), low=0.0, high=high)
        _number("fault_rate", self.fault_rate, low=0.0, high=1.0)
        if self.rate_limit is not None:
            _number("rate_limit", self.rate_limit, low=MIN_RATE, high=MAX_RATE)
        if not isinstance(self.fault_mode, str):
            raise TypeError(f"fault_mode must be text, not {type(self.fault_mode).__name__}")
        if self.fault_mode not in FAULT_MODES:
            raise ValueError(f"fault_mode must be one of {FAULT_MODES}, not {self.fault_mode!r}")
        if not isinstance(self.max_addresses, int) or isinstance(self.max_addresses, bool):
            raise TypeError(f"max_addresses must be an integer, not {self.max_addresses!r}")
        if not 1 <= self.max_addresses <= MAX_ADDRESSES:
            raise ValueError(
                f"max_addresses must be at least 1 and at most {MAX_ADDRESSES:,}, not "
                f"{self.max_addresses!r}"
            )
        if not isinstance(self.report_retention, bool):
            raise TypeError(
                f"report_retention must be true or false, not {self.report_retention!r}"
            )

    def changed(self, changes: dict[str, Any], *, text: bool = False) -> Settings:
        """A validated copy with ``changes`` applied; ``self`` is untouched.

        ``text=True`` parses string values first (a query string carries nothing else).
        Unknown names raise ``ValueError``; wrong types ``TypeError``; out of range
        ``ValueError``.
        """
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(map(str, unknown)))}")
        if text:
            changes = {name: _parse(name, value) for name, value in changes.items()}
        return dataclasses.replace(self, **changes)

    def update(self, changes: dict[str, Any], *, text: bool = False) -> None:
        """Apply ``changes`` all at once, or raise and change nothing."""
        fresh = self.changed(changes, text=text)
        for name, value in asdict(fresh).items():
            setattr(self, name, value)

    def as_dict(self) -> dict[str, Any]:
        """The settings as JSON-safe values."""
        return asdict(self)


def _number(
    name: str, value: Any, *, low: float, high: float = math.inf, open_low: bool = False
) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, not {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, not {value!r}")
    if value < low or value > high or (open_low and value == low):
        side = f"above {low:g}" if open_low else f"at least {low:.4g}"
        bound = f" and at most {high:g}" if math.isfinite(high) else ""
        raise ValueError(f"{name} must be {side}{bound}, not {value!r}")


def _parse(name: str, value: Any) -> Any:
    """A query-string value as the type of setting ``name``."""
    if not isinstance(value, str):
        return value
    if name == "fault_mode":
        return value
    if name == "report_retention":
        words = {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}
        if value.strip().lower() not in words:
            raise ValueError(f"report_retention must be true or false, not {value!r}")
        return words[value.strip().lower()]
    if name == "rate_limit" and value.strip().lower() in _NONE_WORDS:
        return None
    try:
        return int(value) if name == "max_addresses" else float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {value!r}") from None
