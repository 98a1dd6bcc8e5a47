"""Writes on senders and accounts: seeding, DKIM, create, delete, upsert, X-headers, keys."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe.errors import ConfirmationRequired, InvalidAPIKey

pytestmark = pytest.mark.clock  # reads today's date or the clock

SUB = {"password": "pw", "company_name": "Co", "phone": "1"}


def test_create_senders_then_seeding_and_dkim(session):
    created = mm.create_senders(["a@mail.example.com", "b@mail.example.com"], session=session)
    assert created["status"].tolist() == ["ok", "ok"]
    senders = mm.read_senders(details=True, session=session)
    one = senders[senders["email"] == "a@mail.example.com"]
    plan = one.mm.set_seeding(1, session=session, dry_run=True)
    assert plan["status"].tolist() == ["planned"]
    assert one.mm.set_seeding(1, session=session)["status"].tolist() == ["ok"]
    assert senders.mm.set_dkim("sel_2", session=session)["status"].tolist() == ["ok", "ok"]
    after = mm.read_senders(details=True, session=session).set_index("email")
    assert (
        after.loc["a@mail.example.com", "seeding"]
        and not after.loc["b@mail.example.com", "seeding"]
    )
    assert after["dkim_selector"].tolist() == ["sel_2", "sel_2"] and after["dkim"].all()
    # the two creates ran concurrently, so the list order is the server's: compare by email
    plan = senders.mm.set_seeding(0, session=session, dry_run=True).set_index("email")
    assert plan["status"].to_dict() == {
        "a@mail.example.com": "planned",
        "b@mail.example.com": "unchanged",
    }


def test_bad_write_arguments(session):
    senders = pd.DataFrame({"email": ["a@example.com"]})
    with pytest.raises(ValueError, match="seeding"):
        senders.mm.set_seeding(2, session=session)
    with pytest.raises(ValueError, match="selector"):
        senders.mm.set_dkim("bad selector", session=session)
    with pytest.raises(TypeError, match="unexpected keyword"):
        senders.mm.suppress(session=session, dryrun=True)


def test_delete_senders_needs_confirm(emulator, session):
    mm.create_senders(["d1@example.com", "d2@example.com", "keep@example.com"], session=session)
    senders = mm.read_senders(session=session)
    doomed = senders[senders["email"].str.startswith("d")]
    with pytest.raises(ConfirmationRequired, match="deletes always need"):
        doomed.mm.delete(session=session)
    result = doomed.mm.delete(session=session, confirm=2)
    assert result["status"].tolist() == ["ok", "ok"]
    assert mm.read_senders(session=session)["email"].tolist() == ["keep@example.com"]
    assert doomed.mm.delete(session=session, dry_run=True)["status"].tolist() == [
        "unchanged",
        "unchanged",
    ]


def test_upsert_and_delete_accounts(session):
    new = pd.DataFrame(
        [
            {"username": "one@example.com", **SUB, "timezone": "-5.00", "track_opens": False},
            {"username": "two@example.com", **SUB, "city": "Boston"},
        ]
    )
    result = mm.upsert_accounts(new, session=session)
    assert result["status"].tolist() == ["ok", "ok"] and "password" not in result.columns
    assert "pw" not in result.to_csv()
    accounts = mm.read_accounts(session=session).set_index("username")
    assert accounts.loc["one@example.com", "timezone"] == "-0500"
    assert not accounts.loc["one@example.com", "track_opens"]
    assert accounts.loc["two@example.com", "city"] == "Boston"
    update = pd.DataFrame([{"username": "two@example.com", "city": "Salem"}])
    assert mm.upsert_accounts(update, session=session)["status"].tolist() == ["ok"]
    assert (
        mm.read_accounts(session=session).set_index("username").loc["two@example.com", "city"]
        == "Salem"
    )
    subs = mm.read_accounts(session=session).query("user_type == 'Sub'")
    assert subs.mm.delete(session=session, confirm=True)["status"].eq("ok").all()
    assert mm.read_accounts(session=session)["username"].tolist() == ["admin@example.com"]


def test_set_xheaders_per_account(session):
    mm.upsert_accounts(pd.DataFrame([{"username": "x@example.com", **SUB}]), session=session)
    frame = pd.DataFrame(
        {
            "account": ["admin@example.com", "x@example.com"],
            "xheader1": ["X-Campaign", "X-Id"],
            "xheader4": ["", "X-Four"],
        }
    )
    assert mm.set_xheaders(frame, session=session, dry_run=True)["status"].tolist() == [
        "planned",
        "planned",
    ]
    done = mm.set_xheaders(frame, session=session, verify=True)
    assert done["status"].tolist() == ["ok", "ok"]
    assert mm.set_xheaders(frame, session=session, dry_run=True)["status"].tolist() == [
        "unchanged",
        "unchanged",
    ]
    got = mm.read_xheaders(accounts="all", session=session).set_index("account")
    assert got.loc["x@example.com", ["xheader1", "xheader4"]].tolist() == ["X-Id", "X-Four"]
    assert got.loc["admin@example.com", "xheader1"] == "X-Campaign"


def test_rotate_apikey_switches_sessions(emulator, session):
    mm.upsert_accounts(pd.DataFrame([{"username": "r@example.com", **SUB}]), session=session)
    sub = session.for_account("r@example.com")
    old = sub.credentials()[1]
    for unconfirmed in (None, False, 0, 2):  # confirm= as every write: True, or the count
        with pytest.raises(ConfirmationRequired):
            mm.rotate_apikey("r@example.com", confirm=unconfirmed, session=session)
    new = mm.rotate_apikey("r@example.com", confirm=1, session=session)
    assert sub.credentials()[1] != old and new.hint == "…" + sub.credentials()[1][-4:]
    assert new.reveal() == sub.credentials()[1] and new.reveal() not in repr(new)
    assert sub.get("suppressions/count")["count"] == 0  # the switched session works
    with pytest.raises(InvalidAPIKey):
        mm.Session(emulator.url, old).get("senders")
    master_old = session.credentials()[1]
    mm.rotate_apikey("admin@example.com", confirm=True, session=session)
    assert session.credentials()[1] != master_old and session.get("senders") == {"senders": []}
