"""Histories that are odd or hostile: each is refused with a ``ReplayError`` naming what is
wrong, before anything is written; over HTTP a 400, from the command line exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import requests

import mmframe as mm
from mmframe.emulator.replay import ReplayError
from tests.replay.histories import SUB, small, text, when


def _state(emulator) -> list[str]:
    with emulator.backend.store.lock:
        return list(emulator.backend.store.conn.iterdump())


def _suppressions(**changes) -> pd.DataFrame:
    frame = small()["suppressions"].iloc[:1].reset_index(drop=True)
    return frame.assign(**changes)


# --- ids --------------------------------------------------------------------------------


@pytest.mark.clock
@pytest.mark.parametrize("given", [2**39 + 1, 2**40, 2**53 + 1, 2**63 - 1, 0, -5])
def test_an_id_the_emulator_cannot_serve_is_refused(make_emulator, given):
    emulator = make_emulator("empty")
    before = _state(emulator)
    sup = _suppressions(suppression_id=pd.array([given], dtype="Int64"))
    with pytest.raises(ReplayError, match=r"suppression_id.*row 0"):
        emulator.replay(suppressions=sup)
    assert _state(emulator) == before


@pytest.mark.clock
def test_the_largest_id_allowed_is_served_and_leaves_room_for_more(make_emulator):
    emulator = make_emulator("empty")
    sup = _suppressions(suppression_id=pd.array([2**39], dtype="Int64"))
    emulator.replay(suppressions=sup)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        session.for_account(SUB).post("suppressions", emailaddress="later@example.org")
        read = mm.read_suppressions(accounts=[SUB], session=session)
    assert read["suppression_id"].tolist() == [2**39, 2**39 + 1]


# --- frames -----------------------------------------------------------------------------


def _duplicate_columns() -> pd.DataFrame:
    frame = _suppressions()
    return pd.concat([frame, frame[["email"]]], axis=1)


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        pytest.param(
            {"suppressions": _duplicate_columns()}, "column 'email' twice", id="duplicate-column"
        ),
        pytest.param(
            {
                "suppressions": _suppressions(
                    suppressed_at=pd.Series(
                        [pd.Timestamp("2300-01-01", tz="UTC")], dtype="datetime64[us, UTC]"
                    )
                )
            },
            "suppressed_at",
            id="year-2300",
        ),
        pytest.param(
            {
                "sent": small()["sent"].assign(
                    sent_at=pd.Series(
                        [pd.Timestamp("1500-01-01", tz="UTC")] * 3, dtype="datetime64[s, UTC]"
                    )
                )
            },
            "sent_at",
            id="year-1500",
        ),
        pytest.param(
            {
                "suppressions": _suppressions(
                    suppressed_at=when("1677-12-31T23:59:59Z")  # held by pandas, not the API
                )
            },
            "suppressed_at",
            id="before-1678",
        ),
        pytest.param(
            {"suppressions": _suppressions(account=text("not an address"))},
            "'not an address'",
            id="account-column",
        ),
    ],
)
def test_odd_frames_are_replay_errors(make_emulator, frames, message):
    emulator = make_emulator("empty")
    before = _state(emulator)
    with pytest.raises(ReplayError) as raised:
        emulator.replay(**frames)
    assert message in str(raised.value)
    assert _state(emulator) == before


@pytest.mark.parametrize("name", ["not an address", "a@b", " ops@example.com", "ops@example.com\n"])
def test_an_account_name_the_api_refuses_is_a_replay_error(make_emulator, name):
    emulator = make_emulator("empty")
    before = _state(emulator)
    sup = _suppressions().drop(columns="account")
    with pytest.raises(ReplayError, match="account"):
        emulator.replay(suppressions=sup, account=name)
    assert _state(emulator) == before


# --- exports and their manifests ------------------------------------------------------------


def _export(root: Path, partitions: list | None = None, **manifest) -> Path:
    """A dataset folder as export_suppressions writes it: one partition of one row."""
    folder = root / "export"
    part = folder / "account=ops@example.com" / "month=2026-03"
    part.mkdir(parents=True)
    _suppressions().drop(columns="account").to_parquet(part / "part-0.parquet")
    body = {
        "query": {"dataset": "suppressions"},
        "partitions": [_entry()] if partitions is None else partitions,
    }
    body.update(manifest)
    (folder / "_manifest.json").write_text(json.dumps(body))
    return folder


def _outside(root: Path) -> Path:
    """A parquet file outside the history folder, which no manifest may reach."""
    secret = root / "elsewhere"
    secret.mkdir()
    _suppressions(email=text("secret@example.org")).drop(columns="account").to_parquet(
        secret / "part-0.parquet"
    )
    return secret


def _entry(**changes) -> dict:
    entry = {
        "account": SUB, "path": "account=ops@example.com/month=2026-03", "status": "complete",
        "rows": 1, "count": 1,
    }  # fmt: skip
    return {**entry, **changes}


MANIFESTS = {
    "not JSON": (lambda root: _write(root, "{not json"), "_manifest.json"),
    "a list": (lambda root: _write(root, "[]"), "_manifest.json"),
    "query not an object": (lambda root: _export(root, query=5), "query"),
    "partitions not a list": (lambda root: _export(root, partitions={"a": 1}), "partitions"),
    "a partition not an object": (lambda root: _export(root, partitions=["x"]), "partition"),
    "no path": (lambda root: _export(root, partitions=[_entry(path=None)]), "path"),
    "no account": (lambda root: _export(root, partitions=[_entry(account=None)]), "account"),
    "account refused": (
        lambda root: _export(root, partitions=[_entry(account="no at sign")]),
        "'no at sign'",
    ),
    "path up": (lambda root: _leading_out(root, "../elsewhere"), "outside"),
    "path absolute": (
        lambda root: _export(root, partitions=[_entry(path=str(_outside(root)))]),
        "outside",
    ),
    "no file": (
        lambda root: _export(root, partitions=[_entry(path="account=x/month=1")]),
        "part-0",
    ),
    "xheaders not an object": (
        lambda root: _export(root, query={"dataset": "suppressions", "xheaders": [1]}),
        "xheaders",
    ),
    "rows not a number": (
        lambda root: _export(root, partitions=[_entry(rows="1", count="1")]),
        "rows",
    ),
}


def _leading_out(root: Path, path: str) -> Path:
    _outside(root)  # root/elsewhere: what "../elsewhere" reaches from root/export
    return _export(root, partitions=[_entry(path=path)])


def _write(root: Path, text_: str) -> Path:
    folder = root / "export"
    folder.mkdir()
    (folder / "_manifest.json").write_text(text_)
    return folder


@pytest.mark.parametrize("case", list(MANIFESTS))
def test_a_malformed_manifest_is_a_replay_error(make_emulator, tmp_path, case):
    make, message = MANIFESTS[case]
    folder = make(tmp_path)
    emulator = make_emulator("empty")
    before = _state(emulator)
    with pytest.raises(ReplayError) as raised:
        emulator.replay(folder)
    assert message in str(raised.value) and str(folder) in str(raised.value)
    assert _state(emulator) == before


@pytest.mark.parametrize("case", ["not JSON", "a partition not an object", "path up"])
def test_a_malformed_manifest_is_a_400_over_http(make_emulator, tmp_path, case):
    folder = MANIFESTS[case][0](tmp_path)
    emulator = make_emulator("empty")
    answer = requests.post(
        f"{emulator.admin_url}/replay", json={"path": str(folder)},
        headers=emulator.admin_headers, timeout=30,
    )  # fmt: skip
    assert answer.status_code == 400, answer.text
    assert MANIFESTS[case][1] in answer.json()["error"]


@pytest.mark.parametrize("account", ["not an address", 5])
def test_a_bad_account_over_http_is_a_400(make_emulator, tmp_path, account):
    for kind, frame in small().items():
        frame.drop(columns="account").to_parquet(tmp_path / f"{kind}.parquet")
    emulator = make_emulator("empty")
    answer = requests.post(
        f"{emulator.admin_url}/replay", json={"path": str(tmp_path), "account": account},
        headers=emulator.admin_headers, timeout=30,
    )  # fmt: skip
    assert answer.status_code == 400, answer.text


@pytest.mark.parametrize("case", ["not JSON", "a partition not an object", "path absolute"])
def test_a_malformed_manifest_exits_2_in_one_line(tmp_path, case):
    folder = MANIFESTS[case][0](tmp_path)
    command = [sys.executable, "-m", "mmframe.emulator", "--port", "0", "--history", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=os.environ)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr


@pytest.mark.clock
def test_a_well_formed_export_loads(make_emulator, tmp_path):
    emulator = make_emulator("empty")
    assert emulator.replay(_export(tmp_path)).rows == {"suppressions": 1}


def test_a_replay_holds_the_times_the_client_reads():
    """The emulator restates the client's time range (it imports nothing of the client)."""
    from mmframe import answers
    from mmframe.emulator import wire

    assert answers.MIN_TIME.timestamp() == wire.MIN_EPOCH
    assert answers.MAX_TIME.timestamp() == wire.MAX_EPOCH


def test_a_refusal_is_one_line_whatever_the_library_said(make_emulator, tmp_path):
    small()["sent"].assign(sent_at="99999-01-01T00:00:00Z").to_csv(tmp_path / "sent.csv")
    with pytest.raises(ReplayError) as raised:
        make_emulator("empty").replay(tmp_path)
    assert "sent_at" in str(raised.value) and "\n" not in str(raised.value)
