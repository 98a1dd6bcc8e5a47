"""pytest fixtures: ``pytest_plugins = ["mmframe.emulator.fixtures"]`` in a conftest.

``emulator`` is a fresh server on a free loopback port for each test; ``make_emulator`` builds
ones with other seeds or settings and stops them all at the end of the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .server import Emulator


@pytest.fixture
def make_emulator() -> Iterator[Callable[..., Emulator]]:
    """A factory of started emulators (any :class:`Emulator` arguments), stopped afterwards."""
    started: list[Emulator] = []

    def make(seed: str = "empty", **options: Any) -> Emulator:
        emulator = Emulator(seed, port=0, **options).start()
        started.append(emulator)
        return emulator

    yield make
    for emulator in started:
        emulator.stop()


@pytest.fixture
def emulator(make_emulator: Callable[..., Emulator]) -> Emulator:
    """A fresh ``empty`` emulator (one master account) on port 0."""
    return make_emulator("empty")
