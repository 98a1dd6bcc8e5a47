"""The report's charts drawn on two cores (:mod:`mmframe.reporting.two_cores`): the same
results as drawn in one process, in order, whatever becomes of the forked child."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from mmframe.reporting import two_cores
from mmframe.reporting.render import charts
from mmframe.reporting.two_cores import in_two

pytestmark = pytest.mark.skipif(
    not two_cores._can_fork(), reason="no fork here: in_two runs every job in this process"
)


def test_every_job_is_done_once_in_order_half_of_them_by_a_child():
    parent = os.getpid()
    done = in_two([lambda i=i: (i * i, os.getpid()) for i in range(7)])
    assert [value for value, _pid in done] == [i * i for i in range(7)]
    by = [pid for _value, pid in done]
    assert set(by[1::2]) == {parent}  # every other job here
    assert parent not in by[0::2] and len(set(by[0::2])) == 1  # the rest in one child


def test_a_child_that_fails_costs_only_time():
    parent = os.getpid()

    def only_here() -> int:
        if os.getpid() != parent:
            raise RuntimeError("a failure of the child's own")
        return 1

    assert in_two([only_here, only_here, only_here]) == [1, 1, 1]


def test_a_child_that_dies_or_sends_nothing_is_given_up_on(monkeypatch):
    parent = os.getpid()

    def dies() -> str:
        if os.getpid() != parent:
            os._exit(3)
        return "here"

    assert in_two([dies, dies]) == ["here", "here"]

    # Silent for longer than its grace after this process's own share: killed, redone here.
    monkeypatch.setattr(two_cores, "_GRACE", 0.2)

    def stuck() -> str:
        if os.getpid() != parent:
            import threading

            threading.Event().wait()
        return "here"

    assert in_two([stuck, stuck, stuck]) == ["here"] * 3


def test_one_job_or_no_fork_runs_here():
    parent = os.getpid()
    assert in_two([os.getpid]) == [parent]
    assert in_two([os.getpid, os.getpid], fork=False) == [parent, parent]


def _trend(ax):
    days = pd.date_range("2026-05-01", periods=60, freq="D")
    ax.plot(days, range(60), label="news@example.com")
    ax.plot(days, [x % 7 for x in range(60)], label="promo@example.org")


def test_charts_drawn_on_two_cores_are_the_same_pictures(tmp_path):
    plans = [
        ("trend", "Suppressions per day, by account", _trend),
        ("line", "A line", lambda ax: ax.plot([0, 1], [1, 0], label="one")),
        ("bars", "Some bars", lambda ax: ax.bar(["a", "b"], [3, 4], label="two")),
    ]
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    alone = charts(plans, tmp_path / "one")
    shared = charts(plans, tmp_path / "two", fork=True)
    assert alone == shared
    for name, _title, _draw in plans:
        assert (tmp_path / "one" / f"{name}.png").read_bytes() == (
            tmp_path / "two" / f"{name}.png"
        ).read_bytes()
