"""Progress bars: shown when asked, silenced by argument or environment, closed on error."""

from __future__ import annotations

import pytest

import mmframe as mm
from mmframe import progress


@pytest.mark.clock
def test_bar_shows_on_stderr_and_never_the_key(demo_session, demo_emulator, capsys):
    mm.read_suppression_counts("2026-01-01", "2026-01-20", session=demo_session, progress=True)
    err = capsys.readouterr().err
    assert "suppression counts: 100%" in err and "19 requests]" in err
    assert demo_emulator.master_apikey not in err


@pytest.mark.clock
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
        with progress.bar("x", progress=True) as shown:
            progress.grow(shown, 1)  # a bar is drawn on its first step
            assert made[0].disable is False
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail()
    assert made[0].disable is True  # tqdm marks a closed bar disabled


def _final_counts(err: str) -> tuple[int, int]:
    """The last percentage a text bar drew, and the steps it had done."""
    import re

    found = re.findall(r"(\d+)%\|.*?, ([\d,]+) \w+\]", err)
    assert found, err
    percent, done = found[-1]
    return int(percent), int(done.replace(",", ""))


@pytest.mark.clock
@pytest.mark.parametrize(
    "read",
    [
        pytest.param(lambda s: mm.read_suppressions(accounts="all", session=s, progress=True),
                     id="suppressions"),
        pytest.param(lambda s: mm.read_bounces("2026-06-01", "2026-06-10", accounts="all",
                                               session=s, progress=True), id="bounces"),
        pytest.param(lambda s: list(mm.iter_suppressions("2026-01-01", "2026-03-01",
                                                         session=s, progress=True)), id="iter"),
        pytest.param(lambda s: mm.read_accounts(session=s, progress=True), id="accounts"),
        pytest.param(lambda s: mm.read_senders(accounts="all", session=s, progress=True),
                     id="senders"),
    ],
)  # fmt: skip
def test_bars_know_their_total_and_reach_it(demo_session, capsys, read):
    # Issue 19.14: a bar that starts at total 0 is falsy, so paging drove a silent stand-in
    # and the bar the user saw stayed at 0/0.
    read(demo_session)
    percent, done = _final_counts(capsys.readouterr().err)
    assert percent == 100 and done > 0


def test_a_notebook_bar_grows_its_widget():
    from tqdm.notebook import tqdm as notebook

    shown = notebook(total=0, display=False)
    progress.grow(shown, 3)
    shown.update(3)
    shown.refresh()
    widget = shown.container.children[1]
    assert (widget.max, widget.value, widget.bar_style) == (3, 3, "")
    shown.close()


def test_a_widget_bar_fills_exactly():
    import ipywidgets

    from mmframe.widgets.shared import WidgetBar

    bar = WidgetBar(ipywidgets.IntProgress())
    with progress.bar("x", progress=bar) as shown:
        progress.grow(shown, 4)
        shown.update(4)
    # A caller's bar takes 100 steps a read, filled as its share done.
    assert (bar.bar.value, bar.bar.max) == (100, 100)


# --- Issue 33.5 and 33.13: one bar per stage, each knowing its total --------------------


def _bars(err: str) -> list[str]:
    """The last state of each text bar drawn: a closed bar ends its line."""
    finals = []
    for line in err.split("\n"):
        states = [s for s in line.split("\r") if s.strip()]
        if states and "|" in states[-1]:
            finals.append(states[-1].strip())
    return finals


@pytest.mark.clock
def test_a_report_draws_one_full_bar_per_stage_each_naming_what_it_reads(
    demo_emulator, tmp_path, capsys
):
    import io
    import re

    from mmframe import demo
    from mmframe.reporting import build

    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        build(session, tmp_path, demo.START, demo.END, as_of=demo.END, progress=True,
              stream=io.StringIO())  # fmt: skip
    bars = _bars(capsys.readouterr().err)
    labels = [bar.split(":")[0] for bar in bars]
    # 21 bars before, 15 of them "rates": each read of a stage drew its own.
    assert len(labels) == len(set(labels)) <= 7, bars  # the stages, and the senders
    assert "rates" not in labels, bars
    for bar in bars:
        percent, done = re.search(r"(\d+)%\|.*?, ([\d,]+) \w+\]", bar).groups()
        assert percent == "100" and done != "0", bar


class Racing:
    """A caller's bar on which two workers that grow it read its total together: the lost
    update a read of several accounts risks, made certain (a notebook's widget bar widens
    the window: it is redrawn between the read and the write of the total)."""

    def __init__(self) -> None:
        import threading

        self._total: float | None = 0
        self.n = 0
        self._met = threading.Barrier(2, timeout=5)
        self._first = threading.Event()

    @property
    def total(self) -> float | None:
        import contextlib
        import threading

        value = self._total
        if threading.current_thread() is not threading.main_thread() and not self._first.is_set():
            with contextlib.suppress(threading.BrokenBarrierError):
                self._met.wait()  # returns once a second worker has read it too
            self._first.set()
        return value

    @total.setter
    def total(self, value: float | None) -> None:
        self._total = value

    def update(self, n: float = 1) -> None:
        self.n += n

    def refresh(self) -> None:
        return None


def test_a_bar_grown_by_several_workers_reaches_its_total(demo_session):
    # Issue 33.13: notebook 01's senders read ended at "senders: 65/?": more done than its
    # total, as two accounts' pages grew it at once.
    shown = Racing()
    mm.read_senders(details=True, accounts="all", session=demo_session, progress=shown)
    assert shown.n == shown.total == 100  # a caller's bar: 100 steps a read


def test_a_write_with_nothing_to_do_draws_no_bar(session, tmp_path, capsys):
    # Issue 33.13: running a journalled fix again showed "remediate: 0/0".
    import pandas as pd

    mm.suppress(pd.DataFrame({"email": ["a@example.com", "b@example.com"]}), session=session,
                progress=False)  # fmt: skip
    rows = mm.read_suppressions(session=session, progress=False)
    journal = str(tmp_path / "fix.jsonl")
    by_hand = ("reactivate", "keep")  # suppressed by hand: put back deliberately (adv12, W1)
    rows.mm.activate(full=True, journal=journal, confirm=True, session=session, progress=False,
                     verdicts=by_hand)  # fmt: skip
    again = rows.mm.activate(full=True, journal=journal, confirm=True, session=session,
                             progress=True, verdicts=by_hand)  # fmt: skip
    assert (again["status"] == "skipped").all()  # the journal holds both
    # It still reads the rows' states (what it reads decides a row's payload), and its bar
    # says so: no "0/0", and full at its end.
    from tests.client.test_progress_share import assert_honest, states

    err = capsys.readouterr().err
    assert "0/0" not in err
    seen = states(err)
    assert set(seen) <= {"activate"}, seen
    if seen:
        assert_honest(seen)
