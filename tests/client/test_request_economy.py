"""No wasted request: every loader sends the pages it needs (issue 12), pinned by the
emulator's statistics on the demo data. An ``accounts="all"`` read also reads the account
list, once: "all" is every account the master holds now (eighteenth review, W-18b)."""

from __future__ import annotations

import pytest

import mmframe as mm
from mmframe.addresses import MAX_QUERY_CHARS, batches

pytestmark = pytest.mark.clock  # reads today's date or the clock


@pytest.fixture
def fresh(demo_emulator):
    """The shared demo emulator (these tests only read) with its statistics reset, and a new
    session that has read the account directory already, as every test below assumes."""
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        session.account_keys()
        demo_emulator.reset_stats()
        yield demo_emulator, session


def _requests(emulator):
    return {k: v["requests"] for k, v in emulator.stats()["methods"].items()}


def test_accounts_take_one_page(fresh):
    emulator, session = fresh
    mm.read_accounts(session=session)
    assert _requests(emulator) == {"GET accounts": 1}


def test_senders_take_one_page_per_account(fresh):
    emulator, session = fresh
    frame = mm.read_senders(accounts="all", session=session)
    per_account = frame.groupby("account", observed=True).size()
    pages = sum(n // 25 + 1 for n in per_account)  # full pages, then the short one
    assert _requests(emulator) == {"GET accounts": 1, "GET senders": pages} and pages == 5


def test_suppressions_take_their_pages_and_two_counts(fresh):
    emulator, session = fresh
    frame = mm.read_suppressions("2026-01-01", "2026-07-01", accounts="all", session=session)
    per_account = frame.groupby("account", observed=True).size()
    pages = sum(n // 500 + 1 for n in per_account)
    expected = {"GET accounts": 1, "GET suppressions/count": 2 * 5, "GET suppressions": pages}
    assert _requests(emulator) == expected


def test_counts_take_one_request_per_chunk(fresh):
    emulator, session = fresh
    counts = mm.read_suppression_counts("2026-01-01", "2026-03-01", freq="W", session=session)
    assert _requests(emulator) == {"GET suppressions/count": len(counts)} and len(counts) == 9


def test_recipients_take_the_fewest_requests_the_url_limit_allows(fresh):
    emulator, session = fresh
    emails = [f"u{i}@example.com" for i in range(1500)]
    mm.read_recipients(emails, session=session)
    fewest = len(list(batches(emails, limit=1000, max_chars=MAX_QUERY_CHARS)))
    assert _requests(emulator) == {"GET recipients/status": fewest} and fewest == 5
