"""Fixtures the write tests share."""

from __future__ import annotations

import pytest

import mmframe as mm
from tests.writes.lists import judged_storm


@pytest.fixture
def demo(make_emulator):
    """A fresh demo emulator (free to write to) and a master session on it."""
    emulator = make_emulator("demo")
    with mm.Session(emulator.url, emulator.master_apikey) as master:
        yield emulator, master


@pytest.fixture
def judged(make_emulator):
    """A fresh demo, its storm judged on every account's evidence, a session, and the rows
    the judging clears."""
    emulator = make_emulator("demo")
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        fix = judged_storm(session)
        yield emulator, session, fix[fix["verdict"] == "reactivate"]
