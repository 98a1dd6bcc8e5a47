"""A read fetches each page in its own task and parses them a few at a time, in one call
(issue 32: a parse per page cost a 1M-row read more than its requests; runs of pages fetched
in turn by one task left workers idle at the end). The frame is the same as page by page,
and an odd page in a batch is read alone, the one road that names it."""

from __future__ import annotations

import io
import threading
import urllib.parse

import pandas as pd
import pytest
import urllib3
from hypothesis import given
from hypothesis import strategies as st
from requests.adapters import HTTPAdapter

import mmframe as mm
from mmframe import page_runs
from mmframe.emulator import Emulator
from mmframe.page_runs import GROUP, Batches
from tests.waiting import wait_for

ROWS = 20_000  # 41 pages: five batches and a last one


def _fill(emulator: Emulator) -> None:
    store = emulator.backend.store
    with store.transaction() as db:
        master = db.execute("SELECT id FROM accounts").fetchone()[0]
    rows = [(f"r{i:06d}@Example.com", 1_700_000_000 + 30 * i, "bounce") for i in range(ROWS)]
    with store.transaction():
        emulator.backend.suppressions.insert(master, rows, keep_existing=False)
    store.forget_order(master)


@pytest.fixture(scope="module")
def listed():
    with Emulator("empty", port=0) as emulator:
        _fill(emulator)
        yield emulator


def test_pages_read_in_batches_are_the_frame_read_page_by_page(listed, monkeypatch):
    with mm.Session(listed.url, listed.master_apikey, max_workers=2) as session:
        got = mm.read_suppressions(None, "2030-01-01", session=session)
        monkeypatch.setattr(page_runs, "GROUP", 1)  # each page parsed alone
        want = mm.read_suppressions(None, "2030-01-01", session=session)
    pd.testing.assert_frame_equal(got, want)
    assert len(got) == ROWS and got["email"].is_unique
    assert (got["domain"] == "example.com").all()


class OnePageBroken(HTTPAdapter):
    """Serves the page at ``startindex`` with ``body`` instead of what the server sent."""

    def __init__(self, startindex: int, body: bytes) -> None:
        super().__init__(pool_maxsize=8)
        self.startindex, self.body = str(startindex), body

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request.url).query))
        if "/suppressions?" not in request.url or query.get("startindex") != self.startindex:
            return super().send(request, **kwargs)
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(self.body),
            preload_content=False,
            status=200,
            headers={"content-type": "application/json", "content-length": str(len(self.body))},
        )
        return self.build_response(request, raw)


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b"<html><body>502 Bad Gateway</body></html>", "JSON"),
        (
            b'{"response": {"status": 200, "message": "", "data": {"suppressions": '
            b'[{"emailaddress": "a@b.com", "suppresstime": "2026-01-01T00:00:00+00:00", '
            b'"suppressionid": "1", "reasontype": "volcano"}]}}}',
            "reasontype",
        ),
    ],
)
def test_an_odd_page_in_a_group_is_read_alone_and_named(listed, body, named):
    with mm.Session(listed.url, listed.master_apikey, max_workers=2, retries=0) as session:
        session.transport.http.mount("http://", OnePageBroken(3_500, body))
        with pytest.raises(mm.MalformedAnswer) as caught:
            mm.read_suppressions(None, "2030-01-01", session=session)
    assert named in str(caught.value)


@pytest.mark.parametrize("kind", ["sent", "opens"])
def test_report_pages_read_in_batches_are_the_frame_read_page_by_page(
    demo_emulator, kind, monkeypatch
):
    key = demo_emulator.master_apikey
    with mm.Session(demo_emulator.url, key, max_workers=2) as session:
        got = mm.read_events(kind, "2026-01-01", "2026-12-01", session=session)
        monkeypatch.setattr(page_runs, "GROUP", 1)
        want = mm.read_events(kind, "2026-01-01", "2026-12-01", session=session)
    pd.testing.assert_frame_equal(got, want)
    assert len(got) > 10_000


@given(
    sizes=st.lists(st.integers(1, 60), min_size=1, max_size=8),
    data=st.data(),
)
def test_batches_hand_out_every_page_once_and_leave_none_waiting(sizes, data):
    """Pages of several chunks added in any order (some read alone instead: None): each
    page is handed out once, with its own chunk's, at most GROUP at a time, and once every
    page of a chunk is in, none of it still waits to be parsed."""
    told: list[int] = []
    batches = Batches(dict(enumerate(sizes)), lambda: told.append(len(told)))
    order = data.draw(
        st.permutations([(i, n) for i, size in enumerate(sizes) for n in range(size)])
    )
    alone = data.draw(st.sets(st.sampled_from(order), max_size=len(order) // 3))
    handed: dict[int, list[int]] = {i: [] for i in range(len(sizes))}
    added: dict[int, int] = dict.fromkeys(range(len(sizes)), 0)
    for step, (i, n) in enumerate(order):
        batch = batches.add(i, None if (i, n) in alone else (n, b"", 1))
        added[i] += 1
        assert told == ([0] if step == len(order) - 1 else [])  # once, with the last page
        assert len(batch) <= GROUP
        handed[i] += [number for number, _raw, _sent in batch]
        if added[i] == sizes[i]:  # the chunk's last page: nothing of it left waiting
            assert sorted(handed[i]) == sorted(
                m for j, m in order if j == i and (j, m) not in alone
            )
    assert all(len(numbers) == len(set(numbers)) for numbers in handed.values())


def test_the_closing_count_goes_out_before_the_last_pages_are_parsed(listed, monkeypatch):
    """The count that closes a read is sent once the last page is in, while the last batch
    is still to be parsed, not after (issue 32: a round trip off every read); the frame is
    still the list, each row once."""
    parse, made = page_runs._parsed, Batches.__init__
    last = threading.local()  # set in the worker that fetched the read's last page

    def told(self, pages, all_in=None):  # type: ignore[no-untyped-def]
        def mark() -> None:
            last.page = True
            all_in()

        made(self, pages, mark)

    def counts() -> int:
        tally = listed.stats()["methods"].get("GET suppressions/count", {})
        return int(tally.get("requests", 0))

    def slowly(chunk, batch):  # type: ignore[no-untyped-def]
        if getattr(last, "page", False):  # the last batch: its count must be out already
            # TimeoutError here: the closing count waited for this parse
            wait_for(lambda: counts() >= 2, every=0.005)
            assert counts() == 2
        return parse(chunk, batch)

    monkeypatch.setattr(Batches, "__init__", told)
    monkeypatch.setattr(page_runs, "_parsed", slowly)
    listed.reset_stats()
    with mm.Session(listed.url, listed.master_apikey) as session:
        frame = mm.read_suppressions(None, "2024-01-01", session=session, progress=False)
    assert len(frame) == ROWS and frame["email"].is_unique
    assert counts() == 2  # the count before and the one that closed the read: no other
