"""What the cache's read tests share: an emulator whose clock they move, a history of
suppressions and bounces over months, sessions with and without a cache, requests counted
on the wire, and the check that a cached read equals a fresh one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mmframe as mm
from mmframe.emulator import Emulator

#: The server's time when a test begins: the history ends a few days before.
NOW = pd.Timestamp("2026-06-20T12:00:00Z")
#: The closed months of [FIRST, NOW) (October to May: June ends after NOW).
CLOSED = 8
FIRST = pd.Timestamp("2025-10-01T00:00:00Z")
DOMAINS = ("gmail.com", "yahoo.com", "example.org")


class Clock:
    """The emulator's clock: the time stamped on writes, moved by hand."""

    now = NOW

    def __call__(self) -> float:
        return self.now.timestamp()


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Emulator, Clock]]:
    """One emulator a module, its clock moved by the tests (:func:`fill` resets both)."""
    clock = Clock()
    with Emulator("empty", port=0, clock=clock) as emulator:
        yield emulator, clock


def history(rows: int, seed: int = 0, *, end: pd.Timestamp = NOW) -> dict[str, pd.DataFrame]:
    """Suppressions and bounces spread over ``[FIRST, end - 3 days)``, in time order."""
    rng = np.random.default_rng(seed)
    span = int((end - pd.Timedelta(days=3) - FIRST).total_seconds())
    when = (FIRST + pd.to_timedelta(np.sort(rng.integers(0, span, rows)), unit="s")).floor("s")
    domains = np.array(DOMAINS)[rng.integers(0, len(DOMAINS), rows)]
    emails = [f"r{seed}-{i}@{d}" for i, d in enumerate(domains)]
    suppressions = pd.DataFrame({"email": emails, "reason": "bounce", "suppressed_at": when})
    bounces = pd.DataFrame(
        {
            "email": emails,
            "bounced_at": when,
            "sent_at": when - pd.Timedelta(minutes=5),
            "bounce_type": np.where(rng.random(rows) < 0.5, "hard", "soft"),
            "message": "550 5.1.1 user unknown",
        }
    )
    return {"suppressions": suppressions, "bounces": bounces}


def fill(server: tuple[Emulator, Clock], rows: int, seed: int = 0) -> None:
    """The emulator emptied, its clock at :data:`NOW`, and a :func:`history` replayed."""
    emulator, clock = server
    clock.now = NOW
    emulator.load("empty")
    emulator.replay(**history(rows, seed))


def requests(emulator: Emulator) -> dict[str, int]:
    """Requests per method since the last reset (``GET suppressions/count``: 3), reset."""
    methods = emulator.stats()["methods"]
    emulator.reset_stats()
    return {name: int(m["requests"]) for name, m in methods.items()}


def same(cached: pd.DataFrame, fresh: pd.DataFrame) -> None:
    """The cached read equals the fresh one: values, dtypes, order, and attrs but
    ``cache`` (and the wall-clock second each was loaded at: two reads, two times)."""
    pd.testing.assert_frame_equal(cached, fresh)
    assert _provenance(cached) == _provenance(fresh)


#: Provenance that is not the rows': when each was loaded, and the accounts the session
#: knew its key to see (``seen``: known once a session read its directory, whichever read
#: made it do so, cached or not).
_NOT_THE_ROWS = ("loaded_at", "seen")


def _provenance(frame: pd.DataFrame) -> dict[str, Any]:
    attrs = {k: v for k, v in frame.attrs.items() if k != "cache"}
    meta = {k: v for k, v in attrs["mmframe"].items() if k not in _NOT_THE_ROWS}
    return {**attrs, "mmframe": meta}


def read(kind: str, session: mm.Session, **options: Any) -> pd.DataFrame:
    """A read of ``kind`` ("suppressions" or a report) with ``options``."""
    if kind == "suppressions":
        return mm.read_suppressions(session=session, **options)
    return mm.read_events(kind, session=session, **options)


def files_hold(root: Path, secret: str) -> list[str]:
    """The files under ``root`` whose bytes hold ``secret``."""
    return [str(p) for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
