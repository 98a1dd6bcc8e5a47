"""Reads stay exact while the list changes; dates and chunk counts are checked (issue 10)."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

import mmframe as mm
from mmframe.emulator import Emulator
from tests.waiting import wait_for

pytestmark = pytest.mark.clock  # reads today's date or the clock

T0 = pd.Timestamp("2026-03-01", tz="UTC")


def _seed(emulator: Emulator, count: int) -> None:
    """``count`` suppressions of the master, one a minute from T0 (ids grow with time)."""
    backend = emulator.backend
    master = backend.store.conn.execute("SELECT id FROM accounts").fetchone()[0]
    start = int(T0.timestamp())
    rows = [(f"r{i:05d}@example.com", start + 60 * i, "bounce") for i in range(count)]
    with backend.store.transaction():
        backend.suppressions.insert(master, rows, keep_existing=False)
    backend.store.forget_order(master)


@pytest.mark.slow
def test_a_read_racing_writes_returns_the_list_as_it_ends(make_emulator):
    emulator = make_emulator("empty", latency_ms=40)
    _seed(emulator, 20_000)
    oldest = [f"r{i:05d}@example.com" for i in range(300)]
    fresh = [f"new{i:03d}@example.com" for i in range(600)]

    def writer() -> None:
        # Once the reader has fetched a few pages, shift every later page.
        wait_for(lambda: _pages(emulator) >= 6, timeout=60)
        with mm.Session(emulator.url, emulator.master_apikey) as other:
            other.post("suppressions/activate", emailaddress=oldest)
            other.post("suppressions", emailaddress=fresh)

    thread = threading.Thread(target=writer)
    thread.start()
    with mm.Session(emulator.url, emulator.master_apikey, max_workers=2) as reader:
        got = mm.read_suppressions(session=reader)
    thread.join()
    assert _pages(emulator) > 40  # the racing read was read again
    emulator.configure(latency_ms=0)
    with mm.Session(emulator.url, emulator.master_apikey) as check:
        end = got.attrs["mmframe"]["query"]["end"]
        truth = mm.read_suppressions(end=end, session=check)
        assert mm.count_suppressions(end=end, session=check).sum() == len(got)
    assert got["suppression_id"].is_unique
    assert set(got["email"]) == set(truth["email"])
    assert not set(oldest) & set(got["email"])
    untouched = {f"r{i:05d}@example.com" for i in range(300, 20_000)}
    assert untouched <= set(got["email"])  # no row that nobody touched is missing


def _pages(emulator: Emulator) -> int:
    return emulator.stats()["methods"].get("GET suppressions", {}).get("requests", 0)


def test_an_open_end_is_fixed_at_the_reads_start(emulator, session):
    clock_now = pd.Timestamp("2026-05-01 12:00:00", tz="UTC")
    _seed(emulator, 3)  # March 2026: before as_of
    got = mm.read_suppressions(session=session, as_of=clock_now)
    assert len(got) == 3
    # as of a moment, the read ends where its second begins (rows stamped in it cannot
    # be told from rows written after it)
    assert got.attrs["mmframe"]["query"]["end"] == "2026-05-01T12:00:00+00:00"
    # a range ending in the future is cut at the same place
    later = mm.read_suppressions("2026-01-01", "2030-01-01", session=session, as_of=clock_now)
    assert later.attrs["mmframe"]["query"]["end"] == "2026-05-01T12:00:00+00:00"


def test_a_list_that_keeps_changing_raises(make_emulator, monkeypatch):
    emulator = make_emulator("empty")
    _seed(emulator, 1_200)
    from mmframe import count_reads, listing

    real = count_reads.count_one
    counted = iter(range(10_000))

    def moving(chunk):  # every count sees one more row: the list never holds still
        outcome = real(chunk)
        outcome.expected += next(counted)
        return outcome

    monkeypatch.setattr(count_reads, "count_one", moving)
    monkeypatch.setattr(listing, "count_one", moving)  # the closing counts it sends
    with (
        mm.Session(emulator.url, emulator.master_apikey) as session,
        pytest.raises(mm.PartialLoadError, match="changing") as caught,
    ):
        mm.read_suppressions(session=session)
    assert caught.value.chunks["status"].tolist() == ["changing"]


@pytest.mark.parametrize(
    "call",
    [
        lambda s: mm.read_suppressions(2025, 2026, session=s),
        lambda s: mm.read_suppressions("2025-01-01", 20260101, session=s),
        lambda s: mm.count_suppressions(1.7e9, session=s),
        lambda s: mm.read_suppression_counts(2025, "2026-01-01", session=s),
        lambda s: mm.iter_suppressions(2025, "2026-01-01", session=s).__next__(),
        lambda s: mm.export_suppressions("unused", 2025, 2026, session=s),
    ],
)
def test_numbers_are_not_dates(emulator, session, call):
    emulator.reset_stats()
    with pytest.raises(TypeError, match="nanoseconds"):
        call(session)
    assert emulator.stats()["totals"]["requests"] == 0


def test_a_typo_in_a_year_plans_no_requests(emulator, session):
    emulator.reset_stats()
    with pytest.raises(ValueError, match=r"36,\d{3} periods.*max_requests=10,000"):
        mm.read_suppression_counts("1926-01-01", "2026-01-01", session=session)
    with pytest.raises(ValueError, match="outside the times the API's clients read"):
        mm.read_suppression_counts("1026-01-01", "2026-01-01", session=session)
    with pytest.raises(ValueError, match="max_requests"):
        mm.read_suppression_counts("2025-01-01", "2026-01-01", freq="s", session=session)
    assert emulator.stats()["totals"]["requests"] == 0
    week = ("2026-01-01", "2026-01-08")
    with pytest.raises(ValueError, match="max_requests=5"):
        mm.read_suppression_counts(*week, freq="D", session=session, max_requests=5)
    assert len(mm.read_suppression_counts(*week, freq="D", session=session, max_requests=9)) == 7


@pytest.mark.parametrize(
    ("call", "planned"),
    [
        pytest.param(
            lambda s: mm.read_rates(
                "2000-01-01", "2026-01-01", freq="D", by="domain",
                values=[f"d{i}.example" for i in range(50)], session=s,
            ),
            "2,849,100 requests",
            id="rates-daily-26-years-50-domains",
        ),
        pytest.param(
            lambda s: mm.read_bounces(
                recipients=[f"u{i}@example.com" for i in range(20_000)], session=s
            ),
            "60,000 requests",
            id="20000-recipients",
        ),
        pytest.param(
            lambda s: mm.read_event_counts(
                "sent", "2020-01-01", "2026-01-01", freq="h", session=s
            ),
            "periods",
            id="hourly-counts-6-years",
        ),
    ],
)  # fmt: skip
def test_the_guard_counts_requests_not_periods(emulator, session, call, planned):
    # Issue 19.8: periods were counted, so a call multiplying them by groups, reports or
    # recipients planned millions of requests unchecked.
    emulator.reset_stats()
    with pytest.raises(ValueError, match=planned):
        call(session)
    assert emulator.stats()["totals"]["requests"] == 0
    assert len(mm.read_bounces(recipients=["a@x.com", "b@x.com"], session=session)) == 0


def test_is_complete_follows_as_of(demo_session):
    counts = mm.read_suppression_counts(
        "2026-10-01", "2027-01-01", freq="MS", session=demo_session, as_of="2026-11-15"
    )
    assert counts["is_complete"].tolist() == [True, False, False]
    later = mm.read_suppression_counts(
        "2026-10-01", "2027-01-01", freq="MS", session=demo_session, as_of="2027-06-01"
    )
    assert later["is_complete"].all()


def _activate_and_suppress_mid_read(emulator: Emulator, go: threading.Event, done, pairs):
    """The other client: once per read, when the reader is into its pages, activate one
    old row and suppress one new address (the count stays the same; later pages shift).
    Three pages in, seven are left: the two writes (15 ms each) land while the reader is
    still reading on a loaded machine (eight in, they sometimes came after its last page)."""
    with mm.Session(emulator.url, emulator.master_apikey) as other:
        for old, new in pairs:
            if not go.wait(timeout=120):
                return
            go.clear()
            mark = _pages(emulator)
            wait_for(lambda mark=mark: _pages(emulator) >= mark + 3, timeout=60)
            other.post("suppressions/activate", emailaddress=old)
            other.post("suppressions", emailaddress=new)
            done.set()


@pytest.mark.slow
def test_reads_racing_a_balanced_writer_are_exact_or_raise(make_emulator):
    # Issue 19.3: an activation and a suppression in the same read left the count as it
    # was, so a row nobody touched went missing behind the shifted pages, silently.
    emulator = make_emulator("empty", latency_ms=15)
    _seed(emulator, 5_000)
    runs = 8
    pairs = [(f"r{i:05d}@example.com", f"new{i:03d}@example.com") for i in range(runs)]
    go, done = threading.Event(), threading.Event()
    writer = threading.Thread(
        target=_activate_and_suppress_mid_read, args=(emulator, go, done, pairs), daemon=True
    )
    writer.start()
    exact = 0
    with mm.Session(emulator.url, emulator.master_apikey, max_workers=1) as reader:
        for i in range(runs):
            done.clear()
            go.set()
            try:
                got = mm.read_suppressions(session=reader)
            except mm.PartialLoadError:
                wait_for(done.is_set, timeout=60)
                continue
            assert done.is_set(), "the writer did not write during the read"
            assert got["suppression_id"].is_unique
            kept = {f"r{j:05d}@example.com" for j in range(i + 1, 5_000)}
            added = {f"new{j:03d}@example.com" for j in range(i + 1)}
            # The list as it stands at the read's end (the writer waits for the next read):
            # every row nobody touched, none activated, and the additions inside the range.
            truth = mm.read_suppressions(end=got.attrs["mmframe"]["query"]["end"], session=reader)
            assert set(got["email"]) == set(truth["email"]), f"read {i} is not the list"
            assert kept <= set(got["email"]) <= kept | added, f"read {i} lost a row"
            exact += 1
    writer.join(timeout=60)
    assert exact >= runs // 2  # most reads are read again and come out exact


@pytest.mark.slow
def test_bounces_of_suppressed_addresses_racing_writes_are_exact(make_emulator):
    emulator = make_emulator("demo", latency_ms=15)
    month = ("2026-06-01", "2026-07-01")
    with mm.Session(emulator.url, emulator.master_apikey) as setup:
        news = setup.for_account(NEWS_ACCOUNT)
        every = mm.read_bounces(*month, session=news, messages=False)
        before = mm.read_bounces(*month, session=news, messages=False, bounce_type="suppressed")
    on = sorted(set(before["email"]))
    off = sorted(set(every["email"]) - set(on))
    runs = 4
    pairs = [(on[i], off[i]) for i in range(runs)]
    go, done = threading.Event(), threading.Event()
    writer = threading.Thread(
        target=_toggle_mid_read, args=(emulator, go, done, pairs), daemon=True
    )
    writer.start()
    with mm.Session(emulator.url, emulator.master_apikey, max_workers=1) as reader:
        news = reader.for_account(NEWS_ACCOUNT)
        for i in range(runs):
            done.clear()
            go.set()
            try:
                got = mm.read_bounces(
                    *month, session=news, messages=False, bounce_type="suppressed"
                )
            except mm.PartialLoadError:
                wait_for(done.is_set, timeout=60)
                continue
            wait_for(done.is_set, timeout=60)
            touched = {a for pair in pairs[: i + 1] for a in pair}
            suppressed = (set(on) - {p[0] for p in pairs[:i]}) | {p[1] for p in pairs[:i]}
            rows = got[~got["email"].isin(touched)]
            expected = every[every["email"].isin(suppressed - touched)]
            key = ["email", "bounced_at", "sender"]
            assert not rows.duplicated(key).any(), f"read {i} has a row twice"
            assert sorted(map(tuple, rows[key].astype(str).to_numpy())) == sorted(
                map(tuple, expected[key].astype(str).to_numpy())
            ), f"read {i} lost or gained a row of an address nobody touched"
    writer.join(timeout=60)


NEWS_ACCOUNT = "news@example.com"


def _toggle_mid_read(emulator: Emulator, go: threading.Event, done, pairs):
    """Per read: activate a suppressed address that bounced, suppress one that was not."""
    with mm.Session(emulator.url, emulator.master_apikey) as master:
        news = master.for_account(NEWS_ACCOUNT)
        for suppressed, unsuppressed in pairs:
            if not go.wait(timeout=120):
                return
            go.clear()
            mark = _bounce_pages(emulator)
            wait_for(lambda mark=mark: _bounce_pages(emulator) >= mark + 2, timeout=60)
            news.post("suppressions/activate", emailaddress=suppressed)
            news.post("suppressions", emailaddress=unsuppressed)
            done.set()


def _bounce_pages(emulator: Emulator) -> int:
    return emulator.stats()["methods"].get("GET reports/bounces", {}).get("requests", 0)
