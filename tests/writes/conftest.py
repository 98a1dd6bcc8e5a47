"""Fixtures the write tests share."""

from __future__ import annotations

import pytest

import mmframe as mm


@pytest.fixture
def demo(make_emulator):
    """A fresh demo emulator (free to write to) and a master session on it."""
    emulator = make_emulator("demo")
    with mm.Session(emulator.url, emulator.master_apikey) as master:
        yield emulator, master
