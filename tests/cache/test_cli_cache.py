"""``mmframe cache info|clear``: what the cache holds and removing it, in the command's words
(issue 34); one line a failure, as every command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import mmframe as mm
from mmframe import cli
from mmframe.cache.store import Key, Store

ENDPOINT = "http://127.0.0.1:8025/rest/json"
NOW = pd.Timestamp("2026-03-10 12:00", tz="UTC")


def _month(m: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp("2026-01-01", tz="UTC") + pd.DateOffset(months=m)
    return start, start + pd.DateOffset(months=1)


def _fill(root, monkeypatch) -> Store:
    """Three months of ops@'s suppressions written two days ago, one of news@'s bounces
    written now, and one month of news@'s suppressions."""
    store = Store(root)
    monkeypatch.setattr("mmframe.dates._clock", lambda: NOW - pd.Timedelta(days=2))
    for m in range(3):
        store.put(Key(ENDPOINT, "ops@example.com", "suppressions", "", *_month(m)), _rows(1000))
    monkeypatch.setattr("mmframe.dates._clock", lambda: NOW)
    store.put(Key(ENDPOINT, "news@example.com", "bounces", "domain=x", *_month(0)), _rows(5))
    store.put(Key(ENDPOINT, "news@example.com", "suppressions", "", *_month(1)), _rows(7))
    return store


def _rows(n: int) -> pa.Table:
    return pa.table({"email": [f"u{i}@example.com" for i in range(n)]})


def _run(capsys, argv, code=0) -> str:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    assert status == code, err
    return out if code == 0 else err


def test_info_lists_accounts_kinds_periods_size_and_age(capsys, tmp_path, monkeypatch):
    store = _fill(tmp_path, monkeypatch)
    out = _run(capsys, ["cache", "info", "--path", str(tmp_path)]).splitlines()
    size = store.info()["bytes"].sum() / 1000
    assert out[0] == f"cache at {tmp_path}: 5 periods of 2 accounts, {size:,.1f} kB"
    rows = {tuple(line.split()[1:4]): line for line in out[2:]}
    assert len(out) == 5 and set(rows) == {
        ("news@example.com", "bounces", "1"),
        ("news@example.com", "suppressions", "1"),
        ("ops@example.com", "suppressions", "3"),
    }
    ops = rows["ops@example.com", "suppressions", "3"]
    assert "2026-01-01 to 2026-04-01" in ops and " 3,000 " in ops and "2 days to 2 days" in ops
    assert "0 min to 0 min" in rows["news@example.com", "bounces", "1"]


def test_clear_one_account_then_all(capsys, tmp_path, monkeypatch):
    _fill(tmp_path, monkeypatch)
    argv = ["cache", "clear", "--path", str(tmp_path)]
    out = _run(capsys, [*argv, "--account", "ops@example.com"])
    assert out == f"removed 3 periods of ops@example.com from {tmp_path}\n"
    assert set(mm.cache.info(tmp_path)["account"]) == {"news@example.com"}
    assert _run(capsys, argv) == f"removed 2 periods from {tmp_path}\n"
    assert _run(capsys, ["cache", "info", "--path", str(tmp_path)]) == (
        f"cache at {tmp_path}: empty\n"
    )
    assert mm.cache.clear(path=tmp_path) == 0


def test_one_period_is_singular(capsys, tmp_path):
    Store(tmp_path).put(Key(ENDPOINT, "a@x.com", "suppressions", "", *_month(0)), _rows(1))
    out = _run(capsys, ["cache", "info", "--path", str(tmp_path)])
    assert out.startswith(f"cache at {tmp_path}: 1 period of 1 account, ")
    assert _run(capsys, ["cache", "clear", "--path", str(tmp_path)]).startswith("removed 1 period ")


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CACHE_HOME is Linux's")
def test_the_folder_is_mmframe_cache_else_the_per_user_one(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert mm.cache.default_root() == tmp_path / "xdg" / "mmframe"
    for switch in ("1", "true", "0", ""):
        monkeypatch.setenv("MMFRAME_CACHE", switch)
        assert (
            _run(capsys, ["cache", "info"]) == f"cache at {tmp_path / 'xdg' / 'mmframe'}: empty\n"
        )
    monkeypatch.setenv("MMFRAME_CACHE", str(tmp_path / "mine"))
    Store(tmp_path / "mine").put(Key(ENDPOINT, "a@x.com", "bounces", "", *_month(0)), _rows(2))
    assert _run(capsys, ["cache", "info"]).startswith(f"cache at {tmp_path / 'mine'}: 1 period")
    assert len(mm.cache.info()) == 1 and mm.cache.clear("a@x.com") == 1
    assert not (tmp_path / "xdg").exists()  # looking created nothing


@pytest.mark.parametrize("action", ["info", "clear"])
def test_a_path_that_is_a_file_is_one_line(capsys, tmp_path, action):
    (tmp_path / "file").write_text("not a cache")
    err = _run(capsys, ["cache", action, "--path", str(tmp_path / "file")], code=1)
    said = f"--path {tmp_path / 'file'} is a file, not a cache folder: give the cache's folder"
    assert err == f"error: {said}\n"
    assert (tmp_path / "file").read_text() == "not a cache"


@pytest.mark.parametrize(
    "argv",
    [
        ["cache"],
        ["cache", "purge"],
        ["cache", "clear", "--account", " "],
        ["cache", "clear", "--path", ""],  # `--path "$UNSET"`: not the current folder
        ["cache", "info", "--path", " "],
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    assert "usage: mmframe cache" in capsys.readouterr().err


def test_mm_cache_is_loaded_on_first_use_and_refuses_an_empty_account(tmp_path):
    assert mm.cache.info(tmp_path).columns.tolist()[:3] == ["endpoint", "account", "kind"]
    with pytest.raises(ValueError, match="no username"):
        mm.cache.clear("", path=tmp_path)


@pytest.mark.parametrize("accounts", [1, 400])  # one buffered line; more than a pipe's buffer
def test_a_reader_that_closes_the_pipe_early_ends_it_quietly(tmp_path, accounts):
    """``mmframe cache info | head -1``: the reader is gone before the command writes (its
    end of the pipe closed at once), whether the output is written at exit or on the way;
    the command ends as a process killed by SIGPIPE does, without a word."""
    store = Store(tmp_path)
    for n in range(accounts):
        store.put(Key(ENDPOINT, f"a{n}@example.com", "bounces", "", *_month(0)), _rows(1))
    root = Path(mm.__file__).parents[1]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "mmframe", "cache", "info", "--path", str(tmp_path)]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as run:
        run.stdout.close()  # before the interpreter has even started: every write meets it
        err = run.stderr.read()
        status = run.wait(timeout=120)
    assert (status, err) == (141, b"")


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CACHE_HOME is Linux's")
@pytest.mark.parametrize(
    ("value", "meant"),
    [
        *[(word, True) for word in ("1", "true", "TRUE", "True", " true ")],
        *[(word, None) for word in ("", " ", "0", "false", "FALSE")],
        # The reviewer of issue 34: yes/on/off/no were taken as switches, undocumented, so
        # folders of those names could not be chosen. Any word but the documented is a folder.
        *[(word, word) for word in ("yes", "on", "off", "no", "2", "./true")],
    ],
)
def test_mmframe_cache_takes_exactly_the_documented_words(tmp_path, monkeypatch, value, meant):
    monkeypatch.setenv("MMFRAME_CACHE", value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    with mm.Session(ENDPOINT, "k" * 32) as session:
        assert session.cache == meant
    folder = mm.cache.default_root() if meant in (True, None) else tmp_path / value
    assert mm.cache.info().empty and mm.cache.clear() == 0
    Store(folder).put(Key(ENDPOINT, "a@x.com", "bounces", "", *_month(0)), _rows(2))
    assert len(mm.cache.info()) == 1  # mm.cache looks where the reads' cache is
    guide = (Path(__file__).parents[2] / "docs" / "guide" / "cache.md").read_text("utf-8")
    assert "`1` or `true`,\n  in any case" in guide and "`0`, `false`, empty" in guide


@pytest.mark.parametrize("action", ["info", "clear"])
def test_a_path_under_a_file_is_one_line_too(capsys, tmp_path, monkeypatch, action):
    (tmp_path / "file").write_text("not a cache")
    under = tmp_path / "file" / "sub"
    err = _run(capsys, ["cache", action, "--path", str(under)], code=1)
    said = f"--path {under} lies under {tmp_path / 'file'}, which is a file, not a cache folder"
    assert err == f"error: {said}: give the cache's folder\n"
    monkeypatch.setenv("MMFRAME_CACHE", str(under))  # the same from the environment
    assert f"MMFRAME_CACHE={under} lies under" in _run(capsys, ["cache", action], code=1)
    assert (tmp_path / "file").read_text() == "not a cache"


@pytest.mark.parametrize("below", ["", "sub"])
def test_mm_cache_refuses_a_file_or_a_path_under_one(tmp_path, below):
    (tmp_path / "file").write_text("not a cache")
    given = tmp_path / "file" / below if below else tmp_path / "file"
    for look in (mm.cache.info, lambda path: mm.cache.clear(path=path)):
        with pytest.raises(ValueError, match=r"^path=.* is a file, not a cache folder"):
            look(given)
    assert (tmp_path / "file").read_text() == "not a cache"
