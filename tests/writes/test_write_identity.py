"""Writes never skip, lose or mis-target work: identity, journals, validation, kinds, keys.

Each test here reproduces a defect of issue 9 against the emulator and reads the server's
state back.
"""

from __future__ import annotations

import inspect
import json

import pandas as pd
import pytest
import requests

import mmframe as mm
from mmframe.errors import InvalidAPIKey, TransportError
from mmframe.writes import InvalidRowsError

#: Rows suppressed here by hand (POST suppressions: reason "manual") go back only by
#: the deliberate choice activate asks for (adv12, W1).
BY_HAND = ("reactivate", "keep")

pytestmark = pytest.mark.clock  # reads today's date or the clock

SUB = {"password": "pw-123456", "company_name": "Co", "phone": "1"}


def _posts(emulator, method):
    return emulator.stats()["methods"].get(f"POST {method}", {}).get("requests", 0)


def _accounts(session):
    return mm.read_accounts(session=session).set_index("username")


def _journal(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


# --- 1. journals key rows by their real identity ---------------------------------------


def test_upsert_journal_keys_rows_by_username_not_label(tmp_path, emulator, session):
    journal = tmp_path / "accounts.jsonl"
    first = pd.DataFrame([{"username": "one@example.com", **SUB}])
    second = pd.DataFrame([{"username": "two@example.com", **SUB}])  # also row label 0
    assert mm.upsert_accounts(first, journal=journal, session=session)["status"].tolist() == ["ok"]
    assert mm.upsert_accounts(second, journal=journal, session=session)["status"].tolist() == ["ok"]
    assert {"one@example.com", "two@example.com"} <= set(_accounts(session).index)
    again = mm.upsert_accounts(second, journal=journal, session=session)
    assert again["status"].tolist() == ["skipped"]
    changed = second.assign(city="Salem")  # same username, another payload: sent
    assert mm.upsert_accounts(changed, journal=journal, session=session)["status"].tolist() == [
        "ok"
    ]
    assert _accounts(session).loc["two@example.com", "city"] == "Salem"


def test_set_xheaders_journal_includes_the_values(tmp_path, session):
    journal = tmp_path / "x.jsonl"
    frame = pd.DataFrame({"account": ["admin@example.com"], "xheader1": ["X-One"]})
    mm.set_xheaders(frame, journal=journal, session=session)
    renamed = frame.assign(xheader1="X-Two")
    assert mm.set_xheaders(renamed, journal=journal, session=session)["status"].tolist() == ["ok"]
    got = mm.read_xheaders(accounts="all", session=session).set_index("account")
    assert got.loc["admin@example.com", "xheader1"] == "X-Two"


def test_journal_names_the_account_even_when_the_session_did_not_know_it(
    tmp_path, emulator, session
):
    session.post("suppressions", emailaddress=["a@x.com", "b@x.com"])
    frame = mm.read_suppressions(session=session)
    journal = tmp_path / "run.jsonl"
    with mm.Session(emulator.url, emulator.master_apikey) as fresh:
        assert fresh.username is None
        frame.mm.activate(verdicts=BY_HAND, session=fresh, journal=journal)
    entries = [e for e in _journal(journal) if "ok" in e]
    assert entries and all(e["account"] == "admin@example.com" for e in entries)
    emulator.reset_stats()
    with mm.Session(emulator.url, emulator.master_apikey) as later:
        again = frame.mm.activate(verdicts=BY_HAND, session=later, journal=journal)
    assert again["status"].eq("skipped").all()
    assert _posts(emulator, "suppressions/activate") == 0


def test_a_torn_last_line_is_repaired(tmp_path, session):
    session.post("suppressions", emailaddress=[f"u{i}@x.com" for i in range(6)])
    frame = mm.read_suppressions(session=session)
    journal = tmp_path / "run.jsonl"
    frame.head(3).mm.activate(verdicts=BY_HAND, session=session, journal=journal)
    with journal.open("a") as out:
        out.write('{"account": "admin@exa')  # a crash mid-line
    done = frame.mm.activate(verdicts=BY_HAND, session=session, journal=journal)
    assert done["status"].value_counts().to_dict() == {"ok": 3, "skipped": 3}
    lines = journal.read_text().splitlines()
    assert all(json.loads(line) for line in lines)  # every line whole again


def test_a_journal_of_another_operation_is_refused(tmp_path, session):
    session.post("suppressions", emailaddress=["a@x.com"])
    frame = mm.read_suppressions(session=session)
    journal = tmp_path / "run.jsonl"
    frame.mm.activate(verdicts=BY_HAND, session=session, journal=journal)
    with pytest.raises(ValueError, match=r"run\.jsonl.*unsuppress"):
        frame.mm.suppress(session=session, journal=journal)


# --- 2, 3. account writes are first-class ----------------------------------------------


def test_upsert_verify_and_dry_run_compare_the_fields(emulator, session):
    frame = pd.DataFrame(
        [{"username": "v@example.com", **SUB, "timezone": "+1.00", "city": "Oslo"}]
    )
    done = mm.upsert_accounts(frame, verify=True, session=session)
    assert done["status"].tolist() == ["ok"]
    emulator.reset_stats()
    plan = mm.upsert_accounts(frame, dry_run=True, session=session)
    assert plan["status"].tolist() == ["unchanged"]
    assert _posts(emulator, "accounts") == 0
    moved = mm.upsert_accounts(frame.assign(city="Bergen"), dry_run=True, session=session)
    assert moved["status"].tolist() == ["planned"]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"username": None}, "missing"),
        ({"username": float("nan")}, "missing"),
        ({"username": "not-an-address"}, "@"),
        ({"username": "tz@example.com", "timezone": "Mars/Olympus"}, "timezone"),
        ({"username": "tz@example.com", "timezone": "+14.00"}, "timezone"),
        ({"username": "c@example.com", "country": "USA"}, "country"),
        ({"username": "t@example.com", "track_opens": "yes"}, "track_opens"),
    ],
)
def test_upsert_refuses_bad_rows_before_any_request(emulator, session, row, problem):
    frame = pd.DataFrame([{**SUB, **row}, {"username": "fine@example.com", **SUB}])
    emulator.reset_stats()
    with pytest.raises(InvalidRowsError, match=problem) as caught:
        mm.upsert_accounts(frame, session=session)
    assert caught.value.failure_cases["index"].tolist() == [0]
    assert _posts(emulator, "accounts") == 0
    assert list(_accounts(session).index) == ["admin@example.com"]


def test_upsert_needs_the_create_fields_for_new_accounts(emulator, session):
    frame = pd.DataFrame([{"username": "new@example.com", "city": "Oslo"}])
    with pytest.raises(InvalidRowsError, match="password") as caught:
        mm.upsert_accounts(frame, session=session)
    assert set(caught.value.failure_cases["column"]) == {"password", "company_name", "phone"}
    assert _posts(emulator, "accounts") == 0


def test_upsert_case_insensitive_duplicates_send_the_first_only(emulator, session):
    frame = pd.DataFrame(
        [
            {"username": "ops@example.com", **SUB, "city": "First"},
            {"username": "OPS@example.com", **SUB, "city": "Second"},
        ]
    )
    emulator.reset_stats()
    done = mm.upsert_accounts(frame, session=session)
    assert done["status"].tolist() == ["ok", "skipped"]
    assert "duplicate of row 0" in done["error"].iloc[1]
    assert _posts(emulator, "accounts") == 1
    assert _accounts(session).loc["ops@example.com", "city"] == "First"


# --- 4. the row skipped is the row not sent ---------------------------------------------


def test_set_xheaders_same_account_twice(session):
    frame = pd.DataFrame(
        {"account": ["admin@example.com", "ADMIN@example.com"], "xheader1": ["X-First", "X-Second"]}
    )
    done = mm.set_xheaders(frame, session=session)
    assert done["status"].tolist() == ["ok", "skipped"]
    got = mm.read_xheaders(accounts="all", session=session).set_index("account")
    assert got.loc["admin@example.com", "xheader1"] == "X-First"


# --- 5. result columns never destroy input ----------------------------------------------


def test_result_columns_keep_the_inputs(session):
    session.post("suppressions", emailaddress=["a@x.com"])
    recipients = mm.read_recipients(["a@x.com", "b@x.com"], session=session)
    own = recipients["status"].astype(str).tolist()
    done = recipients.mm.activate(verdicts=BY_HAND, session=session)
    assert done["input_status"].astype(str).tolist() == own
    assert done["status"].tolist() == ["ok", "ok"]
    mine = pd.DataFrame({"email": ["c@x.com"], "error": ["typo"], "attempts": [7], "batch": ["b1"]})
    result = mine.mm.suppress(session=session)
    assert result[["input_error", "input_attempts", "input_batch"]].iloc[0].tolist() == [
        "typo",
        7,
        "b1",
    ]
    assert result["status"].tolist() == ["ok"]
    # a write result written again: its old result columns are replaced, not renamed
    redo = done.mm.activate(verdicts=BY_HAND, session=session)
    assert "input_input_status" not in redo.columns
    assert redo["input_status"].astype(str).tolist() == own


# --- 6. kinds are enforced ---------------------------------------------------------------


def test_sender_writes_refuse_other_frames(emulator, session):
    session.post("suppressions", emailaddress=["r1@x.com", "r2@x.com"])
    suppressions = mm.read_suppressions(session=session)
    emulator.reset_stats()
    with pytest.raises(ValueError, match="senders"):
        suppressions.mm.set_seeding(1, session=session)
    with pytest.raises(ValueError, match="senders"):
        suppressions.mm.set_dkim("sel", session=session)
    with pytest.raises(ValueError, match="senders"):
        mm.set_seeding(suppressions, 1, session=session)
    assert emulator.stats()["totals"]["requests"] == 0
    assert mm.read_senders(session=session).empty
    senders = mm.read_senders(session=session)
    with pytest.raises(ValueError, match="activate"):
        senders.assign(suppression_status="x").mm.activate(
            verdicts=BY_HAND, session=session, kind="senders"
        )


def test_kind_works_on_every_write(session):
    mm.create_senders(["s@example.com"], session=session)
    plain = pd.DataFrame({"email": ["s@example.com"]})
    with pytest.raises(ValueError, match="kind="):
        plain.mm.set_seeding(1, session=session)
    assert plain.mm.set_seeding(1, session=session, kind="senders")["status"].tolist() == ["ok"]
    assert mm.set_dkim(plain, "sel", session=session, kind="senders")["status"].tolist() == ["ok"]
    assert plain.mm.suppress(session=session, kind="recipients")["status"].tolist() == ["ok"]


# --- 7. rotate_apikey --------------------------------------------------------------------


def test_rotating_the_masters_own_key_keeps_the_caller_in(emulator):
    with mm.Session(emulator.url, emulator.master_apikey) as fresh:
        assert fresh.username is None
        new = mm.rotate_apikey("admin@example.com", confirm=True, session=fresh)
        assert emulator.master_apikey == new.reveal()
        assert new.reveal() not in repr(new) + str(new)
        assert fresh.get("senders") == {"senders": []}  # switched, not locked out


class LoseRotations(requests.adapters.HTTPAdapter):
    """A network that loses the answer to ``POST accounts`` (odd behaviour on purpose).

    ``applied=True``: the request reaches the real server, then the answer is lost;
    ``applied=False``: the request never leaves. Every other request passes through.
    """

    def __init__(self, *, applied):
        super().__init__()
        self.applied = applied
        self.rotations = 0

    def send(self, request, **kwargs):
        if request.method == "POST" and request.url.endswith("/accounts"):
            self.rotations += 1
            if self.applied:
                super().send(request, **kwargs).close()
            raise requests.ConnectionError("connection reset by peer")
        return super().send(request, **kwargs)


def _lossy(session, adapter):
    for http in (session.transport.http, session.transport.once):
        http.mount("http://", adapter)


def test_rotation_is_not_retried_and_a_lost_answer_is_resolved(emulator, session):
    mm.upsert_accounts(pd.DataFrame([{"username": "r@example.com", **SUB}]), session=session)
    sub = session.for_account("r@example.com")
    old = sub.credentials()[1]
    network = LoseRotations(applied=True)
    _lossy(session, network)
    with pytest.warns(UserWarning, match="rotation happened"):
        new = mm.rotate_apikey("r@example.com", confirm=True, session=session)
    assert network.rotations == 1  # sent once, never retried
    assert new.reveal() != old and sub.credentials()[1] == new.reveal()
    assert sub.get("suppressions/count")["count"] == 0
    with pytest.raises(InvalidAPIKey):
        mm.Session(emulator.url, old).get("senders")


def test_a_rotation_that_did_not_happen_says_so(emulator, session):
    network = LoseRotations(applied=False)
    _lossy(session, network)
    before = session.credentials()[1]
    with pytest.raises(TransportError, match="not rotated: safe to call again"):
        mm.rotate_apikey("admin@example.com", confirm=True, session=session)
    assert network.rotations == 1
    assert session.credentials()[1] == before == emulator.master_apikey


def test_a_lost_rotation_of_the_masters_own_key_is_reported(emulator, session):
    _lossy(session, LoseRotations(applied=True))
    with pytest.raises(TransportError, match="WAS rotated"):
        mm.rotate_apikey("admin@example.com", confirm=True, session=session)


def test_rotating_an_unknown_account_sends_nothing(emulator, session):
    emulator.reset_stats()
    with pytest.raises(KeyError, match=r"nobody@example\.com"):
        mm.rotate_apikey("nobody@example.com", confirm=True, session=session)
    assert _posts(emulator, "accounts") == 0


# --- 8. the account directory follows creates and deletes --------------------------------


def test_directory_is_refreshed_after_creates_and_deletes(session):
    session.account_keys()  # the directory is cached before the create
    mm.upsert_accounts(pd.DataFrame([{"username": "fresh@example.com", **SUB}]), session=session)
    frame = pd.DataFrame({"account": ["fresh@example.com"], "email": ["a@x.com"]})
    assert frame.mm.suppress(session=session)["status"].tolist() == ["ok"]
    assert mm.count_suppressions(accounts=["fresh@example.com"], session=session).sum() == 1
    accounts = mm.read_accounts(session=session).query("username == 'fresh@example.com'")
    accounts.mm.delete(confirm=True, session=session)
    with pytest.raises(KeyError, match=r"fresh@example\.com"):
        frame.mm.suppress(session=session)


# --- 9. parameters are checked -----------------------------------------------------------


def test_numeric_options_are_checked(emulator, session):
    senders = pd.DataFrame({"email": ["a@example.com"]})
    emulator.reset_stats()
    with pytest.raises(TypeError, match="seeding"):
        senders.mm.set_seeding(1.0, session=session, kind="senders")
    with pytest.raises(TypeError, match="seeding"):
        senders.mm.set_seeding(True, session=session, kind="senders")
    for bad in (-5, 0):
        with pytest.raises(ValueError, match="max_addresses"):
            mm.Session(emulator.url, emulator.master_apikey, max_addresses=bad)
    for bad, error in ((2.5, TypeError), ("2", TypeError), (0, ValueError)):
        with pytest.raises(error, match="batch_size"):
            senders.mm.suppress(session=session, batch_size=bad)
    for bad in (-1, 1.5):
        with pytest.raises((TypeError, ValueError), match="confirm_threshold"):
            senders.mm.suppress(session=session, confirm_threshold=bad)
    for name in ("max_workers", "retries"):
        with pytest.raises((TypeError, ValueError), match=name):
            mm.Session(emulator.url, emulator.master_apikey, **{name: "3"})
    with pytest.raises(TypeError, match="DataFrame"):
        mm.activate(["a@example.com"], session=session)
    with pytest.raises(KeyError, match="account"):
        mm.set_xheaders(pd.DataFrame({"xheader1": ["X-A"]}), session=session)
    assert emulator.stats()["totals"]["requests"] == 0


# --- 10. typed signatures ----------------------------------------------------------------

WRITES = [
    mm.activate,
    mm.suppress,
    mm.set_seeding,
    mm.set_dkim,
    mm.delete,
    mm.create_senders,
    mm.upsert_accounts,
    mm.set_xheaders,
    mm.rotate_apikey,
]


@pytest.mark.parametrize("function", [*WRITES, *vars(mm.accessor.MMAccessor).values()])
def test_signatures_are_explicit(function):
    if not callable(function) or getattr(function, "__name__", "_").startswith("_"):
        return
    parameters = inspect.signature(function).parameters.values()
    assert not [p for p in parameters if p.kind is p.VAR_KEYWORD], function
    hints = inspect.get_annotations(function)
    assert all(p.name in hints for p in parameters if p.name != "self"), function


# --- issue 29.5: a journal belongs to one endpoint and one account -----------------------


def _suppressed(emulator, emails):
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        frame = pd.DataFrame({"email": emails})
        mm.suppress(frame, session=session, kind="recipients")
    return frame


def test_a_journal_rehearsed_on_a_replica_is_refused_on_another_endpoint(tmp_path, make_emulator):
    # 29.5: the fix rehearsed on a replica named a journal that recorded no endpoint, so the
    # same fix on production skipped every row ("skipped: 335"), even with verify=True.
    replica, production = make_emulator("empty"), make_emulator("empty")
    emails = [f"r{i}@example.net" for i in range(3)]
    frame = _suppressed(replica, emails)
    _suppressed(production, emails)
    journal = tmp_path / "fix.jsonl"
    with mm.Session(replica.url, replica.master_apikey) as session:
        done = mm.activate(
            frame,
            verdicts=BY_HAND,
            journal=journal,
            verify=True,
            session=session,
            kind="recipients",
        )
        assert done["status"].tolist() == ["ok"] * 3
    with mm.Session(production.url, production.master_apikey) as session:
        production.reset_stats()
        with pytest.raises(ValueError, match="another endpoint") as refused:
            mm.activate(
                frame,
                verdicts=BY_HAND,
                journal=journal,
                verify=True,
                session=session,
                kind="recipients",
            )
        assert replica.url.split("/rest")[0] in str(refused.value)
        assert production.stats()["totals"]["writes"] == 0
        still = mm.read_recipients(emails, session=session)
        assert (still["suppression_status"] == "suppressed").all()


def test_a_journal_of_another_account_is_refused(tmp_path, emulator, session):
    journal = tmp_path / "ops.jsonl"
    mm.upsert_accounts(
        pd.DataFrame(
            [{"username": "ops@example.com", **SUB}, {"username": "news@example.com", **SUB}]
        ),
        session=session,
    )
    rows = pd.DataFrame({"email": ["a@example.net"]})
    ops, news = session.for_account("ops@example.com"), session.for_account("news@example.com")
    mm.suppress(rows, session=ops, kind="recipients", journal=journal)
    with pytest.raises(ValueError, match=r"another API key|ops@example\.com"):
        mm.suppress(rows, session=news, kind="recipients", journal=journal)


def test_a_journal_of_another_server_at_the_same_address_is_refused(tmp_path):
    # The adversary: a journal written against an emulator, reused against a fresh one on
    # the same port, skipped every row ("done in an earlier run") and left them suppressed.
    from mmframe.emulator import Emulator

    emails = [f"s{i}@example.net" for i in range(3)]
    journal = tmp_path / "fix.jsonl"
    with Emulator("empty", port=0, fixed_keys=True) as first:
        port = first.port
        _suppressed(first, emails)
        with mm.Session(first.url, first.master_apikey) as session:
            frame = mm.read_suppressions(session=session)
            mm.activate(frame, verdicts=BY_HAND, journal=journal, full=True, session=session)
    # The same key too (the seed value's): only the rows read back can tell the servers apart.
    with Emulator("empty", port=port, fixed_keys=True) as second:
        _suppressed(second, emails)
        with mm.Session(second.url, second.master_apikey) as session:
            with pytest.warns(mm.BatchWriteWarning, match="3 of 3"):
                again = mm.activate(
                    frame,
                    verdicts=BY_HAND,
                    journal=journal,
                    full=True,
                    session=session,
                    on_error="warn",
                )
            assert (again["status"] == "failed").all()
            assert again["error"].str.contains("the server does not show it").all()
            still = mm.read_recipients(emails, session=session)
            assert (still["suppression_status"] == "suppressed").all()


@pytest.mark.filterwarnings("ignore:.*never judged:mmframe.errors.EvidenceWarning")
def test_rows_that_fail_verification_are_not_done_in_the_journal(tmp_path, make_emulator):
    # The adversary: rows failed by verify=True were journaled as done, and a second run
    # skipped them.
    from tests.report.generated import NEWS, history, storm_plan

    emulator = make_emulator("empty")
    emulator.replay(**history(storm_plan()).frames)  # bounced: inactive recipients
    journal = tmp_path / "fix.jsonl"
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        listed = mm.read_suppressions(None, None, accounts=[NEWS], session=session)
        state = mm.read_recipients(listed["email"], session=session.for_account(NEWS))
        frame = listed[(state["status"] == "inactive").to_numpy()].head(3)
        assert len(frame) == 3
        emulator.configure(propagation_delay=600)  # a reactivation shows after 10 minutes
        with pytest.warns(mm.BatchWriteWarning):
            first = mm.activate(frame, verdicts=BY_HAND, journal=journal, verify=True,
                                verify_timeout=0, full=True, session=session,
                                on_error="warn")  # fmt: skip
        assert (first["status"] == "failed").all()
        again = mm.activate(frame, verdicts=BY_HAND, journal=journal, session=session, full=True)
        assert not (again["status"] == "skipped").any()


def test_one_header_in_two_slots_is_refused_whatever_its_case(emulator, session, api):
    # The adversary: set_xheaders took X-Campaign and x-campaign on one account, which the
    # replay refuses (header names are case-insensitive).
    frame = pd.DataFrame(
        {"account": ["admin@example.com"], "xheader1": ["X-Campaign"], "xheader2": ["x-campaign"]}
    )
    emulator.reset_stats()
    with pytest.raises(InvalidRowsError, match="named twice"):
        mm.set_xheaders(frame, session=session)
    assert emulator.stats()["totals"]["writes"] == 0
    status, _body = api("POST", "accounts/xheaders", xheader1="X-A", xheader2="x-a")
    assert status == 452
