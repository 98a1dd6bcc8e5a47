"""Each account keeps one colour in every chart of the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import mmframe as mm
from mmframe import demo
from mmframe.emulator import Emulator
from mmframe.reporting import build
from mmframe.reporting.plans import chart_plans


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> mm.reporting.Evidence:
    """The demo's evidence: five accounts, a suppressions chart and a bounce-rate chart."""
    out: Path = tmp_path_factory.mktemp("demo")
    emulator = Emulator("demo", port=0)
    with emulator, mm.Session(emulator.url, emulator.master_apikey) as session:
        made, _path = build(session, out, demo.START, demo.END, as_of=demo.END, progress=False)
    return made


def test_an_account_has_one_colour_in_every_chart(evidence) -> None:
    seen: dict[str, set[str]] = {}
    drawn = 0
    for _name, _title, draw in chart_plans(evidence):
        ax = Figure().subplots()
        draw(ax)
        for line in ax.get_lines():
            label = str(line.get_label())
            if label in evidence.accounts:
                seen.setdefault(label, set()).add(to_hex(line.get_color()))
                drawn += 1
    assert len(seen) == len(evidence.accounts) and drawn >= 2 * len(seen)
    assert all(len(colours) == 1 for colours in seen.values()), seen
    assert len({c for colours in seen.values() for c in colours}) == len(seen)  # one each
