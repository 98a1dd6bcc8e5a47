"""A report read from the first (``start=None``), the evidence read of a fix, is cached as
a dated one is: its months start at the oldest row's, its closed months are served and
stored, ``attrs["cache"]`` counts them, and it equals a fresh read (review 10, F10: such a
read was read whole every time and counted one fresh period an account)."""

from __future__ import annotations

import os
import tempfile
from typing import Any
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.loaders import events
from tests.cache.history import (
    CLOSED,
    DOMAINS,
    FIRST,
    NOW,
    Clock,
    fill,
    history,
    requests,
    same,
    server,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.clock

COUNT, LIST = "GET reports/bounces/count", "GET reports/bounces"
SETTLE = pd.Timedelta(days=3)


@pytest.fixture
def sessions(server, tmp_path):  # noqa: F811
    emulator, _clock = server
    fill(server, 1500)
    with (
        mm.Session(emulator.url, emulator.master_apikey, cache=tmp_path / "c") as reader,
        mm.Session(emulator.url, emulator.master_apikey) as writer,
    ):
        yield emulator, reader, writer, tmp_path / "c"


def test_an_open_start_report_is_served_from_the_oldest_rows_month(sessions):
    emulator, reader, writer, root = sessions
    fresh = mm.read_bounces(None, None, session=writer, as_of=NOW, accounts="all")
    first = mm.read_bounces(None, None, session=reader, as_of=NOW, accounts="all")
    assert first.attrs["cache"] == {"served": 0, "refetched": CLOSED, "fresh": 1}
    held = mm.cache.info(root)
    assert list(held["kind"].unique()) == ["bounces"] and len(held) == CLOSED
    requests(emulator)
    again = mm.read_bounces(None, None, session=reader, as_of=NOW, accounts="all")
    sent = requests(emulator)
    same(first, fresh)
    same(again, fresh)
    assert again.attrs["cache"] == {"served": CLOSED, "refetched": 0, "fresh": 1}
    # The first page (the oldest row), the part before its month (a count: none), a count
    # per closed month, and the open month: count, page, count.
    assert sent[COUNT] == 1 + CLOSED + 2 and sent[LIST] == 2


def _late(data: st.DataObject, now: pd.Timestamp) -> pd.DataFrame:
    """Late hard bounces at one moment, before the history's first month too."""
    low = FIRST - pd.Timedelta(days=90)
    seconds = data.draw(st.integers(0, int((now - low).total_seconds()) - 1), label="late")
    when = (low + pd.Timedelta(seconds=seconds)).floor("s")
    count = data.draw(st.integers(1, 3), label="late bounces")
    domain = data.draw(st.sampled_from(DOMAINS), label="late domain")
    return pd.DataFrame(
        {
            "email": [f"late{when.value}-{i}@{domain}" for i in range(count)],
            "bounced_at": [when] * count,
            "sent_at": [when - pd.Timedelta(minutes=1)] * count,
            "bounce_type": "hard",
            "message": "550 late",
        }
    )


def _closed_months(oldest: pd.Timestamp, now: pd.Timestamp) -> int:
    """The closed months from ``oldest``'s month to ``now``: what an open start stores."""
    lo = oldest.normalize().replace(day=1)
    hi = (now - SETTLE).normalize().replace(day=1)
    return max(len(pd.date_range(lo, hi, freq="MS", inclusive="left")), 0)


def _off_the_first_page(months: int) -> Any:
    """``first_event`` as a server answers that lists its oldest rows after its first page:
    ``months`` later than the oldest row (the part before is then found by its count)."""
    found = events.first_event

    def later(*args: Any) -> pd.Timestamp | None:
        oldest = found(*args)
        return None if oldest is None else oldest + pd.DateOffset(months=months)

    return mock.patch.object(events, "first_event", later)


@settings(
    max_examples=int(os.environ.get("MMFRAME_HISTORIES", "30")) // 2,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), seed=st.integers(0, 3))
def test_an_open_start_report_read_cached_equals_a_fresh_one(server, data, seed):  # noqa: F811
    emulator, clock = server
    fill(server, 400, seed)
    with (
        tempfile.TemporaryDirectory() as root,
        mm.Session(emulator.url, emulator.master_apikey, cache=root) as reader,
        mm.Session(emulator.url, emulator.master_apikey) as writer,
    ):
        for number in range(data.draw(st.integers(2, 6), label="steps")):
            step = data.draw(st.sampled_from(["late", "tick", "read"]), label=f"step {number}")
            if step == "late":
                emulator.replay(bounces=_late(data, clock.now))
            elif step == "tick":
                clock.now += pd.Timedelta(days=data.draw(st.integers(0, 40), label="days"))
            options: dict[str, Any] = {"as_of": clock.now, "accounts": "all"}
            options["domain"] = data.draw(st.sampled_from([None, *DOMAINS]), label="domain")
            options["bounce_type"] = data.draw(st.sampled_from([None, "hard"]), label="type")
            shift = data.draw(st.sampled_from([0, 0, 1, 3]), label="oldest off page 0 by")
            fresh = mm.read_bounces(None, None, session=writer, **options)
            with _off_the_first_page(shift):
                cached = mm.read_bounces(None, None, session=reader, **options)
                again = mm.read_bounces(None, None, session=reader, **options)
            same(cached, fresh)
            same(again, fresh)
            tally, then = cached.attrs["cache"], again.attrs["cache"]
            closed = tally["served"] + tally["refetched"]
            assert then == {"served": closed, "refetched": 0, "fresh": then["fresh"]}
            if shift == 0 and len(fresh):
                assert closed == _closed_months(fresh["bounced_at"].min(), clock.now), tally


def test_under_retention_an_open_start_report_raises_as_a_fresh_one_does(tmp_path):
    """A server listing only its last 30 days: the part before the oldest listed row's
    month is counted, read, and short, so the cached read raises the fresh read's error
    (the evidence read's, naming no start to narrow to) and stores no short month."""
    clock = Clock()
    with Emulator("empty", port=0, clock=clock, report_retention=True) as emulator:
        emulator.replay(**history(1500))
        errors = []
        for cache in (False, tmp_path, tmp_path):
            with (
                mm.Session(emulator.url, emulator.master_apikey, cache=cache) as session,
                pytest.raises(mm.PartialLoadError) as raised,
            ):
                mm.read_bounces(None, None, session=session, as_of=NOW, accounts="all")
            errors.append(raised.value)
    assert "(start=None)" in str(errors[0])
    assert {str(e) for e in errors} == {str(errors[0])}
    for error in errors[1:]:
        same(error.frame, errors[0].frame)
    assert mm.cache.info(tmp_path).empty
