"""The scenario reports, each built once per module on its own replayed emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.reporting import Evidence, build
from tests.report.retention_server import retaining  # noqa: F401 (the retention tests' fixture)
from tests.report.scenarios import END, SCENARIOS, START, history


def scenario_report(name: str, out: Path) -> tuple[Evidence, Path]:
    """Replay scenario ``name`` into a fresh emulator and write its report into ``out``."""
    with Emulator("empty", port=0) as emulator:
        emulator.replay(**history(name))
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            return build(session, out, START, END, as_of=END, progress=False)


@pytest.fixture(scope="session")
def scenario_reports(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[Evidence, Path]]:
    return {name: scenario_report(name, tmp_path_factory.mktemp(name)) for name in SCENARIOS}
