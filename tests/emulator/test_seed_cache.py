"""Seeded datasets kept on disk (``--seed-cache``): loading one kept gives exactly the data
seeding gives, with keys drawn anew; a file that cannot be read is seeded again; another
version's file is never read."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from mmframe.emulator import seed_cache
from mmframe.emulator.models import Backend
from mmframe.emulator.models.store import TABLES
from mmframe.emulator.seed import load_seed
from mmframe.emulator.server import Emulator


def _digest(backend: Backend, *, keys: bool = True) -> str:
    """Every row of the data tables, in order (the keys left out unless ``keys``)."""
    digest = hashlib.sha256()
    for table in TABLES:  # every table the emulator keeps
        names = [r[1] for r in backend.store.conn.execute(f"PRAGMA table_info({table})")]
        chosen = [n for n in names if keys or n != "apikey"]
        order = ", ".join(str(i + 1) for i in range(len(chosen)))  # some tables have no rowid
        rows = backend.store.conn.execute(
            f"SELECT {', '.join(chosen)} FROM {table} ORDER BY {order}"
        )
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _keys(backend: Backend) -> set[str]:
    return {r[0] for r in backend.store.conn.execute("SELECT apikey FROM accounts")}


@pytest.mark.slow
def test_a_kept_dataset_loads_as_seeding_gives_it_with_new_keys(tmp_path):
    seeded = Backend()
    load_seed(seeded, "demo", 0, fixed_keys=True)
    first = Backend()
    load_seed(first, "demo", 0, fixed_keys=True, kept=tmp_path)  # seeds, then keeps
    assert [p.name for p in tmp_path.glob("*.sqlite")] == [
        seed_cache.kept_at(tmp_path, "demo", 0).name
    ]
    again = Backend()
    load_seed(again, "demo", 0, fixed_keys=True, kept=tmp_path)  # loads what was kept
    assert _digest(first) == _digest(again) == _digest(seeded)
    drawn = Backend()
    load_seed(drawn, "demo", 0, kept=tmp_path)  # random keys, as a fresh seeding draws
    assert _digest(drawn, keys=False) == _digest(seeded, keys=False)
    assert not _keys(drawn) & _keys(seeded)
    # What the store derived from rows it held before is not kept: the list order reads
    # the loaded rows (an API read of the loaded data agrees with the seeded one).
    account = drawn.store.conn.execute("SELECT min(account_id) FROM suppressions").fetchone()[0]
    assert len(drawn.store.order(account)) == len(seeded.store.order(account)) > 0


@pytest.mark.parametrize("content", [b"not a database", b""], ids=["garbage", "empty"])
def test_a_file_that_cannot_be_read_is_said_and_seeded_again(tmp_path, content):
    # The 35th review, 2 and 3: an empty file crashed the emulator (no such table), and
    # a garbage one was seeded again without a word after "loading ... kept".
    kept = seed_cache.kept_at(tmp_path, "empty", 7)
    kept.write_bytes(content)
    backend = Backend()
    said = "it is empty" if not content else "file is not a database"
    with pytest.warns(RuntimeWarning, match=f"cannot be read \\({said}\\): seeding it again"):
        assert not seed_cache.restore(backend, tmp_path, "empty", 7)
    assert backend.store.conn.execute("SELECT count(*) FROM accounts").fetchone()[0] == 0
    load_seed(backend, "empty", 7)  # the tables are there to seed into
    assert backend.store.conn.execute("SELECT count(*) FROM accounts").fetchone()[0] == 1


@pytest.mark.parametrize("where", ["folder is a file", "path is a folder"])
def test_a_dataset_that_cannot_be_kept_is_said(tmp_path, where):
    # The 35th review, 4: "then keeping it in DIR", and nothing kept, without a word.
    small = Backend()
    load_seed(small, "empty", 0)
    folder = tmp_path / "seeds"
    if where == "folder is a file":
        folder.write_text("")
    else:
        seed_cache.kept_at(folder, "demo", 0).mkdir(parents=True)
    said = "is a file, not a folder" if where == "folder is a file" else "is a folder: remove it"
    with pytest.warns(RuntimeWarning, match=f"cannot be kept in .*{said}.*: the next start seeds"):
        seed_cache.keep(small, folder, "demo", 0)


def test_another_versions_file_is_replaced_not_read(tmp_path):
    small = Backend()
    load_seed(small, "empty", 0)
    # A dataset another version kept under the same seed: never read, and replaced once
    # this version keeps its own.
    older = tmp_path / "demo-0-0000000000000000.sqlite"
    older.write_bytes(b"")
    assert not seed_cache.restore(Backend(), tmp_path, "demo", 0)
    seed_cache.keep(small, tmp_path, "demo", 0)
    assert not older.exists()
    assert seed_cache.kept_at(tmp_path, "demo", 0).stat().st_mode & 0o077 == 0  # yours only


@pytest.mark.slow
def test_the_emulator_started_twice_seeds_once_and_serves_the_same_data(tmp_path):
    # The second start loads what the first kept: same rows, its own fresh master key,
    # and the kept file left as the first start wrote it (not seeded and kept again).
    kept = seed_cache.kept_at(tmp_path, "demo", 0)
    with Emulator("demo", seed_cache=tmp_path) as one:
        written = kept.stat().st_mtime_ns
        with Emulator("demo", seed_cache=tmp_path) as two:
            assert kept.stat().st_mtime_ns == written
            assert one.master_apikey != two.master_apikey
            assert _digest(one.backend, keys=False) == _digest(two.backend, keys=False)


@pytest.mark.slow
def test_the_command_line_says_whether_it_seeds_or_loads(tmp_path):
    def said(*options: str) -> str:
        command = [sys.executable, "-m", "mmframe.emulator", "--port", "0", "--stop-with-stdin"]
        with subprocess.Popen(
            [*command, *options], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        ) as child:  # fmt: skip
            assert child.stdout is not None and child.stderr is not None
            child.stdout.readline()  # serving
            first = child.stderr.readline()
            child.communicate("", timeout=60)
        return first.strip()

    kept = ("--seed", "demo", "--seed-cache", str(tmp_path))
    assert said(*kept) == (
        f"seeding the demo dataset (random seed 0), then keeping it in {tmp_path}; this "
        "takes seconds ..."
    )
    assert said(*kept) == f"loading the demo dataset (random seed 0) kept in {tmp_path} ..."
    # The empty dataset is never kept: nothing to gain.
    assert said("--seed", "empty", "--seed-cache", str(tmp_path / "e")).startswith("serving at")
    assert not (tmp_path / "e").exists()
