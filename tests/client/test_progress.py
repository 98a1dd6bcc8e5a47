"""Progress bars: shown when asked, silenced by argument or environment, closed on error."""

from __future__ import annotations

import pytest

import mmframe as mm
from mmframe import progress


def test_bar_shows_on_stderr_and_never_the_key(demo_session, demo_emulator, capsys):
    mm.read_suppression_counts("2026-01-01", "2026-01-20", session=demo_session, progress=True)
    err = capsys.readouterr().err
    assert "suppression counts" in err and "19/19" in err
    assert demo_emulator.master_apikey not in err


def test_silenced_by_argument_and_environment(demo_session, capsys, monkeypatch):
    mm.read_suppression_counts("2026-01-01", "2026-01-05", session=demo_session, progress=False)
    monkeypatch.setenv("MMFRAME_PROGRESS", "0")
    mm.read_suppression_counts("2026-01-01", "2026-01-05", session=demo_session)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(("setting", "expected"), [("0", False), ("off", False), ("1", True)])
def test_environment_setting(monkeypatch, setting, expected):
    monkeypatch.setenv("MMFRAME_PROGRESS", setting)
    assert progress.enabled(None) is expected
    assert progress.enabled(False) is False and progress.enabled(True) is True


@pytest.mark.parametrize("terminal", [False, True])
def test_a_terminal_decides_when_nothing_is_set(monkeypatch, terminal):
    monkeypatch.delenv("MMFRAME_PROGRESS")
    monkeypatch.setattr(progress.sys.stderr, "isatty", lambda: terminal)
    assert progress.enabled(None) is terminal


def test_bar_closed_even_on_error(monkeypatch):
    made = []
    real = progress._tqdm()

    class Recording(real):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)  # a reference, so tqdm's __del__ cannot close it for us

    monkeypatch.setattr(progress, "_tqdm", lambda: Recording)

    def fail():
        with progress.bar("x", progress=True):
            assert made[0].disable is False
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail()
    assert made[0].disable is True  # tqdm marks a closed bar disabled
