"""Cached reads on the wire: what a second read asks, what a write makes it read again, and
that the frames are those of a fresh read (see mmframe.cache.reads)."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from tests.cache.history import (
    CLOSED,
    FIRST,
    NOW,
    files_hold,
    fill,
    requests,
    same,
    server,  # noqa: F401  (a fixture)
)

#: Bounce rows activated unjudged on purpose (what is tested is elsewhere): the warning
#: that they were never judged (tests/writes/test_never_judged_warned.py) is expected.
UNJUDGED = pytest.mark.filterwarnings("ignore:.*never judged:mmframe.errors.EvidenceWarning")
pytestmark = [pytest.mark.clock, UNJUDGED]

COUNT, LIST = "GET suppressions/count", "GET suppressions"


@pytest.fixture
def sessions(server, tmp_path):  # noqa: F811
    """(emulator, a session reading through a cache, one writing behind its back, the
    cache's folder), the history filled in."""
    emulator, _clock = server
    fill(server, 1500)
    root = tmp_path / "cache"
    with (
        mm.Session(emulator.url, emulator.master_apikey, cache=root) as reader,
        mm.Session(emulator.url, emulator.master_apikey) as writer,
    ):
        yield emulator, reader, writer, root


def test_a_second_read_of_an_unchanged_range_counts_each_closed_month_once(sessions):
    emulator, reader, writer, _root = sessions
    fresh = mm.read_suppressions(FIRST, session=writer, as_of=NOW)
    requests(emulator)
    first = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    assert first.attrs["cache"] == {"served": 0, "refetched": CLOSED, "fresh": 1}
    requests(emulator)
    second = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    sent = requests(emulator)
    same(first, fresh)
    same(second, fresh)
    assert second.attrs["cache"] == {"served": CLOSED, "refetched": 0, "fresh": 1}
    # One count per closed month, and the open month's own read: count, a page, count.
    assert sent == {COUNT: CLOSED + 2, LIST: 1}


def _three_months(frame: pd.DataFrame) -> pd.DataFrame:
    """Two rows in each of November, January and March."""
    months = frame["suppressed_at"].dt.strftime("%Y-%m")
    return frame[months.isin(["2025-11", "2026-01", "2026-03"])].groupby(months).head(2)


def test_rows_activated_behind_its_back_make_exactly_their_months_read_again(sessions):
    emulator, reader, writer, _root = sessions
    mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    mm.activate(_three_months(mm.read_suppressions(FIRST, session=writer, as_of=NOW)),
                session=writer)  # fmt: skip
    requests(emulator)
    cached = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    sent = requests(emulator)
    same(cached, mm.read_suppressions(FIRST, session=writer, as_of=NOW))
    assert cached.attrs["cache"] == {"served": CLOSED - 3, "refetched": 3, "fresh": 1}
    assert sent[LIST] == 3 + 1  # a page each of the three months, and the open month's


def test_rows_activated_through_the_session_are_stale_at_once(sessions):
    emulator, reader, writer, _root = sessions
    held = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    _three_months(held).mm.activate(session=reader)
    requests(emulator)
    cached = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    sent = requests(emulator)
    same(cached, mm.read_suppressions(FIRST, session=writer, as_of=NOW))
    assert cached.attrs["cache"] == {"served": CLOSED - 3, "refetched": 3, "fresh": 1}
    # Not counted first: each stale month is read (count, page, count) with the open one,
    # and the held months are counted once, with the closing counts.
    assert sent == {COUNT: CLOSED - 3 + 2 * 4, LIST: 4}


def test_an_open_start_begins_at_the_oldest_rows_month(sessions):
    emulator, reader, writer, _root = sessions
    mm.read_suppressions(session=reader, as_of=NOW)
    requests(emulator)
    cached = mm.read_suppressions(session=reader, as_of=NOW)
    sent = requests(emulator)
    same(cached, mm.read_suppressions(session=writer, as_of=NOW))
    assert cached.attrs["cache"] == {"served": CLOSED, "refetched": 0, "fresh": 1}
    # The oldest row (a page), the part before its month (a count: none), the rest.
    assert sent == {COUNT: 1 + CLOSED + 2, LIST: 2}


def test_a_report_with_filters_is_cached_per_filter(sessions):
    _emulator, reader, writer, _root = sessions
    options = {"as_of": NOW, "domain": "yahoo.com", "bounce_type": "hard"}
    fresh = mm.read_bounces("2025-11-15", session=writer, **options)
    for _ in range(2):
        cached = mm.read_bounces("2025-11-15", session=reader, **options)
        same(cached, fresh)
    assert cached.attrs["cache"] == {"served": CLOSED - 2, "refetched": 0, "fresh": 2}
    other = mm.read_bounces("2025-11-15", session=reader, as_of=NOW, domain="gmail.com")
    same(other, mm.read_bounces("2025-11-15", session=writer, as_of=NOW, domain="gmail.com"))
    assert other.attrs["cache"]["served"] == 0


def test_iterators_serve_closed_months_and_equal_fresh_ones(sessions):
    _emulator, reader, writer, _root = sessions
    fresh = list(mm.iter_suppressions(FIRST, session=writer, as_of=NOW))
    list(mm.iter_suppressions(FIRST, session=reader, as_of=NOW))
    cached = list(mm.iter_suppressions(FIRST, session=reader, as_of=NOW))
    assert len(cached) == len(fresh) == CLOSED + 1
    for got, want in zip(cached, fresh, strict=True):
        same(got, want)
    assert [c.attrs["cache"]["served"] for c in cached] == [1] * CLOSED + [0]


def test_a_calls_cache_wins_over_the_sessions(sessions, tmp_path, monkeypatch):
    emulator, reader, writer, root = sessions
    assert "cache" not in mm.read_suppressions(FIRST, session=reader, as_of=NOW, cache=False).attrs
    other = tmp_path / "other"
    mm.read_suppressions(FIRST, session=writer, as_of=NOW, cache=other)
    assert any(other.rglob("*.parquet")) and not root.exists()
    monkeypatch.setenv("MMFRAME_CACHE", str(root))
    with mm.Session(emulator.url, emulator.master_apikey) as from_env:
        assert from_env.cache == str(root)
        assert "cache" in mm.read_suppressions(FIRST, session=from_env, as_of=NOW).attrs
    with pytest.raises(TypeError, match="cache must be"):
        mm.read_suppressions(FIRST, session=writer, cache=3)


def test_no_key_reaches_the_cache(sessions):
    emulator, reader, _writer, root = sessions
    mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    mm.read_bounces(FIRST, session=reader, as_of=NOW, accounts="all")
    assert any(root.rglob("*.parquet"))
    assert files_hold(root, emulator.master_apikey) == []


def test_a_write_marks_the_sessions_cache_before_any_read_of_its_own(sessions):
    # A later run: its session writes before it reads, into the folder an earlier run filled.
    emulator, reader, writer, root = sessions
    held = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    with mm.Session(emulator.url, emulator.master_apikey, cache=root) as later:
        _three_months(held).mm.activate(session=later)
    requests(emulator)
    cached = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    assert requests(emulator) == {COUNT: CLOSED - 3 + 2 * 4, LIST: 4}  # not counted first
    same(cached, mm.read_suppressions(FIRST, session=writer, as_of=NOW))


def test_a_cached_read_planning_more_counts_than_max_requests_is_refused(sessions):
    _emulator, reader, _writer, root = sessions
    with pytest.raises(ValueError, match="a count per closed month"):
        mm.read_suppressions(FIRST, session=reader, as_of=NOW, max_requests=CLOSED)
    assert not root.exists()  # refused before any read


def test_a_recipients_frames_activation_marks_only_what_it_may_change(sessions):
    """Reactivating a recipients frame (``/recipients/activate``) leaves the suppression
    list alone (SPEC A12): nothing is marked, every held month is served. With
    ``full=True`` its addresses also leave the list, and a recipients frame does not say
    when they were suppressed: the account's whole list is read again (adv34 defect 10)."""
    emulator, reader, writer, _root = sessions
    held = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    recipients = mm.read_recipients(list(_three_months(held)["email"]), session=writer)
    assert "suppressed_at" not in recipients.columns
    recipients.mm.activate(session=reader)
    cached = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    same(cached, mm.read_suppressions(FIRST, session=writer, as_of=NOW))
    assert cached.attrs["cache"] == {"served": CLOSED, "refetched": 0, "fresh": 1}
    recipients.mm.activate(full=True, session=reader)
    requests(emulator)
    cached = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    assert requests(emulator)[LIST] == CLOSED + 1  # not one month counted first
    same(cached, mm.read_suppressions(FIRST, session=writer, as_of=NOW))
    assert cached.attrs["cache"] == {"served": 0, "refetched": CLOSED, "fresh": 1}
    assert len(cached) == len(held) - 6
