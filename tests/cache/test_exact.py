"""A cached read equals a fresh one after any sequence of writes, late events and time.

Two sessions on one emulator: one reads through a cache, the other writes behind its back
(suppressions, activations); the reader writes too, now and then; late bounces are
replayed into any month, closed ones included; the server's clock moves by days. After
every step a cached read of a random range and filter equals a fresh read as of the same
moment (:func:`tests.cache.history.same`).
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from tests.cache.history import (
    DOMAINS,
    FIRST,
    fill,
    read,
    same,
    server,  # noqa: F401  (a fixture)
)

#: Bounce rows activated unjudged on purpose (what is tested is elsewhere): the warning
#: that they were never judged (tests/writes/test_never_judged_warned.py) is expected.
UNJUDGED = pytest.mark.filterwarnings("ignore:.*never judged:mmframe.errors.EvidenceWarning")

DAYS = st.integers(0, 40)
STEPS = st.sampled_from(
    ["suppress", "activate", "own_activate", "relist", "own_relist", "late", "tick", "read"]
)
#: ``suppress`` of a bounce row lists it again now, taking it out of its month (W-21a):
#: that it says so is tested elsewhere (tests/writes/test_hand_add_after_judging.py).
RELISTED = pytest.mark.filterwarnings("ignore:.*again as a manual add:UserWarning")
pytestmark = [pytest.mark.clock, UNJUDGED, RELISTED]


def _moment(data: st.DataObject, low: pd.Timestamp, high: pd.Timestamp, label: str) -> Any:
    """A whole second in ``[low, high]``, or a month's start now and then."""
    seconds = data.draw(st.integers(0, int((high - low).total_seconds())), label=label)
    moment = low + pd.Timedelta(seconds=seconds)
    if data.draw(st.booleans(), label=f"{label} at a month's start"):
        moment = moment.normalize().replace(day=1)
    return max(moment, low)


def _read_step(data: st.DataObject, now: pd.Timestamp) -> tuple[str, dict[str, Any]]:
    kind = data.draw(st.sampled_from(["suppressions", "bounces"]), label="kind")
    low = FIRST - pd.Timedelta(days=20)
    start = None  # open: from the oldest row's month (review 10, F10: reports too)
    if not data.draw(st.booleans(), label="open"):
        start = _moment(data, low, now, "start")
    end = None
    if data.draw(st.booleans(), label="an end"):
        end = _moment(data, start if start is not None else low, now, "end")
    options: dict[str, Any] = {"start": start, "end": end, "as_of": now}
    if kind == "bounces":
        domain = data.draw(st.sampled_from([None, *DOMAINS]), label="domain")
        options.update(domain=domain, bounce_type=data.draw(st.sampled_from([None, "hard"])))
    return kind, options


def _late_bounces(data: st.DataObject, now: pd.Timestamp) -> pd.DataFrame:
    when = _moment(data, FIRST, now - pd.Timedelta(seconds=1), "late")
    count = data.draw(st.integers(1, 3), label="late bounces")
    domain = data.draw(st.sampled_from(DOMAINS), label="late domain")
    stamps = [when.floor("s")] * count
    return pd.DataFrame(
        {
            "email": [f"late{when.value}-{i}@{domain}" for i in range(count)],
            "bounced_at": stamps,
            "sent_at": [s - pd.Timedelta(minutes=1) for s in stamps],
            "bounce_type": "hard",
            "message": "550 late",
        }
    )


def _activate(data: st.DataObject, session: mm.Session, now: pd.Timestamp) -> None:
    held = mm.read_suppressions(session=session, as_of=now, cache=False)
    if not len(held):
        return
    picks = data.draw(st.lists(st.integers(0, len(held) - 1), min_size=1, max_size=4))
    # Suppressed by hand here: putting them back is the deliberate choice (adv12, W1).
    held.iloc[sorted(set(picks))].mm.activate(session=session, verdicts=("reactivate", "keep"))


def _relist(data: st.DataObject, session: mm.Session, now: pd.Timestamp) -> None:
    """Some listed rows suppressed by hand: a bounce row leaves its month, listed now."""
    held = mm.read_suppressions(session=session, as_of=now, cache=False)
    if not len(held):
        return
    picks = data.draw(st.lists(st.integers(0, len(held) - 1), min_size=1, max_size=3))
    held.iloc[sorted(set(picks))][["email"]].mm.suppress(session=session)


@settings(
    max_examples=int(os.environ.get("MMFRAME_HISTORIES", "30")) // 2,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), seed=st.integers(0, 3))
def test_after_every_step_a_cached_read_equals_a_fresh_one(server, data, seed):  # noqa: F811
    emulator, clock = server
    fill(server, 400, seed)
    with (
        tempfile.TemporaryDirectory() as root,
        mm.Session(emulator.url, emulator.master_apikey, cache=root) as reader,
        mm.Session(emulator.url, emulator.master_apikey) as writer,
    ):
        for number in range(data.draw(st.integers(3, 10), label="steps")):
            step = data.draw(STEPS, label=f"step {number}")
            if step == "suppress":
                fresh = [f"new{clock.now.value}-{i}@gmail.com" for i in range(2)]
                mm.suppress(pd.DataFrame({"email": fresh}), session=writer)
            elif step in ("activate", "own_activate"):
                _activate(data, reader if step == "own_activate" else writer, clock.now)
            elif step in ("relist", "own_relist"):
                _relist(data, reader if step == "own_relist" else writer, clock.now)
            elif step == "late":
                emulator.replay(bounces=_late_bounces(data, clock.now))
            elif step == "tick":
                clock.now += pd.Timedelta(days=data.draw(DAYS, label="days"))
            kind, options = _read_step(data, clock.now)
            cached = read(kind, reader, **options)
            same(cached, read(kind, writer, **options))
            tally = cached.attrs["cache"]
            assert sum(tally.values()) >= 1, tally
