"""``max_requests`` holds after the count too: a server's count (honest or not) cannot make a
read plan more page requests than the caller allowed, nor an endless list read forever."""

from __future__ import annotations

import json

import pytest

import mmframe as mm
from tests.fake_server import Answer, FakeServer
from tests.hostile import Rewriting

pytestmark = pytest.mark.clock  # reads today's date or the clock

RANGE = ("2026-01-01", "2026-02-01")


def _counting(count):
    """Every count answers ``count``; everything else is the emulator's own answer."""

    def rewrite(method, status, body):
        if method.endswith("/count") or "/count/" in method:
            data = {"count": count, "hardbouncecount": 0, "softbouncecount": 0}
            return 200, json.dumps({"response": {"status": 200, "data": data}}).encode()
        return None

    return rewrite


READERS = {
    "read_suppressions": lambda s, **o: mm.read_suppressions(*RANGE, session=s, **o),
    "iter_suppressions": lambda s, **o: list(mm.iter_suppressions(*RANGE, session=s, **o)),
    "read_bounces": lambda s, **o: mm.read_bounces(*RANGE, session=s, **o),
    "iter_events": lambda s, **o: list(mm.iter_events("opens", *RANGE, session=s, **o)),
    "read_opens_of_recipients": lambda s, **o: mm.read_opens(
        *RANGE, recipients=["a@x.com", "b@x.com"], session=s, **o
    ),
}


@pytest.mark.parametrize("count", [100_000, 10**10])
@pytest.mark.parametrize("reader", list(READERS))
def test_a_count_past_the_budget_sends_no_page(emulator, reader, count):
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        session.transport.http.mount("http://", Rewriting(_counting(count)))
        with pytest.raises(ValueError, match=r"max_requests=100\b") as caught:
            READERS[reader](session, max_requests=100)
    assert f"{count:,}" in str(caught.value)  # says which count made the plan
    pages = {
        method: numbers["requests"]
        for method, numbers in emulator.stats()["methods"].items()
        if "count" not in method and "xheaders" not in method
    }
    assert pages == {}


def test_the_export_keeps_the_budget(emulator, tmp_path):
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        session.transport.http.mount("http://", Rewriting(_counting(10**10)))
        with pytest.raises(ValueError, match="max_requests=100"):
            mm.export_suppressions(tmp_path / "out", *RANGE, session=session, max_requests=100)
    assert [m for m in emulator.stats()["methods"] if "count" not in m] == []


def test_a_dask_partition_keeps_the_budget():
    import mmframe.dask as mdd

    count = Answer(200, {"response": {"status": 200, "data": {"count": 10**10}}})
    with FakeServer([count]) as server, mm.Session(server.url, "f" * 32) as session:
        lazy = mdd.read_suppressions(*RANGE, session=session, max_requests=100)
        with pytest.raises(ValueError, match="max_requests=100"):
            lazy.compute(scheduler="sync")
        assert all("/count" in r["path"] for r in server.requests)


def test_a_list_that_never_ends_stops_at_the_budget(emulator):
    # An honest count, then full pages forever: reading on "because the list grew" must stop.
    page = [
        {
            "emailaddress": f"u{i}@x.com",
            "suppresstime": "2026-01-02T00:00:00+00:00",
            "suppressionid": str(i),
            "reasontype": "manual",
        }
        for i in range(500)
    ]

    def rewrite(method, status, body):
        if method == "suppressions/count":
            data = {"count": 500}
        elif method == "suppressions":
            data = {"suppressions": page}
        else:
            return None
        return 200, json.dumps({"response": {"status": 200, "data": data}}).encode()

    with mm.Session(emulator.url, emulator.master_apikey) as session:
        session.transport.http.mount("http://", Rewriting(rewrite))
        with pytest.raises(ValueError, match="max_requests=50"):
            mm.read_suppressions(*RANGE, session=session, max_requests=50)
    assert emulator.stats()["methods"]["GET suppressions"]["requests"] <= 50
