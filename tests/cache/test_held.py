"""A cached read's held periods: suppressions kept as the frame's own Arrow columns, their
files read while the read's requests go on, and a file found damaged only then read again
from the server (see mmframe.cache.held)."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe import page_parsing, schema
from mmframe.atomic import read_table, write_table
from mmframe.cache import store
from tests.cache.history import (
    CLOSED,
    FIRST,
    NOW,
    fill,
    same,
    server,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.clock


@pytest.fixture
def sessions(server, tmp_path):  # noqa: F811
    """(a session reading through a cache, one reading without, the cache's folder), the
    history filled in and read once through the cache."""
    emulator, _clock = server
    fill(server, 1500)
    root = tmp_path / "cache"
    with (
        mm.Session(emulator.url, emulator.master_apikey, cache=root) as reader,
        mm.Session(emulator.url, emulator.master_apikey) as writer,
    ):
        mm.read_suppressions(FIRST, session=reader, as_of=NOW)
        yield reader, writer, root


def test_suppressions_are_held_as_the_frames_own_columns(sessions):
    """What a cached read makes its frame of without converting a column again."""
    _reader, _writer, root = sessions
    files = sorted(root.rglob("*.parquet"))
    assert len(files) == CLOSED
    assert all(pq.read_schema(f).equals(schema.SUPPRESSION_COLUMNS) for f in files)


def test_held_files_are_read_while_the_requests_go_on(sessions, monkeypatch):
    """Each held file waits here until the read has sent a count: read before its first
    request (as the files once were), the read would never send one."""
    reader, writer, _root = sessions
    counted = threading.Event()
    call, load = mm.Session.call, store._load

    def counting(self: mm.Session, verb: str, method: str, *args: Any, **kwargs: Any) -> Any:
        if method == "suppressions/count":
            counted.set()
        return call(self, verb, method, *args, **kwargs)

    def waiting(*args: Any) -> Any:
        assert counted.wait(timeout=10), "a held file was read before the read's first count"
        return load(*args)

    monkeypatch.setattr(mm.Session, "call", counting)
    monkeypatch.setattr(store, "_load", waiting)
    cached = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    assert cached.attrs["cache"] == {"served": CLOSED, "refetched": 0, "fresh": 1}
    same(cached, mm.read_suppressions(FIRST, session=writer, as_of=NOW))


def test_a_held_file_found_damaged_in_the_read_is_read_again_from_the_server(sessions):
    """Same size, a byte flipped: only reading the file (its page checksums) tells, once
    the read's requests are out; its month is then read with the rest counted again."""
    reader, writer, root = sessions
    damaged = sorted(root.rglob("*.parquet"))[3]
    data = bytearray(damaged.read_bytes())
    data[len(data) // 3] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.warns(mm.CacheWarning, match="cannot be read"):
        cached = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
    same(cached, mm.read_suppressions(FIRST, session=writer, as_of=NOW))
    assert cached.attrs["cache"] == {"served": CLOSED - 1, "refetched": 1, "fresh": 1}
    again = mm.read_suppressions(FIRST, session=reader, as_of=NOW)  # held again, whole
    assert again.attrs["cache"] == {"served": CLOSED, "refetched": 0, "fresh": 1}
    same(again, cached)


REASONS = st.sampled_from([None, *schema.REASON.categories])
ROWS = st.tuples(
    st.one_of(st.none(), st.text(st.characters(exclude_categories=["Cs"]), max_size=12)),
    st.one_of(st.none(), st.integers(0, 2**33)),  # seconds since 1970
    st.one_of(st.none(), st.integers(-(2**62), 2**62)),
    REASONS,
)


def _page(rows: list[tuple[Any, ...]], domains: bool) -> pa.Table:
    """A page's columns (``page_parsing.COLUMNS``); its domains left to the frame unless
    ``domains``."""
    emails, times, ids, reasons = (list(c) for c in zip(*rows, strict=True)) if rows else [[]] * 4
    domain = pa.nulls(len(rows), pa.string())
    if domains and None not in emails:
        domain = pa.array([e.rpartition("@")[2].lower() for e in emails], pa.string())
    return pa.Table.from_arrays(
        [
            pa.array(emails, pa.string()),
            pa.array(times, pa.int64()).cast(pa.timestamp("s", tz="UTC")),
            pa.array([None if i is None else str(i) for i in ids], pa.string()),
            pa.array(reasons, pa.string()),
            domain,
        ],
        schema=page_parsing.COLUMNS,
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(ROWS, max_size=6), st.booleans(), st.booleans()), max_size=5))
def test_held_columns_make_the_frame_their_pages_make(chunks):
    """Any mix of chunks held (as the frame's columns, through the cache's file) and read
    (page columns) makes the frame their pages make together."""
    pages = [_page(rows, domains) for rows, domains, _held in chunks]
    want = schema.suppressions(pa.concat_tables([page_parsing.empty(), *pages]))
    with tempfile.TemporaryDirectory() as folder:
        mixed = []
        for i, (page, (_rows, _domains, held)) in enumerate(zip(pages, chunks, strict=True)):
            if held:
                path = Path(folder) / f"{i}.parquet"
                write_table(schema.suppression_columns(page), path, fast_reads=True)
                page = read_table(path)
            mixed.append(page)
        got = schema.suppressions(schema.suppression_rows(mixed))
    pd.testing.assert_frame_equal(got, want)
    got.loc[:, "suppression_id"] = 1  # a frame of its own: pandas may change it in place
