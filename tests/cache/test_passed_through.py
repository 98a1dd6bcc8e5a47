"""``cache=`` reaches every reader that reads lists: exports and Dask partitions serve
closed months from the cache and equal what they give without it; counts always ask."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from tests.cache.history import (
    FIRST,
    NOW,
    fill,
    requests,
    server,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.clock
COUNT, LIST = "GET suppressions/count", "GET suppressions"


@pytest.fixture
def reader(server, tmp_path):  # noqa: F811
    emulator, _clock = server
    fill(server, 800)
    with mm.Session(emulator.url, emulator.master_apikey, cache=tmp_path / "c") as session:
        yield emulator, session


def _parquet(folder) -> pd.DataFrame:
    return pd.read_parquet(folder).sort_values("suppression_id", ignore_index=True)


def test_an_export_serves_closed_months_from_the_cache(reader, tmp_path):
    emulator, session = reader
    end = pd.Timestamp("2026-06-01", tz="UTC")
    mm.read_suppressions(FIRST, end, session=session, as_of=NOW)
    requests(emulator)
    manifest = mm.export_suppressions(tmp_path / "out", FIRST, end, session=session, as_of=NOW)
    sent = requests(emulator)
    assert (manifest["status"] == "complete").all() and len(manifest) == 8
    assert sent == {COUNT: 8}  # one count a month, no page
    plain = mm.export_suppressions(tmp_path / "plain", FIRST, end, session=session,
                                   as_of=NOW, cache=False)  # fmt: skip
    pd.testing.assert_frame_equal(_parquet(tmp_path / "out"), _parquet(tmp_path / "plain"))
    assert manifest["rows"].tolist() == plain["rows"].tolist()


def test_counts_always_ask_the_server(reader):
    emulator, session = reader
    for _ in range(2):
        counted = mm.count_suppressions(FIRST, "2026-06-01", session=session)
        assert requests(emulator).get(COUNT) == 1
    assert int(counted.sum()) == len(mm.read_suppressions(FIRST, "2026-06-01", session=session))


def test_dask_partitions_serve_closed_months(reader):
    pytest.importorskip("dask")
    from mmframe import dask as mmdask

    emulator, session = reader
    end = pd.Timestamp("2026-06-01", tz="UTC")
    fresh = mm.read_suppressions(FIRST, end, session=session, cache=False)
    mm.read_suppressions(FIRST, end, session=session)
    requests(emulator)
    lazy = mmdask.read_suppressions(FIRST, end, session=session, as_of=NOW)
    computed = lazy.compute(scheduler="sync").reset_index(drop=True)
    assert requests(emulator).get(LIST, 0) == 0
    pd.testing.assert_frame_equal(computed, fresh.reset_index(drop=True))


@pytest.mark.slow
def test_a_reports_second_run_reads_its_lists_closed_months_from_the_cache(reader, tmp_path):
    emulator, session = reader
    pages = []
    for run in range(2):
        requests(emulator)
        path = mm.report(FIRST, "2026-06-01", out=tmp_path / f"r{run}", session=session,
                         as_of=NOW, progress=False, cache=tmp_path / "rc")  # fmt: skip
        sent = requests(emulator)
        pages.append(sent.get("GET reports/bounces", 0))
        assert path.exists()
    assert pages[0] > 0 and pages[1] == 0, pages


def test_the_cli_takes_cache(reader, tmp_path, capsys):
    from mmframe.cli import main

    emulator, _session = reader
    args = ["export", "suppressions", "--start", "2025-10-01", "--end", "2026-06-01",
            "--url", emulator.url, "--apikey", emulator.master_apikey, "--no-progress",
            "--as-of", str(NOW)]  # fmt: skip
    for out in ("a", "b"):
        assert main([*args, "--out", str(tmp_path / out), "--cache", str(tmp_path / "cc")]) == 0
    assert any((tmp_path / "cc").rglob("*.parquet"))
    assert emulator.master_apikey not in capsys.readouterr().out
