"""Suppression ids only grow (SPEC A6): across activations, deletes, restarts and reseeds."""

from __future__ import annotations

import pytest

from mmframe.emulator import Emulator
from tests.conftest import call_api

pytestmark = pytest.mark.clock  # reads today's date or the clock


def _ids(emulator, key="master"):
    rows = call_api(emulator, "GET", "suppressions", key=key)[1]["data"]["suppressions"]
    return {r["emailaddress"]: int(r["suppressionid"]) for r in rows}


def test_an_activated_id_is_never_reused(api, emulator):
    api("POST", "suppressions", emailaddress="first@x.com")
    first = _ids(emulator)["first@x.com"]
    api("POST", "suppressions/activate", emailaddress="first@x.com")
    api("POST", "suppressions", emailaddress="second@x.com")
    assert _ids(emulator)["second@x.com"] > first
    api("POST", "suppressions", emailaddress="first@x.com")
    assert _ids(emulator)["first@x.com"] > _ids(emulator)["second@x.com"]


def test_ids_grow_after_an_account_is_deleted(api, emulator):
    made = api(
        "POST", "accounts", username="sub@x.com", password="secret-1", companyname="c", phone="1"
    )[1]["data"]["apikey"]
    call_api(emulator, "POST", "suppressions", key=made, emailaddress="a@x.com,b@x.com")
    highest = max(_ids(emulator, made).values())
    api("POST", "accounts/delete", username="sub@x.com")
    api("POST", "suppressions", emailaddress="c@x.com")
    assert _ids(emulator)["c@x.com"] > highest


def test_ids_grow_across_reseeds_and_restarts(tmp_path):
    db = tmp_path / "state.sqlite"
    with Emulator("empty", db=db) as emu:
        call_api(emu, "POST", "suppressions", emailaddress="a@x.com,b@x.com")
        highest = max(_ids(emu).values())
        call_api(emu, "POST", "suppressions/activate", emailaddress="a@x.com,b@x.com")
    with Emulator("empty", db=db) as emu:  # the file is served as it is
        call_api(emu, "POST", "suppressions", emailaddress="c@x.com")
        after_restart = _ids(emu)["c@x.com"]
        assert after_restart > highest
        emu.load("empty")
        call_api(emu, "POST", "suppressions", emailaddress="d@x.com")
        assert _ids(emu)["d@x.com"] > after_restart
