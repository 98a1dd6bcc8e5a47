"""A bar shows the share of its work done: it never steps back, and is full only when its
work is over (issue 33, item 13; the 31st review saw "99 % (1428/1440) -> 83 %
(1440/1740)", "100 % (261/261) -> 48 % (271/569)" and a senders bar at 0/1 ... 0/5, then
5/65)."""

from __future__ import annotations

import io
import itertools
import re
import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe import progress

_STATE = re.compile(r"^(?P<name>.+?):\s*(?P<percent>\d+)%\|.*?(?:, (?P<steps>[\d,]+) \w+)?\]$")


def every_state(monkeypatch) -> None:
    """Make each text bar draw every change (tqdm draws at most ten a second)."""
    from tqdm import tqdm

    class Every(tqdm):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, mininterval=0, miniters=1, **kwargs)

    monkeypatch.setattr(progress, "_tqdm", lambda: Every)


def states(err: str) -> dict[str, list[tuple[int, int]]]:
    """Each bar's (percentage, steps done), in the order drawn."""
    seen: dict[str, list[tuple[int, int]]] = {}
    for line in err.split("\n"):
        for state in line.split("\r"):
            found = _STATE.match(state.strip())
            if found:
                steps = int((found["steps"] or "0").replace(",", ""))
                seen.setdefault(found["name"], []).append((int(found["percent"]), steps))
    return seen


def assert_honest(seen: dict[str, list[tuple[int, int]]]) -> None:
    assert seen
    for name, states in seen.items():
        percents = [percent for percent, _steps in states]
        back = [(a, b) for a, b in itertools.pairwise(percents) if b < a]
        assert not back, (name, back, states)
        assert percents[-1] == 100, (name, states)
        # Full only once the work is over: no step is done after the bar first shows 100 %.
        full = percents.index(100)
        assert {steps for _percent, steps in states[full:]} == {states[-1][1]}, (name, states)
        # No share is shown done before a request is (the 34th review: a stage opened at
        # 50 % with 0 requests, its first part having had nothing to read).
        assert all(steps > 0 for percent, steps in states if percent > 0), (name, states)


@pytest.mark.clock
def test_a_reports_bars_never_step_back_and_fill_once(demo_emulator, tmp_path, capsys, monkeypatch):
    from mmframe import demo
    from mmframe.reporting import build

    every_state(monkeypatch)
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        build(session, tmp_path, demo.START, demo.END, as_of=demo.END, progress=True,
              stream=io.StringIO())  # fmt: skip
    seen = states(capsys.readouterr().err)
    assert_honest(seen)
    assert {"counts and spikes: sent, delivered, complaints, bounces", "senders"} <= set(seen), seen


@pytest.mark.clock
@pytest.mark.parametrize("details", [False, True])
def test_a_senders_read_of_every_account_fills_once(demo_session, capsys, monkeypatch, details):
    every_state(monkeypatch)
    mm.read_senders(details=details, accounts="all", session=demo_session, progress=True)
    assert_honest(states(capsys.readouterr().err))


@pytest.mark.clock
@pytest.mark.parametrize(
    "read",
    [
        pytest.param(lambda s: mm.read_bounces("2026-06-01", "2026-06-20", accounts="all",
                                               session=s, progress=True), id="bounces"),
        # The 34th review, F1: 100 % at request 25 of 152, one period's read after another.
        pytest.param(lambda s: [len(f) for f in mm.iter_suppressions(
            "2026-01-01", "2026-07-01", freq="MS", accounts="all", session=s, progress=True
        )], id="iter_suppressions"),
        pytest.param(lambda s: [len(f) for f in mm.iter_events(
            "bounces", "2026-05-01", "2026-07-01", freq="MS", accounts="all", session=s,
            progress=True,
        )], id="iter_events"),
        # F8: 100 % shown at 264 of 265 requests (tqdm rounds 99.6 % up).
        pytest.param(lambda s: mm.read_event_counts("bounces", "2025-01-01", "2026-01-01",
                                                    freq="W", accounts="all", session=s,
                                                    progress=True), id="event_counts"),
    ],
)  # fmt: skip
def test_a_read_of_every_account_fills_once(demo_session, capsys, monkeypatch, read):
    every_state(monkeypatch)
    read(demo_session)
    assert_honest(states(capsys.readouterr().err))


def test_a_read_that_fails_leaves_its_bar_short_of_full(capsys, monkeypatch):
    # The 34th review, F4: a read whose checks failed after its last request ended at
    # 100 % (a green "success" widget in a notebook).
    every_state(monkeypatch)

    def fail() -> None:
        with progress.bar("x", progress=True) as shown:
            progress.grow(shown, 2)
            shown.update(2)
            raise RuntimeError("2 of 2 chunks incomplete")

    with pytest.raises(RuntimeError):
        fail()
    percents = [p for p, _steps in states(capsys.readouterr().err)["x"]]
    assert percents and max(percents) < 100, percents


def test_a_read_with_chunks_given_up_on_is_never_drawn_full(make_emulator, capsys, monkeypatch):
    # The 35th review, 1: reads whose error came once their requests were done ended at
    # 100 % (PartialLoadError after "100%, 220 requests").
    every_state(monkeypatch)
    emulator = make_emulator("demo", fault_rate=1.0)
    with (
        mm.Session(emulator.url, emulator.master_apikey, retries=0) as broken,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        counts = mm.read_suppression_counts(
            "2026-01-01", "2026-01-20", session=broken, progress=True, on_error="warn"
        )
    assert counts.attrs["mmframe"]["incomplete"]  # it gave up on some
    seen = states(capsys.readouterr().err)
    assert seen and all(max(p for p, _s in bar) < 100 for bar in seen.values()), seen


def test_a_callers_own_bar_fills_once_a_read_and_stays_open(demo_session, capsys):
    # The 34th review, F6: a caller's tqdm went 50 % -> 2 % as the read grew its total,
    # and the read closed it, so a second read on it was never counted.
    from tqdm import tqdm

    mine = tqdm(total=0, file=io.StringIO(), mininterval=0, miniters=1)
    seen: list[tuple[float, float]] = []
    real = mine.update

    def update(n: float = 1) -> bool | None:
        done = real(n)
        seen.append((mine.n, mine.total))
        return done

    mine.update = update  # type: ignore[method-assign]
    for _ in range(2):
        mm.read_bounces("2026-06-01", "2026-06-20", accounts="all", session=demo_session,
                        progress=mine)  # fmt: skip
    assert not mine.disable  # still open: the caller's to close
    assert (mine.n, mine.total) == (200, 200)
    first = [n / total for n, total in seen if total == 100]
    assert first == sorted(first) and first[-1] == 1
    mine.close()


def test_a_dry_run_of_an_activation_draws_a_bar_of_its_reads(session, capsys, monkeypatch):
    # The 34th review, F7: a dry run sent hundreds of requests with no bar; an activation
    # read for a second and a half before its bar appeared.
    import pandas as pd

    every_state(monkeypatch)
    emails = [f"p{i}@example.com" for i in range(5)]
    mm.suppress(pd.DataFrame({"email": emails}), session=session, progress=False)
    rows = mm.read_suppressions(session=session, progress=False)
    by_hand = ("reactivate", "keep")  # suppressed by hand: put back deliberately
    plan = rows.mm.activate(dry_run=True, session=session, progress=True, verdicts=by_hand)
    assert (plan["status"] == "planned").all()
    seen = states(capsys.readouterr().err)
    assert set(seen) == {"activate"}, seen
    assert_honest(seen)


# --- the invariant, on any order of work --------------------------------------------------


class Recorded:
    """A tqdm stand-in that keeps every percentage drawn."""

    def __init__(self) -> None:
        self.total: float | None = 100
        self.n = 0.0
        self.drawn: list[float] = [0.0]

    def update(self, n: float = 1) -> None:
        self.n += n
        self.drawn.append(self.n)

    def refresh(self) -> None:
        self.drawn.append(self.n)


_STEP = st.one_of(
    st.tuples(st.just("grow"), st.integers(0, 5), st.integers(1, 20), st.booleans()),
    st.tuples(st.just("reserve"), st.integers(0, 5), st.integers(1, 20), st.booleans()),
    st.tuples(st.just("update"), st.integers(0, 5), st.integers(1, 3), st.booleans()),
    st.tuples(st.just("part"), st.integers(0, 5), st.integers(0, 4), st.booleans()),
    st.tuples(st.just("finish"), st.integers(1, 5), st.just(0), st.booleans()),
)


@settings(max_examples=300, deadline=None)
@given(parts=st.integers(0, 4), steps=st.lists(_STEP, max_size=60))
def test_what_a_bar_shows_never_steps_back_and_is_full_at_the_end(parts, steps):
    shown = Recorded()
    drawn = progress._Drawn(lambda: shown, own=False, unit="req")
    top = progress.Shared(drawn)
    top.split(parts)
    nodes = [top]
    for what, which, amount, flag in steps:
        node = nodes[which % len(nodes)]
        if what == "grow":
            node.grow(amount, reserved=flag)
        elif what == "reserve":
            node.reserve(amount)
        elif what == "update":
            # A read never does more than it has announced.
            with drawn.lock:
                leaf = node._leaf()
                amount = min(amount, int((leaf.total or 0) - leaf._done))
            if amount > 0:
                node.update(amount)
        elif what == "part":
            child = node.part()
            child.split(amount)
            nodes.append(child)
        elif node is not top:
            node.finish()
    top.grow(1)  # drawn, whatever the steps were
    top.finish()
    assert all(0 <= a <= b <= 100 + 1e-9 for a, b in itertools.pairwise(shown.drawn)), shown.drawn
    assert shown.drawn[-1] == pytest.approx(100)
