"""The cache's store: rows come back exactly as put, or not at all (issue 34).

What is damaged, missing or foreign is warned about and dropped, never served; processes
sharing a root see whole tables only; marking stale and clearing drop exactly what they
name; files are their owner's alone and hold no key.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe import atomic
from mmframe.cache.manifest import MANIFEST, SCHEMA_VERSION, slug
from mmframe.cache.store import INFO_COLUMNS, Key, Store

ENDPOINT = "http://127.0.0.1:8080/rest/json"
JAN = pd.Timestamp("2025-01-01", tz="UTC")
FEB = pd.Timestamp("2025-02-01", tz="UTC")
MAR = pd.Timestamp("2025-03-01", tz="UTC")


def _key(account="ops@example.com", kind="suppressions", filters="", start=JAN, end=FEB):
    return Key(ENDPOINT, account, kind, filters, start, end)


def _table(n=3):
    return pa.table(
        {
            "email": pa.array([f"u{i}@example.com" for i in range(n)], pa.large_string()),
            "at": pa.array(range(n), pa.timestamp("s", tz="UTC")),
        }
    )


def _files(root: Path, suffix: str) -> list[Path]:
    return sorted(p for p in root.rglob(f"*{suffix}") if p.is_file())


def _put_and_get(tmp_path, table: pa.Table) -> pa.Table:
    store = Store(tmp_path)
    store.put(_key(), table)
    got = store.get(_key())
    assert got is not None
    assert got.equals(table, check_metadata=True) and got.schema == table.schema
    assert store.held(_key()) == table.num_rows
    return got


@pytest.mark.parametrize("accounts", [None, "all"])
def test_a_suppression_frame_comes_back_equal(demo_session, tmp_path, accounts):
    frame = mm.read_suppressions(
        "2026-06-01", "2026-07-01", accounts=accounts, session=demo_session
    )
    assert len(frame)
    got = _put_and_get(tmp_path, pa.Table.from_pandas(frame, preserve_index=False))
    pd.testing.assert_frame_equal(got.to_pandas(), frame.reset_index(drop=True))


def test_a_report_with_xheader_columns_comes_back_equal_in_order(demo_session, tmp_path):
    frame = mm.read_bounces("2026-10-01", "2026-10-08", accounts="all", session=demo_session)
    assert {"x_campaign", "x_messageid"} <= set(frame.columns) and len(frame) > 100
    got = _put_and_get(tmp_path, pa.Table.from_pandas(frame, preserve_index=False))
    back = got.to_pandas()
    assert list(back.columns) == list(frame.columns)
    pd.testing.assert_frame_equal(back, frame.reset_index(drop=True))


def test_an_empty_table_comes_back_empty_with_its_schema(demo_session, tmp_path):
    frame = mm.read_bounces("2026-10-01", "2026-10-08", accounts="all", session=demo_session)
    empty = pa.Table.from_pandas(frame.iloc[:0], preserve_index=False)
    got = _put_and_get(tmp_path, empty)
    assert got.num_rows == 0 and got.column_names == list(frame.columns)
    # Parquet writes no dictionary without rows: the categories were lost.
    pd.testing.assert_frame_equal(got.to_pandas(), frame.iloc[:0].reset_index(drop=True))


def test_types_parquet_lacks_come_back_as_put(tmp_path):
    # Parquet has no timestamp[s]: it came back [ms], and a cached frame was not a fresh one.
    table = pa.table(
        {
            "at": pa.array([1, 2], pa.timestamp("s", tz="UTC")),
            "wait": pa.array([1, None], pa.duration("s")),
            "small": pa.array([1, 2], pa.uint8()),
            "kind": pa.array(["a", "b"]).dictionary_encode(),
        }
    ).replace_schema_metadata({b"note": b"kept"})
    _put_and_get(tmp_path, table)


def test_nothing_is_written_until_a_put(tmp_path):
    root = tmp_path / "cache"
    store = Store(root)
    assert store.held(_key()) is None and store.get(_key()) is None
    store.mark_stale(ENDPOINT, "ops@example.com", "suppressions")
    assert store.clear() == 0 and store.info().empty
    assert not root.exists()


def test_info_lists_each_period_with_its_size_and_time(tmp_path, monkeypatch):
    monkeypatch.setattr("mmframe.dates._clock", lambda: pd.Timestamp("2025-03-04 05:06", tz="UTC"))
    store = Store(tmp_path)
    store.put(_key(start=FEB, end=MAR), _table(2))
    store.put(_key(kind="bounces", filters="domain=example.com"), _table(5))
    info = store.info()
    assert tuple(info.columns) == INFO_COLUMNS
    assert list(info["kind"]) == ["bounces", "suppressions"]
    assert list(info["rows"]) == [5, 2] and info["rows"].dtype == "int64"
    assert list(info["filters"]) == ["domain=example.com", ""]
    assert (info["endpoint"] == ENDPOINT).all()
    assert list(info["start"]) == [JAN, FEB] and str(info["start"].dtype).endswith("UTC]")
    assert (info["written_at"] == pd.Timestamp("2025-03-04 05:06", tz="UTC")).all()
    sizes = sorted(p.stat().st_size for p in _files(tmp_path, ".parquet"))
    assert sorted(info["bytes"]) == sizes


def test_a_put_replaces_the_period_and_leaves_no_other_file(tmp_path):
    store = Store(tmp_path)
    store.put(_key(), _table(3))
    store.put(_key(), _table(7))
    assert store.get(_key()).equals(_table(7))
    assert len(_files(tmp_path, ".parquet")) == 1 and not _files(tmp_path, ".tmp")


def test_a_write_that_fails_leaves_the_last_good_file(tmp_path, monkeypatch):
    store = Store(tmp_path)
    store.put(_key(), _table(3))
    target = _files(tmp_path, ".parquet")[0]

    def crash(table, where, **kwargs):
        where.write(b"PAR1 half a file")
        raise OSError("disk full")

    # pyarrow.parquet's, as atomic.write_table imports it when it writes (not at import).
    monkeypatch.setattr("pyarrow.parquet.write_table", crash)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_table(_table(9), target, private=True)
    with pytest.raises(OSError, match="disk full"):
        store.put(_key(), _table(9))
    monkeypatch.undo()
    assert not _files(tmp_path, ".tmp")
    assert store.get(_key()).equals(_table(3))


def test_a_clear_by_another_process_during_a_put_does_not_fail_the_put(tmp_path, monkeypatch):
    from mmframe.cache import store as module

    store, made = Store(tmp_path), module.make_folders
    store.put(_key(start=FEB, end=MAR), _table(1))  # the endpoint's folder exists
    cleared = []

    def then_cleared(folder):
        made(folder)
        if not cleared:  # the other process empties the cache between mkdir and write
            cleared.append(Store(tmp_path).clear())

    monkeypatch.setattr(module, "make_folders", then_cleared)
    store.put(_key(), _table(4))
    assert cleared == [1]
    assert store.get(_key()).equals(_table(4)) and store.held(_key(start=FEB, end=MAR)) is None
    assert len(_files(tmp_path, ".parquet")) == 1


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0xFF  # same size: only the page checksum can tell
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("damage", "said"),
    [(_truncate, "bytes where"), (Path.unlink, "is missing"), (_flip, "cannot be read")],
)
def test_a_damaged_period_file_is_warned_about_dropped_and_never_served(tmp_path, damage, said):
    store = Store(tmp_path)
    store.put(_key(), _table(200))
    store.put(_key(start=FEB, end=MAR), _table(4))
    damage(_files(tmp_path, ".parquet")[0])
    with pytest.warns(mm.CacheWarning, match=said):
        assert store.get(_key()) is None
    assert store.held(_key()) is None  # dropped: the next read reads it again
    assert store.get(_key(start=FEB, end=MAR)).equals(_table(4))  # the others kept
    assert len(_files(tmp_path, ".parquet")) == 1
    store.put(_key(), _table(200))
    assert store.get(_key()).equals(_table(200))


def _manifest(root: Path) -> Path:
    return root / f"v{SCHEMA_VERSION}" / slug(ENDPOINT) / MANIFEST


def _edit(field: str, value):
    def edit(path: Path) -> None:
        body = json.loads(path.read_text())
        body[field] = value
        path.write_text(json.dumps(body))

    return edit


def _entry_field(name: str, value):
    def edit(path: Path) -> None:
        body = json.loads(path.read_text())
        for entry in body["entries"].values():
            entry[name] = value
        path.write_text(json.dumps(body))

    return edit


def _escape(path: Path) -> None:
    body = json.loads(path.read_text())
    for entry in body["entries"].values():
        entry["file"] = "../../../elsewhere.parquet"
    path.write_text(json.dumps(body))


@pytest.mark.parametrize(
    ("tamper", "said"),
    [
        (_edit("endpoint", "https://other.example/rest/json"), "another endpoint"),
        (_edit("schema_version", SCHEMA_VERSION - 1), "schema version"),
        (lambda p: p.write_text("{not json"), "cannot be read"),
        (lambda p: p.write_text("[]"), "not a cache manifest"),
        (_escape, "outside its folder"),
        (_entry_field("start", "last spring"), "not a time"),
        (_entry_field("account", 7), "not text"),
    ],
    ids=[
        "other endpoint",
        "other version",
        "not JSON",
        "a list",
        "a path out",
        "a bad time",
        "a number for a name",
    ],
)
def test_an_untrusted_manifest_is_warned_about_and_rebuilt(tmp_path, tamper, said):
    store = Store(tmp_path)
    store.put(_key(), _table(3))
    tamper(_manifest(tmp_path))
    with pytest.warns(mm.CacheWarning, match=said):
        assert store.get(_key()) is None
    assert not _files(tmp_path, ".parquet")  # what it described is gone, not trusted later
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # rebuilt: no second warning
        assert store.held(_key()) is None
        store.put(_key(), _table(5))
        assert store.get(_key()).equals(_table(5))
    assert json.loads(_manifest(tmp_path).read_text())["endpoint"] == ENDPOINT


# Caches of another schema version (tagged by the store that made them; an untagged v<N>
# folder is the user's and is left alone): tests/cache/test_own_folders.py.


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_files_are_the_owners_alone(tmp_path):
    root = tmp_path / "deep" / "cache"
    store = Store(root)
    store.put(_key(), _table())
    store.put(_key(account="news@example.com", kind="bounces"), _table())
    folders = [p for p in (root.parent, *root.rglob("*")) if p.is_dir()]
    files = [p for p in root.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {MANIFEST, ".lock"} and len(folders) > 6
    assert {oct(p.stat().st_mode & 0o777) for p in folders} == {"0o700"}
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o600"}


def test_the_endpoint_is_stored_scrubbed_and_no_key_reaches_a_file(tmp_path):
    secret = "5ecret0f0urKey"
    key = Key(
        f"HTTPS://user:{secret}@API.example.com:8443/rest/json/?apikey={secret}#{secret}",
        "ops@example.com", "suppressions", "", JAN, FEB,
    )  # fmt: skip
    assert key.endpoint == "https://api.example.com:8443/rest/json"
    assert secret not in repr(key)
    store = Store(tmp_path)
    store.put(key, _table())
    assert json.loads(_manifest_of(tmp_path).read_text())["endpoint"] == key.endpoint
    for path in tmp_path.rglob("*"):
        assert secret not in str(path)
        if path.is_file():
            assert secret.encode() not in path.read_bytes()
    assert list(store.info()["endpoint"]) == [key.endpoint]


def _manifest_of(root: Path) -> Path:
    (path,) = root.rglob(MANIFEST)
    return path


def test_a_key_is_utc_and_half_open():
    key = Key(ENDPOINT, "a", "bounces", "", pd.Timestamp("2025-01-01"), "2025-02-01T01:00+01:00")
    assert key.start == JAN and key.end == FEB
    with pytest.raises(ValueError, match="not after"):
        _key(start=FEB, end=FEB)
    with pytest.raises(ValueError, match="account"):
        _key(account="")
    assert _key().id != _key(filters="domain=x").id != _key(kind="bounces").id


# Two processes share one root: every get is None or exactly a table that was put.

KEYS = [_key(account=a, start=s, end=e) for a in ("a", "b") for s, e in ((JAN, FEB), (FEB, MAR))]


def _rows(writer: int, round_: int, index: int) -> pa.Table:
    n = 1 + (writer * 31 + round_ * 7 + index * 3) % 60
    return pa.table(
        {
            "writer": pa.array([writer] * n, pa.int16()),
            "round": pa.array([round_] * n, pa.int32()),
            "key": pa.array([index] * n, pa.int8()),
            "value": [f"{writer}-{round_}-{index}-{i}" for i in range(n)],
        }
    )


def _share(root: str, writer: int, rounds: int, go, results) -> None:
    """Put, get and mark stale over the same keys as the other process; report what broke."""
    warnings.simplefilter("error")  # a CacheWarning here would mean a race read as damage
    problems, seen = [], set()
    try:
        store = Store(root)
        go.wait(120)  # both imported and ready: their rounds overlap
        for round_ in range(rounds):
            index = (round_ + writer) % len(KEYS)
            store.put(KEYS[index], _rows(writer, round_, index))
            if round_ % 7 == writer:
                store.mark_stale(ENDPOINT, KEYS[index].account, "suppressions", JAN, FEB)
            for asked, key in enumerate(KEYS):
                got = store.get(key)
                if got is None:
                    continue
                who = (got["writer"][0].as_py(), got["round"][0].as_py(), got["key"][0].as_py())
                seen.add(who[0])
                if who[2] != asked or not got.equals(_rows(*who)):
                    problems.append(f"{key.account} {key.start:%m}: got {who}, {got.num_rows}")
    except Exception as exc:
        problems.append(repr(exc))
    results.put((writer, seen, problems))


@pytest.mark.slow
def test_two_processes_sharing_a_root_only_see_whole_tables(tmp_path):
    context = multiprocessing.get_context("spawn")
    go, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=_share, args=(str(tmp_path), w, 150, go, results)) for w in (0, 1)
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=240) for _ in workers]  # a deadline, no sleep
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert [problems for _w, _seen, problems in reports] == [[], []]
    assert [seen for _w, seen, _p in reports] == [{0, 1}, {0, 1}]  # each read the other's
    store = Store(tmp_path)
    held = store.info()
    assert len(held) == len(_files(tmp_path, ".parquet")) and not _files(tmp_path, ".tmp")
    for key in KEYS:
        got = store.get(key)
        assert got is None or got.equals(
            _rows(*(got[c][0].as_py() for c in ("writer", "round", "key")))
        )


# Marking stale and clearing drop exactly what they name.

ACCOUNTS = ("ops@example.com", "news@example.com", ".dot", "Zoë/%")
ENDPOINTS = (ENDPOINT, "https://api.example.com/rest/json")
MONTHS = pd.date_range("2024-01-01", periods=30, freq="MS", tz="UTC")

keys = st.builds(
    lambda endpoint, account, kind, filters, first, length: Key(
        endpoint, account, kind, filters, MONTHS[first], MONTHS[first + length]
    ),
    st.sampled_from(ENDPOINTS),
    st.sampled_from(ACCOUNTS),
    st.sampled_from(("suppressions", "bounces")),
    st.sampled_from(("", "domain=example.com")),
    st.integers(0, 24),
    st.integers(1, 4),
)
bounds = st.none() | st.datetimes(
    min_value=pd.Timestamp("2023-12-01").to_pydatetime(),
    max_value=pd.Timestamp("2026-08-01").to_pydatetime(),
).map(lambda d: pd.Timestamp(d, tz="UTC"))


def _held(store: Store) -> set[tuple]:
    info = store.info()
    return set(
        zip(
            info["endpoint"],
            info["account"],
            info["kind"],
            info["filters"],
            info["start"],
            info["end"],
            strict=True,
        )
    )


def _id(key: Key) -> tuple:
    return (key.endpoint, key.account, key.kind, key.filters, key.start, key.end)


def _touched(key: Key, endpoint, account, kind, start, end) -> bool:
    return (
        (key.endpoint, key.account, key.kind) == (endpoint, account, kind)
        and (start is None or key.end > start)
        and (end is None or key.start < end)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    held=st.lists(keys, max_size=8, unique_by=_id),
    stale=st.tuples(
        st.sampled_from(ENDPOINTS),
        st.sampled_from(ACCOUNTS),
        st.sampled_from(("suppressions", "bounces")),
        bounds,
        bounds,
    ),
    cleared=st.none() | st.sampled_from(ACCOUNTS),
)
def test_mark_stale_and_clear_drop_exactly_what_they_name(held, stale, cleared):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = Store(root)
        for n, key in enumerate(held):
            store.put(key, _table(n))
        assert _held(store) == {_id(k) for k in held}
        store.mark_stale(*stale)
        kept = [k for k in held if not _touched(k, *stale)]
        assert _held(store) == {_id(k) for k in kept}
        for key in kept:
            assert store.get(key).equals(_table(held.index(key)))
        assert len(_files(root, ".parquet")) == len(kept)
        removed = store.clear(cleared)
        assert removed == sum(cleared in (None, k.account) for k in kept)
        left = [k for k in kept if cleared not in (None, k.account)]
        assert _held(store) == {_id(k) for k in left}
        assert len(_files(root, ".parquet")) == len(left)
        assert os.listdir(root) == ([f"v{SCHEMA_VERSION}"] if held else [])
