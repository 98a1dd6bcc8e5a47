"""Every API method's success shape over HTTP (SPEC 2.1-2.4)."""

from __future__ import annotations

import re

import pytest
import requests

from mmframe.emulator.models.accounts import FLAG_FIELDS, TEXT_FIELDS
from tests.conftest import call_api

pytestmark = pytest.mark.clock  # reads today's date or the clock

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$")
SUB = {"username": "sub@example.com", "password": "pw", "companyname": "Co", "phone": "1"}


def test_accounts_list_shape(api):
    status, body = api("GET", "accounts")
    assert (status, body["message"]) == (200, "OK")
    data = body["data"]
    assert data["emailcap"] == "100000"
    (master,) = data["accounts"]
    assert master["usertype"] == "Master"
    assert re.fullmatch(r"[0-9a-f]{32}", master["apikey"])
    assert ISO.match(master["created"])
    assert set(TEXT_FIELDS) | set(FLAG_FIELDS) <= set(master)
    assert master["max_sample_count"] is None
    assert master["emailssent"] == 0
    assert "password" not in str(master)


def test_account_create_update_and_fields(api):
    status, body = api(
        "POST",
        "accounts",
        **SUB,
        timezone="-4.00",
        country="us",
        bounceurl="http://b",
        trackopens="0",
        accountname="Ops",
    )
    assert status == 200
    assert re.fullmatch(r"[0-9a-f]{32}", body["data"]["apikey"])
    key = body["data"]["apikey"]
    _, again = api("POST", "accounts", username="SUB@example.com", city="Manchester")
    assert again["data"] == {"apikey": key}
    rows = {a["username"]: a for a in api("GET", "accounts")[1]["data"]["accounts"]}
    sub = rows["sub@example.com"]
    assert (sub["usertype"], sub["timezone"], sub["country"]) == ("Sub", "-0400", "US")
    assert (sub["bounce_url"], sub["trackopens"], sub["city"]) == ("http://b", "0", "Manchester")
    assert sub["accountname"] == "Ops"
    assert sub["companyname"] == "Co"


def test_account_key_rotation(emulator, api):
    key = api("POST", "accounts", **SUB)[1]["data"]["apikey"]
    assert api("GET", "senders", key=key)[0] == 200
    new = api("POST", "accounts", username=SUB["username"], generatenewapikey="1")[1]["data"]
    assert new["apikey"] != key
    assert api("GET", "senders", key=key)[0] == 451
    assert api("GET", "senders", key=new["apikey"])[0] == 200


def test_account_delete_removes_its_data(api):
    key = api("POST", "accounts", **SUB)[1]["data"]["apikey"]
    api("POST", "suppressions", key=key, emailaddress="x@y.com")
    assert api("POST", "accounts/delete", username=SUB["username"]) == (
        200,
        {"status": 200, "message": "OK", "data": {}},
    )
    assert api("GET", "suppressions", key=key)[0] == 451
    assert len(api("GET", "accounts")[1]["data"]["accounts"]) == 1


def test_xheaders_get_and_set(api):
    assert api("GET", "accounts/xheaders")[1]["data"] == {
        "xheader1": "",
        "xheader2": "",
        "xheader3": "",
        "xheader4": "",
    }
    _, body = api("POST", "accounts/xheaders", xheader1="X-Campaign", xheader3="X-Id")
    assert body["data"] == {
        "xheader1": "X-Campaign",
        "xheader2": "",
        "xheader3": "X-Id",
        "xheader4": "",
    }
    _, body = api("POST", "accounts/xheaders", xheader1="")
    assert body["data"]["xheader1"] == ""
    assert body["data"]["xheader3"] == "X-Id"


def test_sender_lifecycle(api):
    assert api("POST", "senders", emailaddress="News@mail.example.com")[1]["data"] == {}
    assert api("GET", "senders")[1]["data"] == {
        "senders": [{"emailaddress": "News@mail.example.com"}]
    }
    details = api("GET", "senders/details", emailaddress="news@mail.example.com")[1]["data"]
    assert details == {
        "emailaddress": "News@mail.example.com",
        "spf": 1,
        "dkim": 0,
        "dkimval": "",
        "seeding": 0,
    }
    assert api("GET", "senders/status", emailaddress="news@mail.example.com")[1]["data"] == {
        "ready": 1
    }
    api("POST", "senders", emailaddress="news@mail.example.com", seeding="1")
    api("POST", "senders", emailaddress="news@mail.example.com")  # seeding kept
    dkim = api("POST", "senders/dkim", emailaddress="news@mail.example.com", dkim="sel_1")
    data = dkim[1]["data"]
    assert (data["dkim"], data["dkimval"], data["seeding"]) == (1, "sel_1", 1)
    assert "sel_1._domainkey.mail.example.com" in data
    assert "_domainkey.mail.example.com" in data
    assert api("POST", "senders/delete", emailaddress="news@mail.example.com")[0] == 200
    assert api("GET", "senders")[1]["data"] == {"senders": []}


def test_suppression_lifecycle(api):
    api("POST", "suppressions", emailaddress="a@x.com, B@y.com")
    rows = api("GET", "suppressions")[1]["data"]["suppressions"]
    assert [r["emailaddress"] for r in rows] == ["a@x.com", "B@y.com"]
    assert all(ISO.match(r["suppresstime"]) and r["reasontype"] == "manual" for r in rows)
    assert int(rows[0]["suppressionid"]) < int(rows[1]["suppressionid"])
    assert api("GET", "suppressions/count")[1]["data"] == {"count": 2}
    assert api("POST", "suppressions/activate", emailaddress="b@Y.com,never@x.com")[0] == 200
    assert api("GET", "suppressions/count")[1]["data"] == {"count": 1}


def test_readding_keeps_original_time(api):
    api("POST", "suppressions", emailaddress="keep@x.com")
    (before,) = api("GET", "suppressions")[1]["data"]["suppressions"]
    api("POST", "suppressions", emailaddress="KEEP@x.com")
    assert api("GET", "suppressions")[1]["data"]["suppressions"] == [before]


def test_recipient_status_and_activate(api):
    api("POST", "suppressions", emailaddress="s@x.com")
    _, body = api("GET", "recipients/status", emailaddress="s@x.com,new@x.com")
    assert body["data"] == {
        "recipients": [
            {"emailaddress": "s@x.com", "status": "active", "suppressionstatus": "suppressed"},
            {"emailaddress": "new@x.com", "status": "active", "suppressionstatus": "unsuppressed"},
        ]
    }
    assert api("POST", "recipients/activate", emailaddress="s@x.com")[1]["data"] == {}
    # activating a recipient does not touch the suppression list (A12)
    status = api("GET", "recipients/status", emailaddress="s@x.com")[1]["data"]["recipients"]
    assert status[0]["suppressionstatus"] == "suppressed"


def test_demo_recipients_agree_with_reasons(demo_emulator):
    rows = call_api(demo_emulator, "GET", "suppressions")[1]["data"]["suppressions"][:200]
    statuses = call_api(
        demo_emulator,
        "GET",
        "recipients/status",
        emailaddress=",".join(r["emailaddress"] for r in rows),
    )[1]["data"]
    for row, status in zip(rows, statuses["recipients"], strict=True):
        expected = "inactive" if row["reasontype"] in ("bounce", "complaint") else "active"
        assert (status["status"], status["suppressionstatus"]) == (expected, "suppressed")


def test_trailing_slash_and_multipart(emulator):
    url = f"{emulator.url}/suppressions/"
    response = requests.post(
        url,
        files={"apikey": (None, emulator.master_apikey), "emailaddress": (None, "m@x.com")},
        timeout=10,
    )
    assert response.json()["response"]["status"] == 200
    got = requests.get(url, params={"apikey": emulator.master_apikey}, timeout=10).json()
    assert got["response"]["data"]["suppressions"][0]["emailaddress"] == "m@x.com"


def test_key_in_post_query_accepted_body_wins(emulator):
    url = f"{emulator.url}/suppressions"
    ok = requests.post(
        url, params={"apikey": emulator.master_apikey}, data={"emailaddress": "q@x.com"}, timeout=10
    )
    assert ok.status_code == 200
    body_wins = requests.post(
        url,
        params={"apikey": emulator.master_apikey},
        data={"apikey": "0" * 32, "emailaddress": "q@x.com"},
        timeout=10,
    )
    assert body_wins.status_code == 451
