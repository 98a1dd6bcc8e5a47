"""A large read fetches a few pages in turn per task and parses them in one call (issue
32: a parse per page cost a 1M-row read more than its requests). The frame is the same as
page by page, and an odd page in a group is read alone, the one road that names it."""

from __future__ import annotations

import io
import urllib.parse

import pandas as pd
import pytest
import urllib3
from hypothesis import given
from hypothesis import strategies as st
from requests.adapters import HTTPAdapter

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.page_runs import GROUP, split_groups

ROWS = 20_000  # 40 pages: 2 workers fetch them 5 in turn


def _fill(emulator: Emulator) -> None:
    store = emulator.backend.store
    with store.transaction() as db:
        master = db.execute("SELECT id FROM accounts").fetchone()[0]
    rows = [(f"r{i:06d}@Example.com", 1_700_000_000 + 30 * i, "bounce") for i in range(ROWS)]
    with store.transaction():
        emulator.backend.suppressions.insert(master, rows, keep_existing=False)
    store.forget_order(master)


def _longest_run(pages: int, workers: int) -> int:
    return max(len(run) for _, run in split_groups({0: list(range(pages))}, workers))


@pytest.fixture(scope="module")
def listed():
    with Emulator("empty", port=0) as emulator:
        _fill(emulator)
        yield emulator


def test_pages_read_in_groups_are_the_frame_read_page_by_page(listed):
    assert _longest_run(ROWS // 500 + 1, 2) > 1 and _longest_run(ROWS // 500 + 1, 64) == 1
    with mm.Session(listed.url, listed.master_apikey, max_workers=2) as grouped:
        got = mm.read_suppressions(None, "2030-01-01", session=grouped)
    with mm.Session(listed.url, listed.master_apikey, max_workers=64) as alone:
        want = mm.read_suppressions(None, "2030-01-01", session=alone)
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
def test_report_pages_read_in_groups_are_the_frame_read_page_by_page(demo_emulator, kind):
    key = demo_emulator.master_apikey
    with mm.Session(demo_emulator.url, key, max_workers=2) as grouped:
        got = mm.read_events(kind, "2026-01-01", "2026-12-01", session=grouped)
    with mm.Session(demo_emulator.url, key, max_workers=64) as alone:
        want = mm.read_events(kind, "2026-01-01", "2026-12-01", session=alone)
    assert _longest_run(len(got) // 500 + 1, 2) > 1
    pd.testing.assert_frame_equal(got, want)
    assert len(got) > 10_000


@given(
    sizes=st.lists(st.integers(0, 400), min_size=1, max_size=12),
    workers=st.integers(1, 64),
)
def test_runs_hold_every_page_once_in_order_and_share_the_workers_alike(sizes, workers):
    """The runs a read's tasks take: each page once, in order, within its chunk; at most
    GROUP pages; a chunk's runs alike (one page apart at most); a lone chunk read in whole
    rounds of the workers, so that none waits idle for a last few long runs."""
    pages = {i: list(range(n)) for i, n in enumerate(sizes) if n}
    runs = split_groups(pages, workers)
    for i, numbers in pages.items():
        mine = [run for chunk, run in runs if chunk == i]
        assert [n for run in mine for n in run] == numbers
        lengths = {len(run) for run in mine}
        assert max(lengths) <= GROUP and max(lengths) - min(lengths) <= 1
    if len(pages) == 1 and max(len(run) for _, run in runs) > 1:
        assert len(runs) % workers == 0
