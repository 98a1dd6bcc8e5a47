"""Settings every test run shares, notebooks included (their kernels inherit the environment).

``MMFRAME_TEST_CLOCK=2027-06-01T00:00:00Z`` runs the tests with the clock of this process
moved to that time (time-machine, ticking on from there): the proof that no test depends on
today's date. ``.ci/run`` runs the tests marked ``clock`` that way once more: those that
read today's date or the clock, directly or through the emulator's time stamps (a test
that does and lacks the mark is only ever run on today's date, so mark it when unsure).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("MMFRAME_PROGRESS", "0")  # nbval compares no outputs, bars are noise
os.environ.setdefault("MPLBACKEND", "Agg")  # headless charts

_traveller: Any = None


def pytest_configure(config: Any) -> None:
    """Move the clock when ``MMFRAME_TEST_CLOCK`` says so."""
    global _traveller
    when = os.environ.get("MMFRAME_TEST_CLOCK")
    if when:
        import time_machine

        _traveller = time_machine.travel(when, tick=True)
        _traveller.start()


def pytest_report_header(config: Any) -> str | None:
    """Say in the header when the clock was moved."""
    when = os.environ.get("MMFRAME_TEST_CLOCK")
    return f"clock moved to {when} (MMFRAME_TEST_CLOCK)" if when else None


def pytest_unconfigure(config: Any) -> None:
    """Put the clock back."""
    if _traveller is not None:
        _traveller.stop()


def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    """The slow tests and the notebooks first (their order kept): the workers then finish
    together, instead of one running a long module alone at the end (longest first)."""

    def late(item: pytest.Item) -> bool:
        return item.get_closest_marker("slow") is None and item.path.suffix != ".ipynb"

    items.sort(key=late)


@pytest.fixture(scope="session")
def _demo_session() -> Iterator[Any]:
    """The demo data behind the docstrings' examples, as the default session."""
    import mmframe as mm
    from mmframe.emulator import Emulator

    with Emulator(seed="demo") as emulator:
        session = mm.connect(emulator.url, apikey=emulator.master_apikey)
        yield session
        session.close()


@pytest.fixture(autouse=True)
def _doctest_names(request: pytest.FixtureRequest) -> None:
    """Docstring examples (``pytest --doctest-modules mmframe``) see ``mm`` and ``pd``, and
    read the demo data through the default session, as a notebook would."""
    if not isinstance(request.node, pytest.DoctestItem):
        return
    import pandas as pd

    import mmframe as mm

    request.getfixturevalue("_demo_session")
    request.getfixturevalue("doctest_namespace").update(mm=mm, pd=pd)
