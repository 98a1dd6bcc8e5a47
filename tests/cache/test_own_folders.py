"""The cache touches only what it made: a folder shared with the user's files loses none of
them, whatever they are named; ``~`` in a cache path is the home folder; a path that is a
file is refused before any request (adv34 defects 5, 7, 8)."""

from __future__ import annotations

import re
import shutil
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe import cli
from mmframe.cache.manifest import SCHEMA_VERSION, slug
from mmframe.cache.store import Key, Store

ENDPOINT = "http://127.0.0.1:8080/rest/json"
JAN = pd.Timestamp("2025-01-01", tz="UTC")
FEB = pd.Timestamp("2025-02-01", tz="UTC")
#: A closed range of the demo seed, closed as of AS_OF.
START, END, AS_OF = "2025-11-01", "2026-01-01", "2026-03-01"
NEWS = ["news@example.com"]
#: What a user's own folder may hold: names the cache itself uses, and contents that look
#: like the cache's (a manifest, a lock, another tool's cache tag).
FILES = {
    "notes.txt": b"my notes",
    "manifest.json": b'{"schema_version": 1, "endpoint": "x", "entries": {}}',
    ".lock": b"",
    "CACHEDIR.TAG": b"Signature: 8a477f597d28d172789f06886806bc55\n# another tool's\n",
    "rows.parquet": b"not parquet",
}


def _key(account: str = "ops@example.com", start=JAN, end=FEB) -> Key:
    return Key(ENDPOINT, account, "suppressions", "", start, end)


def _table(n: int = 3) -> pa.Table:
    return pa.table({"email": [f"u{i}@example.com" for i in range(n)]})


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _plant(root: Path, places: list[str], files: list[str]) -> dict[str, bytes]:
    """The user's folders ``places`` (relative to ``root``), each holding ``files``."""
    for place in places:
        (root / place).mkdir(parents=True, exist_ok=True)
        for name in files:
            (root / place / name).write_bytes(FILES[name])
    return _snapshot(root)


def _the_stores_own(path: str) -> bool:
    """Whether ``path`` lies in the folder the store makes for ENDPOINT (its name is the
    store's: a folder of that exact name is taken for one it made)."""
    return path.startswith(f"v{SCHEMA_VERSION}/{slug(ENDPOINT)}")


_names = st.one_of(
    st.integers(0, 12).map(lambda n: f"v{n}"),
    st.sampled_from(["v", "v01", "V2", "cache", "data", slug("http://elsewhere:1/x")]),
    st.from_regex(r"[a-z0-9_-]{1,8}", fullmatch=True),
)
_places = st.lists(
    st.one_of(_names, st.tuples(_names, _names).map("/".join)), min_size=1, max_size=6
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(places=_places, files=st.lists(st.sampled_from(sorted(FILES)), min_size=1, unique=True))
def test_every_user_file_survives_reads_marks_and_clears(places, files):
    """Folders of any name, at the root or inside the store's version folder, holding what
    looks like a cache: every byte survives every operation, and nothing warns of them."""
    places = [p for p in places if not _the_stores_own(p)]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        mine = _plant(root, places, files)
        with warnings.catch_warnings():
            warnings.simplefilter("error", mm.CacheWarning)
            store = Store(root)
            assert store.get(_key()) is None
            store.put(_key(), _table())
            store.put(_key("news@example.com"), _table(2))
            assert store.get(_key()).equals(_table())
            assert len(store.info()) == 2
            store.mark_stale(ENDPOINT, "ops@example.com", "suppressions")
            assert store.clear("news@example.com") == 1
            store.put(_key(), _table())
            assert store.clear() == 1
            assert Store(root).clear() == 0
        after = _snapshot(root)
        assert {k: after.get(k) for k in mine} == mine


def test_a_shared_project_folder_keeps_the_users_files(demo_session, tmp_path):
    """The reviewer's case: ``cache=`` a project folder holding v0, v1, v2 folders and a
    manifest of the user's; a read, ``mm.cache.clear`` and ``mmframe cache clear``."""
    mine = _plant(tmp_path, ["", "data", "v0", "v1", "v2", "v1/mine", "v0/sub"], sorted(FILES))
    with warnings.catch_warnings():
        warnings.simplefilter("error", mm.CacheWarning)
        first = mm.read_suppressions(
            START, END, accounts=NEWS, session=demo_session, cache=tmp_path, as_of=AS_OF
        )
        assert first.attrs["cache"] == {"served": 0, "refetched": 2, "fresh": 0}
        assert mm.cache.clear(path=tmp_path) == 2
        again = mm.read_suppressions(
            START, END, accounts=NEWS, session=demo_session, cache=tmp_path, as_of=AS_OF
        )
        assert again.attrs["cache"] == {"served": 0, "refetched": 2, "fresh": 0}
        assert cli.main(["cache", "clear", "--path", str(tmp_path)]) == 0
    after = _snapshot(tmp_path)
    assert {k: after.get(k) for k in mine} == mine


def _other_version(root: Path, version: int) -> Path:
    """A cache as a store of schema ``version`` leaves it: this store's, renamed."""
    made = root / "made"
    Store(made).put(_key(), _table())
    other = root / f"v{version}"
    (made / f"v{SCHEMA_VERSION}").rename(other)
    made.rmdir()
    return other


def test_a_cache_of_another_version_is_warned_about_and_cleared_but_not_the_users_files(
    tmp_path,
):
    other = _other_version(tmp_path, SCHEMA_VERSION + 1)
    (other / "mine.txt").write_text("mine")
    store = Store(tmp_path)
    said = f"other mmframe cache schema versions \\(v{SCHEMA_VERSION + 1};"
    with pytest.warns(mm.CacheWarning, match=said):
        assert store.get(_key()) is None
    assert store.clear() == 0
    assert [p.name for p in other.iterdir()] == ["mine.txt"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", mm.CacheWarning)
        Store(tmp_path).info()  # nothing of another version's left to warn about


def test_a_cache_of_another_version_alone_is_removed_whole(tmp_path):
    other = _other_version(tmp_path, SCHEMA_VERSION - 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", mm.CacheWarning)  # it removes it: nothing to warn of
        assert Store(tmp_path).clear() == 0
    assert not other.exists()


def test_the_command_line_says_a_cache_of_another_version_in_one_line_and_clears_it(
    capsys, tmp_path
):
    # The reviewer of issue 34: `mmframe cache clear` printed Python's warning twice (with
    # the console script's `sys.exit(main())` line) telling to run `mmframe cache clear`,
    # then counted only this version's periods.
    older = _other_version(tmp_path, SCHEMA_VERSION - 1)
    Store(tmp_path).put(_key(), _table())
    path = ["--path", str(tmp_path)]
    assert cli.main(["cache", "info", *path]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"cache at {tmp_path}: 1 period of 1 account")
    said = f"warning: {tmp_path} holds caches of other mmframe cache schema versions"
    assert err.startswith(said) and err.count("\n") == 1, err
    assert cli.main(["cache", "clear", *path]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (
        f"removed 1 period from {tmp_path}, and the cache of mmframe cache schema "
        f"v{SCHEMA_VERSION - 1} (another version of mmframe's) there\n",
        "",
    )
    assert not older.exists()
    assert cli.main(["cache", "info", *path]) == 0
    assert capsys.readouterr() == (f"cache at {tmp_path}: empty\n", "")


def test_home_in_a_cache_path_is_the_home_folder(demo_session, tmp_path, monkeypatch):
    """``~`` in ``cache=``, ``MMFRAME_CACHE`` and ``mm.cache``'s ``path=``: the home folder,
    never a folder named ``~`` in the current one."""
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(cwd)
    options = {"accounts": NEWS, "as_of": AS_OF}
    mm.read_suppressions(START, END, session=demo_session, cache="~/given", **options)
    assert len(mm.cache.info("~/given")) == 2 and len(mm.cache.info(home / "given")) == 2
    monkeypatch.setenv("MMFRAME_CACHE", "~/env")
    with mm.Session(*demo_session.credentials()) as session:
        mm.read_suppressions(START, END, session=session, **options)
        assert len(mm.cache.info()) == 2 and len(mm.cache.info(home / "env")) == 2
        again = mm.read_suppressions(START, END, session=session, **options)
        assert again.attrs["cache"]["served"] == 2
    assert mm.cache.clear() == 2 and mm.cache.clear(path="~/given") == 2
    assert list(cwd.iterdir()) == []


def _sent(emulator) -> int:
    return sum(int(m["requests"]) for m in emulator.stats()["methods"].values())


@pytest.mark.parametrize("where", ["file", "file/below"])
def test_a_cache_path_that_is_a_file_is_refused_before_any_request(
    demo_emulator, tmp_path, where, monkeypatch
):
    (tmp_path / "file").write_text("not a cache")
    given = tmp_path / where
    before = _sent(demo_emulator)
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        said = re.escape(f"cache={given} ") + ".*is a file, not a folder"
        with pytest.raises(ValueError, match=said):
            mm.read_suppressions(START, END, accounts="all", session=session, cache=given)
        monkeypatch.setenv("MMFRAME_CACHE", str(given))
    with (
        mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session,
        pytest.raises(ValueError, match=r"the session's, or MMFRAME_CACHE.* is a file"),
    ):
        mm.read_bounces(START, END, accounts="all", session=session)
    assert _sent(demo_emulator) == before
    assert (tmp_path / "file").read_text() == "not a cache"


def test_a_folder_of_the_endpoints_name_without_the_tag_is_never_adopted(tmp_path):
    # The reviewer of issue 34 (t33_untagged.py): with the tag gone from an endpoint's
    # folder and a file of the user's put there, a read tagged the folder again, rewrote
    # its manifest and removed files in it, and the next clear() removed the user's file.
    store = Store(tmp_path)
    store.put(_key(), _table())
    folder = next((tmp_path / f"v{SCHEMA_VERSION}").iterdir())
    (folder / "CACHEDIR.TAG").unlink()
    (folder / "mine.txt").write_text("mine")
    before = _snapshot(tmp_path)
    later = Store(tmp_path)
    assert later.get(_key()) is None and later.info().empty  # never listed or served
    with pytest.warns(mm.CacheWarning, match=r"carries no CACHEDIR.TAG\): nothing is stored"):
        later.put(_key(), _table(5))
    later.put(_key("news@example.com"), _table(2))  # said once a store
    assert later.clear() == 0 and mm.cache.clear(path=tmp_path) == 0
    assert _snapshot(tmp_path) == before


def test_an_empty_folder_of_the_endpoints_name_is_the_stores(tmp_path):
    """A crash between making the folder and tagging it leaves it empty: taken."""
    store = Store(tmp_path)
    store.put(_key(), _table())
    folder = next((tmp_path / f"v{SCHEMA_VERSION}").iterdir())
    shutil.rmtree(folder)
    folder.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("error", mm.CacheWarning)
        store.put(_key(), _table(4))
        assert store.get(_key()).num_rows == 4


@pytest.mark.parametrize(
    ("tag", "said"),
    [
        (None, "it carries no CACHEDIR.TAG"),
        (
            "Signature: 8a477f597d28d172789f06886806bc55\n# another tool's\n",
            "its CACHEDIR.TAG is not mmframe's",
        ),
    ],
)
def test_an_untagged_folder_is_said_once_and_as_it_is(tmp_path, tag, said):
    # The reviewer of issue 34 (t46, t41): one warning a read, not once, and a folder
    # bearing another tool's tag was said to carry none.
    Store(tmp_path).put(_key(), _table())
    folder = next((tmp_path / f"v{SCHEMA_VERSION}").iterdir())
    (folder / "CACHEDIR.TAG").unlink()
    if tag is not None:
        (folder / "CACHEDIR.TAG").write_text(tag)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):  # each read makes its own store
            Store(tmp_path).put(_key(), _table(5))
    assert [str(w.message) for w in caught] == [
        f"{folder} is not a folder the cache made ({said}): nothing is stored in it, and "
        "nothing in it is served, changed or removed; move it away, or give cache= another "
        "folder"
    ]


def test_clearing_every_account_removes_only_what_the_cache_wrote(demo_session, tmp_path):
    # The reviewer of issue 34 (t41): clear() of every account emptied the endpoint's
    # folder whole, the user's files in it and in its account folders too; clear(account)
    # kept them. A crashed writer's temporary file is the cache's: it goes.
    first = mm.read_suppressions(
        START, END, accounts=NEWS, session=demo_session, cache=tmp_path, as_of=AS_OF
    )
    assert first.attrs["cache"] == {"served": 0, "refetched": 2, "fresh": 0}
    endpoint = next((tmp_path / f"v{SCHEMA_VERSION}").iterdir())
    held = next(endpoint.rglob("*.parquet"))
    places = [endpoint / NEWS[0], held.parent, endpoint / "mine"]
    its = _snapshot(tmp_path)
    _plant(tmp_path, [str(endpoint.relative_to(tmp_path))], ["notes.txt", "rows.parquet"])
    _plant(tmp_path, [str(p.relative_to(tmp_path)) for p in places], sorted(FILES))
    mine = {k: v for k, v in _snapshot(tmp_path).items() if k not in its}
    crashed = held.with_name(f".{held.name}.4242.0badcafe.tmp")
    crashed.write_bytes(b"half a file")
    assert mm.cache.clear(path=tmp_path) == 2
    after = _snapshot(tmp_path)
    assert {k: after.get(k) for k in mine} == mine
    assert not crashed.exists() and not list(endpoint.rglob("*_*_*.parquet"))
    assert mm.cache.info(tmp_path).empty
    again = mm.read_suppressions(
        START, END, accounts=NEWS, session=demo_session, cache=tmp_path, as_of=AS_OF
    )
    assert again.attrs["cache"] == {"served": 0, "refetched": 2, "fresh": 0}
    assert cli.main(["cache", "clear", "--path", str(tmp_path)]) == 0
    after = _snapshot(tmp_path)
    assert {k: after.get(k) for k in mine} == mine
