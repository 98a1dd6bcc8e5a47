"""Replaying a history: what it serves, and bad input refused whole (the emulator unchanged)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
import requests

import mmframe as mm
from mmframe.emulator.replay import ReplayError
from tests.replay.histories import SUB, small, text, when

pytestmark = pytest.mark.clock  # reads today's date or the clock


def _state(emulator) -> list[str]:
    """Everything the emulator's database holds, as SQL text."""
    with emulator.backend.store.lock:
        return list(emulator.backend.store.conn.iterdump())


@pytest.fixture
def replica(make_emulator):
    """An empty emulator that replayed :func:`small`, and a master session on it."""
    emulator = make_emulator("empty")
    emulator.replay(**small())
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        yield emulator, session


def test_a_replayed_account_is_served_like_a_seeded_one(replica):
    _emulator, session = replica
    found = mm.read_suppressions(accounts=SUB, session=session)
    assert found["suppression_id"].tolist() == [501, 502]
    assert found["email"].tolist() == ["gone@example.org", "Left@Example.org"]
    sent = mm.read_sent("2026-03-01", "2026-03-02", accounts=SUB, session=session)
    assert sent["x_messageid"].tolist() == ["m2", "m3", "m1"]  # in time order
    delivered = mm.read_delivered("2026-03-01", "2026-03-02", accounts=SUB, session=session)
    assert delivered["email"].tolist() == ["amy@example.org", "bob@example.net"]  # m1 bounced
    opens = mm.read_opens("2026-03-01", "2026-03-03", accounts=SUB, session=session)
    assert opens["ip"].tolist() == ["192.0.2.1", "192.0.2.9"]
    unique = mm.read_opens("2026-03-01", "2026-03-03", unique=True, accounts=SUB, session=session)
    assert unique["count"].tolist() == [2]
    by_sender = mm.read_opens(
        "2026-03-01", "2026-03-03", sender="news@ops.example.com", accounts=SUB, session=session
    )
    assert len(by_sender) == 2  # an open takes its message's sender
    bounced = mm.read_bounces(
        "2026-03-01", "2026-03-02", bounce_type="suppressed", accounts=SUB, session=session
    )
    assert bounced["message"].tolist() == ["550 5.1.1 user unknown"]
    assert mm.read_accounts(session=session).set_index("username").loc[SUB, "emails_sent"] == 3


def test_a_replayed_bounce_makes_its_recipient_inactive(make_emulator):
    emulator = make_emulator("empty")
    done = emulator.replay(**small())
    with mm.Session(emulator.url, done.created[SUB]) as own:
        status = mm.read_recipients(["gone@example.org", "left@example.org"], session=own)
    assert status["status"].tolist() == ["inactive", "active"]  # a bounce, an unsubscribe
    assert status["suppression_status"].tolist() == ["suppressed", "suppressed"]


def test_a_second_load_out_of_time_order_keeps_lists_in_time_order(replica):
    emulator, session = replica
    emulator.replay(
        opens=pd.DataFrame(
            {
                "account": text(SUB),
                "email": text("amy@example.org"),
                "opened_at": when("2026-03-01T08:30:00Z"),  # before the opens already loaded
                "x_campaign": text("spring"),
                "x_messageid": text("m2"),
            }
        )
    )
    opens = mm.read_opens("2026-03-01", "2026-03-03", accounts=SUB, session=session)
    assert opens["opened_at"].is_monotonic_increasing and len(opens) == 3
    unique = mm.read_opens("2026-03-01", "2026-03-03", unique=True, accounts=SUB, session=session)
    assert unique["opened_at"].tolist() == [pd.Timestamp("2026-03-01T08:30:00Z")]
    assert unique["count"].tolist() == [3]


def test_frames_whose_index_repeats_labels_load_row_by_row(make_emulator):
    # pd.concat of parts and samples with replacement repeat index labels.
    history = small()
    opens = history["opens"]
    history["opens"] = pd.concat([opens, opens.iloc[:1]])
    assert not history["opens"].index.is_unique
    emulator = make_emulator("empty")
    assert emulator.replay(**history).rows["opens"] == 3
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        found = mm.read_opens("2026-03-01", "2026-03-03", accounts=SUB, session=session)
    assert found["ip"].tolist() == ["192.0.2.1", "192.0.2.1", "192.0.2.9"]


def test_x_header_values_needing_json_escapes_round_trip(make_emulator):
    history = small()
    odd = ['say "hi"', "naïve", "back\\slash"]
    history["sent"] = history["sent"].assign(x_campaign=text(*odd))
    emulator = make_emulator("empty")
    emulator.replay(**{k: history[k] for k in ("xheaders", "sent")})
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        sent = mm.read_sent("2026-03-01", "2026-03-02", accounts=SUB, session=session)
        quoted = mm.read_sent(
            "2026-03-01", "2026-03-02", xheaders={"X-Campaign": 'say "hi"'}, accounts=SUB,
            session=session,
        )  # fmt: skip
    assert sorted(sent["x_campaign"]) == sorted(odd)
    assert quoted["email"].tolist() == ["gone@example.org"]


def _bad_cases() -> dict[str, tuple[dict, str]]:
    history = small()
    # New addresses and ids, so each case fails for its own reason only.
    sup = history["suppressions"].assign(
        email=text("x1@example.org", "x2@example.org"),
        suppression_id=pd.array([601, 602], dtype="Int64"),
    )
    bounces = history["bounces"]
    cases = {
        "unknown column": ({"suppressions": sup.assign(bogus=1)}, "unknown column(s) 'bogus'"),
        "missing column": ({"suppressions": sup.drop(columns="reason")}, "missing required"),
        "wrong dtype": (
            {"suppressions": sup.assign(suppressed_at=sup["suppressed_at"].astype(str))},
            "must hold timestamps with a time zone",
        ),
        "numbers for text": ({"sent": history["sent"].assign(sender=[1, 2, 3])}, "must hold text"),
        "naive timestamps": (
            {"suppressions": sup.assign(suppressed_at=sup["suppressed_at"].dt.tz_localize(None))},
            "naive timestamps",
        ),
        "event before its send": (
            {"bounces": bounces.assign(sent_at=when("2026-03-01T10:00:01Z"))},
            "bounced_at before sent_at",
        ),
        "duplicate ids": (
            {"suppressions": sup.assign(suppression_id=pd.array([7, 7], dtype="Int64"))},
            "suppression_id twice",
        ),
        "id already used": (
            {
                "suppressions": sup.iloc[:1].assign(
                    email=text("new@example.org"), suppression_id=pd.array([501], dtype="Int64")
                )
            },
            "already used",
        ),
        "an address twice": (
            {"suppressions": sup.assign(email=text("a@example.org", "A@example.org"))},
            "twice on one list",
        ),
        "already suppressed": (
            {
                "suppressions": history["suppressions"]
                .iloc[:1]
                .assign(suppression_id=pd.array([9], dtype="Int64"))
            },
            "already on the list",
        ),
        "refused address": (
            {"sent": history["sent"].assign(email=text("a@example.org", "no at sign", "b@x"))},
            "'no at sign'",
        ),
        "unknown reason": (
            {"suppressions": sup.assign(reason=["bounce", "spam"])},
            "'spam'",
        ),
        "unnamed X-header": ({"sent": history["sent"].assign(x_other="v")}, "x_other"),
        "delivered not sent": (
            {
                "sent": history["sent"],
                "delivered": history["sent"].assign(sender=text("a@b.co", "c@d.co", "e@f.co")),
            },
            "no sent row matches",
        ),
        "unknown kind": ({"recipients": sup}, "unknown kind(s) 'recipients'"),
    }
    # All or none: valid accounts and sends with one bad bounce create nothing at all.
    accounts = pd.DataFrame({"username": text("new@example.com"), "user_type": ["Sub"]})
    names = history["xheaders"].assign(account=text("new@example.com"))
    mixed = {
        "accounts": accounts,
        "xheaders": names,
        "sent": history["sent"].assign(account=text(*["new@example.com"] * 3)),
        "bounces": bounces.assign(account=text("new@example.com"), bounced_at=when("2026-01-01")),
    }
    cases["all or none"] = (mixed, "bounced_at before sent_at")
    return cases


@pytest.mark.parametrize("case", list(_bad_cases()))
def test_bad_input_is_refused_and_changes_nothing(replica, case):
    emulator, _session = replica
    frames, message = _bad_cases()[case]
    before = _state(emulator)
    with pytest.raises(ReplayError, match=None) as raised:
        emulator.replay(**frames)
    assert message in str(raised.value)
    assert _state(emulator) == before


def test_replay_over_http_needs_the_admin_credential(make_emulator, tmp_path):
    emulator = make_emulator("empty")
    for kind, frame in small().items():
        frame.to_parquet(tmp_path / f"{kind}.parquet")
    url = f"{emulator.admin_url}/replay"
    before = _state(emulator)
    refused = requests.post(url, json={"path": str(tmp_path)}, timeout=30)
    keyed = requests.post(
        url, json={"path": str(tmp_path)}, timeout=30, params={"apikey": emulator.master_apikey}
    )
    assert (refused.status_code, keyed.status_code) == (401, 401)
    assert _state(emulator) == before
    bad = requests.post(
        url, json={"path": str(tmp_path / "nope")}, headers=emulator.admin_headers, timeout=30
    )
    assert bad.status_code == 400 and "no such folder" in bad.json()["error"]
    done = requests.post(
        url, json={"path": str(tmp_path)}, headers=emulator.admin_headers, timeout=30
    )
    assert done.status_code == 200
    body = done.json()
    assert list(body["created"]) == [SUB] and body["rows"]["sent"] == 3
    with mm.Session(emulator.url, body["created"][SUB]) as own:  # the new key works
        assert len(mm.read_suppressions(session=own)) == 2


def test_a_folder_of_csv_files_is_typed_and_checked(make_emulator, tmp_path):
    emulator = make_emulator("empty")
    for kind, frame in small().items():
        frame.to_csv(tmp_path / f"{kind}.csv", index=False)
    emulator.replay(tmp_path)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        opens = mm.read_opens("2026-03-01", "2026-03-03", accounts=SUB, session=session)
        assert opens["stage"].tolist() == ["read", "seen"]
    naive = tmp_path / "naive"
    naive.mkdir()
    small()["sent"].assign(sent_at="2026-03-01 08:00:00").to_csv(naive / "sent.csv", index=False)
    with pytest.raises(ReplayError, match="naive timestamps"):
        make_emulator("empty").replay(naive)
    (naive / "notes.csv").write_text("a\n1\n")
    with pytest.raises(ReplayError, match="not a kind of history"):
        make_emulator("empty").replay(naive)


def test_a_parquet_folder_without_account_columns_is_the_masters(make_emulator, tmp_path):
    history = small()
    for kind in ("xheaders", "sent"):
        history[kind].drop(columns="account").to_parquet(tmp_path / f"{kind}.parquet")
    emulator = make_emulator("empty")
    assert emulator.replay(tmp_path).rows == {"xheaders": 1, "sent": 3}
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        sent = mm.read_sent("2026-03-01", "2026-03-02", session=session)
    assert sent["x_messageid"].tolist() == ["m2", "m3", "m1"]


def test_an_incomplete_export_is_refused(make_emulator, tmp_path, demo_session):
    mm.export_suppressions(tmp_path / "s", "2026-01-01", "2026-03-01", session=demo_session)
    manifest = tmp_path / "s" / "_manifest.json"
    body = json.loads(manifest.read_text())
    body["partitions"][0]["status"] = "failed"
    manifest.write_text(json.dumps(body))
    emulator = make_emulator("empty")
    before = _state(emulator)
    with pytest.raises(ReplayError, match="re-run the export"):
        emulator.replay(tmp_path)
    assert _state(emulator) == before


def test_the_command_line_replays_a_folder_and_prints_new_keys_once(tmp_path):
    for kind, frame in small().items():
        frame.to_parquet(tmp_path / f"{kind}.parquet")
    command = [sys.executable, "-m", "mmframe.emulator", "--port", "0", "--history", str(tmp_path)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as p:
        try:
            env = dict(p.stdout.readline().strip().split("=", 1) for _ in range(3))
            created = p.stdout.readline().strip()
            assert created.startswith(f"# created {SUB}: apikey ")
            key = created.rsplit(" ", 1)[1]
            with mm.Session(env["MMFRAME_URL"], key) as own:
                assert len(mm.read_sent("2026-03-01", "2026-03-02", session=own)) == 3
        finally:
            p.terminate()
            _out, err = p.communicate(timeout=15)
    assert "replayed" in err and "3 sent" in err
    bad = subprocess.run(
        [*command[:-1], str(tmp_path / "nope")], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2 and "no such folder" in bad.stderr


def test_a_database_file_from_before_replay_gains_the_new_columns(tmp_path):
    import sqlite3

    from mmframe.emulator import Emulator
    from mmframe.emulator.models.store import EVENT_COLUMNS_ADDED

    db = tmp_path / "old.sqlite"
    Emulator("empty", db=db).stop()
    with sqlite3.connect(db) as conn:  # as an earlier version wrote it
        for name, _kind in EVENT_COLUMNS_ADDED:
            conn.execute(f"ALTER TABLE mail_events DROP COLUMN {name}")
    with Emulator("empty", db=db) as emulator:
        emulator.replay(**small())
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            unique = mm.read_opens(
                "2026-03-01", "2026-03-03", unique=True, accounts=SUB, session=session
            )
            assert unique["count"].tolist() == [2]
