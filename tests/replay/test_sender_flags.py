"""A replayed sender's spf, dkim and ready are what the frame says, never a guess (tenth
review, F11): a missing (NA) value became the new sender's default (spf and ready 1, dkim
0), so a replica reported an unknown SPF as passing. The API knows no unknown state of
them (SPEC A13: 1 or 0), so a missing one is refused naming the rows, as other missing
values are; ``seeding`` may be missing (optional in A13: 0 on create, kept on update)."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe.emulator.replay import ReplayError

ACCOUNT = "a@acme.io"


def _senders(**flags: list[bool | None]) -> pd.DataFrame:
    emails = ["x@acme.io", "y@acme.io", "z@acme.io"]
    frame = pd.DataFrame({"account": [ACCOUNT] * 3, "email": emails})
    for name, values in flags.items():
        frame[name] = pd.array(values, dtype="boolean")
    return frame


def _state(emulator) -> list[str]:
    with emulator.backend.store.lock:
        return list(emulator.backend.store.conn.iterdump())


@pytest.mark.parametrize("flag", ["spf", "dkim", "ready"])
def test_a_missing_flag_is_refused_naming_its_rows_and_nothing_is_written(make_emulator, flag):
    emulator = make_emulator("empty")
    before = _state(emulator)
    frame = _senders(**{flag: [True, None, None]})
    with pytest.raises(ReplayError) as raised:
        emulator.replay(accounts=pd.DataFrame({"username": [ACCOUNT]}), senders=frame)
    message = str(raised.value)
    assert f"senders: column {flag!r} is empty in rows 1, 2" in message, message
    assert _state(emulator) == before


def test_known_flags_and_a_missing_seeding_load_as_given(make_emulator):
    emulator = make_emulator("empty")
    frame = _senders(
        spf=[True, False, False], dkim=[False, True, False], ready=[True, True, False]
    ).assign(seeding=pd.array([True, None, False], dtype="boolean"))
    emulator.replay(accounts=pd.DataFrame({"username": [ACCOUNT]}), senders=frame)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        got = mm.read_senders(details=True, accounts=[ACCOUNT], session=session)
    got = got.set_index("email").sort_index()
    assert got["spf"].tolist() == [True, False, False]
    assert got["dkim"].tolist() == [False, True, False]
    assert got["ready"].tolist() == [True, True, False]
    assert got["seeding"].tolist() == [True, False, False]  # missing: 0 on create (A13)
