"""Streaming export to Parquet, resumed after a crash, read back by pandas and Dask."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import mmframe as mm
from tests.waiting import ManualClock, wait_for

pytestmark = pytest.mark.clock  # reads today's date or the clock

PAST = pd.Timestamp("2026-03-01", tz="UTC").timestamp()

START, END = "2026-01-01", "2026-04-01"
COLUMNS = ["account", "email", "domain", "suppressed_at", "reason", "suppression_id"]


def _canonical(frame):
    frame = frame[COLUMNS].astype({"account": str, "domain": str, "email": str, "reason": str})
    return frame.sort_values(["account", "suppression_id"], ignore_index=True)


@pytest.fixture(scope="module")
def exported(demo_emulator, tmp_path_factory):
    path = tmp_path_factory.mktemp("export")
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        manifest = mm.export_suppressions(path, START, END, accounts="all", session=session)
        expected = mm.read_suppressions(START, END, accounts="all", session=session)
    return path, manifest, expected


def test_layout_and_manifest(exported):
    path, manifest, expected = exported
    assert len(manifest) == 5 * 3 and manifest["status"].eq("complete").all()
    assert (manifest["rows"] == manifest["count"]).all()
    assert manifest["rows"].sum() == len(expected)
    assert (path / "account=news@example.com" / "month=2026-02" / "part-0.parquet").exists()
    on_disk = json.loads((path / "_manifest.json").read_text())
    assert on_disk["query"] == {
        "dataset": "suppressions",
        "start": "2026-01-01T00:00:00+00:00",
        "end": "2026-04-01T00:00:00+00:00",
        "freq": "MS",
    }
    assert [p["path"] for p in on_disk["partitions"]] == manifest["path"].tolist()
    assert not list(path.rglob("*.tmp"))


# dask's read_parquet still passes pandas' deprecated inplace= (not our code)
@pytest.mark.filterwarnings("ignore:The inplace keyword")
def test_pandas_and_dask_read_back_the_same_rows(exported):
    import dask.dataframe as dd

    path, _manifest, expected = exported
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(_canonical(back), _canonical(expected))
    lazy = dd.read_parquet(str(path)).compute()
    pd.testing.assert_frame_equal(_canonical(lazy), _canonical(expected))


def test_rerun_skips_complete_partitions(exported, demo_emulator):
    path, _manifest, _expected = exported
    before = demo_emulator.stats()["methods"].get("GET suppressions/count", {}).get("requests", 0)
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        again = mm.export_suppressions(path, START, END, accounts="all", session=session)
    after = demo_emulator.stats()["methods"]["GET suppressions/count"]["requests"]
    assert after == before and again["status"].eq("complete").all()


SCRIPT = """
import sys, mmframe as mm
url, key, out = sys.argv[1:4]
with mm.Session(url, key) as s:
    mm.export_suppressions(out, "2025-01-01", "2026-10-31", accounts="all", session=s,
                           progress=False)
"""


@pytest.mark.slow
def test_resume_after_a_killed_export(tmp_path, make_emulator):
    emulator = make_emulator("demo", latency_ms=30)
    out = tmp_path / "data"
    script = tmp_path / "export.py"
    script.write_text(textwrap.dedent(SCRIPT))
    args = [sys.executable, str(script), emulator.url, emulator.master_apikey, str(out)]
    manifest = out / "_manifest.json"

    def complete():
        if not manifest.exists():
            return 0
        return sum(
            p["status"] == "complete" for p in json.loads(manifest.read_text())["partitions"]
        )

    with subprocess.Popen(args) as writer:
        wait_for(lambda: complete() >= 8, timeout=120)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    done = complete()
    assert 8 <= done < 5 * 22
    emulator.configure(latency_ms=0)
    emulator.reset_stats()
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        final = mm.export_suppressions(
            out, "2025-01-01", "2026-10-31", accounts="all", session=session
        )
        expected = mm.read_suppressions("2025-01-01", "2026-10-31", accounts="all", session=session)
    assert final["status"].eq("complete").all() and len(final) == 5 * 22
    counted = emulator.stats()["methods"]["GET suppressions/count"]["requests"]
    # each redone partition and each of read_suppressions' five chunks: counted before and after
    assert counted == 2 * (5 * 22 - done + 5)
    pd.testing.assert_frame_equal(_canonical(pd.read_parquet(out)), _canonical(expected))


def test_cli_export(tmp_path, make_emulator):
    # The CLI runs in its own process with the machine's clock: the rows are stamped in the
    # past by a clock of the test's, so both agree they fall in the range, whatever the date.
    emulator = make_emulator("empty", clock=ManualClock(PAST))
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        session.post("suppressions", emailaddress=[f"c{i}@example.com" for i in range(50)])
    env = {**os.environ, "MMFRAME_URL": emulator.url, "MMFRAME_APIKEY": emulator.master_apikey}
    out = tmp_path / "cli"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mmframe.cli",
            "export",
            "suppressions",
            "--start",
            "2020-01-01",
            "--end",
            "2100-01-01",
            "--out",
            str(out),
            "--freq",
            "YS",
            "--no-progress",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "wrote 50 rows" in done.stdout and emulator.master_apikey not in done.stdout
    assert len(pd.read_parquet(out)) == 50
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "mmframe.cli",
            "export",
            "suppressions",
            "--start",
            "2020-01-01",
            "--end",
            "2019-01-01",
            "--out",
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "before" in bad.stderr  # a usage error (eleventh review, A5)


def test_export_needs_a_closed_range(session, tmp_path):
    with pytest.raises(ValueError, match="start and end"):
        mm.export_suppressions(tmp_path, None, "2026-01-01", session=session)


def test_import_without_dask():
    code = "import sys; sys.modules['dask'] = None; import mmframe; print(mmframe.read_accounts)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def _on_disk(path):
    return pd.read_parquet(path) if any(path.rglob("*.parquet")) else pd.DataFrame()


def test_a_wider_rerun_redoes_partitions_whose_bounds_differ(demo_emulator, tmp_path):
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        mm.export_suppressions(tmp_path, "2026-01-15", "2026-02-15", session=session)
        wide = mm.export_suppressions(tmp_path, "2026-01-01", "2026-03-01", session=session)
        truth = mm.read_suppressions("2026-01-01", "2026-03-01", session=session)
    assert wide["status"].eq("complete").all() and (wide["rows"] == wide["count"]).all()
    assert wide["start"].tolist() == ["2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00"]
    back = _on_disk(tmp_path)
    assert len(back) == len(truth) == wide["rows"].sum()
    assert set(back["suppression_id"]) == set(truth["suppression_id"])


def test_a_narrower_or_other_query_leaves_no_stale_rows(demo_emulator, tmp_path):
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        mm.export_suppressions(tmp_path, "2026-01-01", "2026-04-01", session=session)
        weekly = mm.export_suppressions(
            tmp_path, "2026-01-01", "2026-02-01", freq="W", session=session
        )
        truth = mm.read_suppressions("2026-01-01", "2026-02-01", session=session)
    assert len(_on_disk(tmp_path)) == len(truth) == weekly["rows"].sum()
    assert not list(tmp_path.rglob("month=*"))


def test_an_export_reaching_now_is_redone_when_the_month_moves_on(demo_emulator, tmp_path):
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        first = mm.export_suppressions(
            tmp_path, "2026-09-01", "2026-11-01", session=session, as_of="2026-10-20"
        )
        assert first["read_end"].tolist()[-1] == "2026-10-20T00:00:00+00:00"
        later = mm.export_suppressions(
            tmp_path, "2026-09-01", "2026-11-01", session=session, as_of="2026-11-20"
        )
        truth = mm.read_suppressions("2026-09-01", "2026-11-01", session=session)
    assert later["read_end"].tolist() == later["end"].tolist()
    assert len(_on_disk(tmp_path)) == len(truth)


def test_the_default_account_is_named_by_its_username(demo_emulator, tmp_path):
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as fresh:
        assert fresh.username is None
        mm.export_suppressions(tmp_path, "2026-01-01", "2026-02-01", session=fresh)
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as known:
        mm.read_accounts(session=known)
        again = mm.export_suppressions(tmp_path, "2026-01-01", "2026-02-01", session=known)
    assert again["account"].tolist() == ["admin@example.com"]
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == ["account=admin@example.com"]


def _events_canonical(frame):
    frame = frame.astype({"account": str, "bounce_type": str})
    return frame.sort_values(["account", "bounced_at", "email"], ignore_index=True)


def test_reports_export_resume_and_rebind(demo_emulator, tmp_path):
    count = "GET reports/bounces/count"
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        manifest = mm.export_events(
            tmp_path, "bounces", "2026-05-01", "2026-07-01", accounts="all", session=session
        )
        truth = mm.read_bounces("2026-05-01", "2026-07-01", accounts="all", session=session)
        assert len(manifest) == 10 and manifest["status"].eq("complete").all()
        assert (manifest["rows"] == manifest["count"]).all() and manifest["rows"].sum() == len(
            truth
        )
        back = pd.read_parquet(tmp_path)
        assert {"x_campaign", "x_messageid", "message"} <= set(back.columns)
        pd.testing.assert_frame_equal(
            _events_canonical(back[truth.columns]), _events_canonical(truth), check_dtype=False
        )
        before = demo_emulator.stats()["methods"][count]["requests"]
        again = mm.export_events(
            tmp_path, "bounces", "2026-05-01", "2026-07-01", accounts="all", session=session
        )
        assert demo_emulator.stats()["methods"][count]["requests"] == before
        assert again["status"].eq("complete").all()
        # Another filter is another query: every partition is read again, none kept stale.
        yahoo = mm.export_events(
            tmp_path, "bounces", "2026-05-01", "2026-07-01", accounts="all",
            domain="yahoo.com", session=session,
        )  # fmt: skip
        assert demo_emulator.stats()["methods"][count]["requests"] > before
        assert set(pd.read_parquet(tmp_path)["domain"]) == {"yahoo.com"}
        assert len(pd.read_parquet(tmp_path)) == yahoo["rows"].sum()
        on_disk = json.loads((tmp_path / "_manifest.json").read_text())
        assert on_disk["query"]["dataset"].startswith("events:bounces?")
        assert '"domain": "yahoo.com"' in on_disk["query"]["dataset"]
