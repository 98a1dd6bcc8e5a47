"""pytest fixtures: ``pytest_plugins = ["mmframe.emulator.fixtures"]`` in a conftest.

``emulator`` is a fresh server on a free loopback port for each test; ``make_emulator`` builds
ones with other seeds or settings and stops them all at the end of the test. A seeded
dataset is built once per session (``seeded_database``) and each emulator started on it gets
its own copy of the file, free to write to: the demo takes seconds to seed, a copy
milliseconds. Session fixtures are per process, so each pytest-xdist worker seeds its own.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .models import Backend
from .seed import load_seed
from .server import Emulator


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``seeded_database(seed, seed_value=0)``: a SQLite file holding that dataset, built
    once per session. Never serve it: copy it (``make_emulator`` does), since a test that
    writes to it would change the data of every test after."""
    built: dict[tuple[str, int], Path] = {}
    folder = tmp_path_factory.mktemp("seeded")

    def get(seed: str, seed_value: int = 0) -> Path:
        key = (seed, seed_value)
        if key not in built:
            path = folder / f"{seed}-{seed_value}.sqlite"
            backend = Backend(path)
            load_seed(backend, seed, seed_value)
            backend.close()  # checkpoints the write-ahead log into the one file
            built[key] = path
        return built[key]

    return get


@pytest.fixture(scope="session")
def seeded_copy(
    seeded_database: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., Path]:
    """``seeded_copy(seed, seed_value=0)``: a new copy of the seeded file, for one emulator
    to serve and write to (``Emulator(seed, db=path)`` serves it without seeding again)."""

    def copy(seed: str, seed_value: int = 0) -> Path:
        source = seeded_database(seed, seed_value)
        return Path(shutil.copyfile(source, tmp_path_factory.mktemp(seed) / source.name))

    return copy


@pytest.fixture
def make_emulator(seeded_copy: Callable[..., Path]) -> Iterator[Callable[..., Emulator]]:
    """A factory of started emulators (any :class:`Emulator` arguments), stopped afterwards.

    A seed other than ``empty`` without a ``db`` starts on a copy of the session's seeded
    file (:func:`seeded_copy`), deleted afterwards: the data seeding it again would give.
    """
    started: list[Emulator] = []
    copies: list[Path] = []

    def make(seed: str = "empty", **options: Any) -> Emulator:
        if seed != "empty" and options.get("db") is None:
            options["db"] = seeded_copy(seed, options.get("seed_value", 0))
            copies.append(options["db"].parent)
        emulator = Emulator(seed, port=0, **options).start()
        started.append(emulator)
        return emulator

    yield make
    for emulator in started:
        emulator.stop()
    for folder in copies:  # the demo is 120 MB: no copy kept per test
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def emulator(make_emulator: Callable[..., Emulator]) -> Emulator:
    """A fresh ``empty`` emulator (one master account) on port 0."""
    return make_emulator("empty")
