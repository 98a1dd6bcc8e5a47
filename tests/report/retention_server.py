"""A server that lists its last 30 days (the hosted service; the emulator's
``report_retention``), its clock moved per generated history, and a history's report on
it: what the retention properties share."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.reporting import build
from mmframe.reporting.evidence import Evidence
from tests.report.generated import EPOCH, History, Plan, history


class Clock:
    """The emulator's clock, set per example: the server's now is the range's end."""

    now = EPOCH

    def __call__(self) -> float:
        return self.now.timestamp()


@pytest.fixture(scope="module")
def retaining() -> Iterator[tuple[Emulator, Clock]]:
    """One retention server a module, its clock moved by :func:`report_of`."""
    clock = Clock()
    with Emulator("empty", port=0, clock=clock, report_retention=True) as emulator:
        yield emulator, clock


def report_of(
    retaining: tuple[Emulator, Clock], plan: Plan
) -> tuple[Evidence, pd.Timestamp, History]:
    """``plan``'s history replayed alone on the server, its clock at the history's end (a
    day at least), and the report over its range as of then: (evidence, now, history)."""
    emulator, clock = retaining
    h = history(plan)
    now = max(pd.Timestamp(h.end), EPOCH + pd.Timedelta(days=1)).tz_convert("UTC")
    clock.now = now
    emulator.load("empty")
    emulator.replay(**h.frames)
    with (
        tempfile.TemporaryDirectory() as out,
        mm.Session(emulator.url, emulator.master_apikey) as session,
    ):
        evidence, _path = build(
            session, Path(out), h.start, h.end, as_of=now, progress=False, stream=io.StringIO()
        )
    return evidence, now, h
