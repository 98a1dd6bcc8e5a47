"""Offset paging at the page edges (SPEC A4, A6)."""

from __future__ import annotations

import pytest

from mmframe.emulator.seed import MASTER

pytestmark = pytest.mark.clock  # reads today's date or the clock


def _suppress(api, count):
    addresses = [f"user{i:04d}@x.com" for i in range(count)]
    for chunk in range(0, count, 1000):
        api("POST", "suppressions", emailaddress=",".join(addresses[chunk : chunk + 1000]))
    return addresses


def _pages(api, method, key, size):
    rows, start = [], 0
    while True:
        page = api("GET", method, startindex=str(start))[1]["data"][key]
        rows += page
        if len(page) < size:
            return rows, start // size + 1
        start += size


@pytest.mark.parametrize("count", [0, 24, 25, 26])
def test_senders_pages_of_25(api, count):
    for i in range(count):
        api("POST", "senders", emailaddress=f"s{i}@x.com")
    rows, pages = _pages(api, "senders", "senders", 25)
    assert [r["emailaddress"] for r in rows] == [f"s{i}@x.com" for i in range(count)]
    assert pages == count // 25 + 1


@pytest.mark.parametrize("subs", [23, 24, 25])
def test_accounts_pages_of_25_master_included(api, subs):
    for i in range(subs):
        api("POST", "accounts", username=f"u{i}@x.com", password="p", companyname="c", phone="1")
    rows, _ = _pages(api, "accounts", "accounts", 25)
    assert len(rows) == subs + 1
    assert rows[0]["username"] == MASTER


@pytest.mark.parametrize("count", [0, 499, 500, 501])
def test_suppressions_pages_of_500(api, count):
    addresses = _suppress(api, count)
    rows, pages = _pages(api, "suppressions", "suppressions", 500)
    assert [r["emailaddress"] for r in rows] == addresses
    assert len({r["suppressionid"] for r in rows}) == count
    assert pages == count // 500 + 1
    assert api("GET", "suppressions/count")[1]["data"]["count"] == count


def test_past_the_end_is_empty(api):
    _suppress(api, 3)
    assert api("GET", "suppressions", startindex="3")[1]["data"]["suppressions"] == []
    assert api("GET", "suppressions", startindex="99999")[1]["data"]["suppressions"] == []


def test_order_is_time_then_id_after_removals(api):
    addresses = _suppress(api, 30)
    api("POST", "suppressions/activate", emailaddress=",".join(addresses[::3]))
    rows = api("GET", "suppressions")[1]["data"]["suppressions"]
    keys = [(r["suppresstime"], int(r["suppressionid"])) for r in rows]
    assert keys == sorted(keys)
    assert len(rows) == 20
    assert api("GET", "suppressions", startindex="10")[1]["data"]["suppressions"] == rows[10:]


def test_deep_page_within_one_second_is_a_seek(emulator):
    """Rows sharing a timestamp (a bounce storm) must not make a page scan them all."""
    from mmframe.emulator.models.accounts import Caller
    from mmframe.emulator.models.suppressions import SAME_SECOND

    store = emulator.backend.store
    with store.transaction() as db:
        emulator.backend.suppressions.insert(
            1,
            ((f"u{i:06d}@x.com", 1_700_000_000, "bounce") for i in range(20_000)),
            keep_existing=False,
        )
        plan = " ".join(
            row[3] for row in db.execute("EXPLAIN QUERY PLAN " + SAME_SECOND, (1, 0, 0, 1))
        )
    assert "t=? AND id>?" in plan and "TEMP" not in plan  # a seek on (t, id), in index order
    page = emulator.backend.suppressions.page(Caller(1, 1, "x"), None, None, 19_990)
    import json

    rows = json.loads(page.text)["suppressions"]
    assert [r["emailaddress"] for r in rows] == [f"u{i:06d}@x.com" for i in range(19_990, 20_000)]
