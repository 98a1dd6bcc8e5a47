"""A sub-account key's account, named by the caller: the API tells such a key no
username, so the page says the name is the one given and not verified (tenth review, F7)."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import mmframe as mm
from mmframe.emulator import Emulator
from tests.report.scenarios import ACCOUNT, DEALS, END, NEWS, START, history


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture(scope="module")
def replica():
    """The quiet scenario's account, with its two approved senders, and its own key."""
    frames = history("quiet")
    frames["senders"] = pd.DataFrame({"account": [ACCOUNT] * 2, "email": [NEWS, DEALS]})
    with Emulator("empty", port=0) as emulator:
        yield emulator, emulator.replay(**frames).created[ACCOUNT]


def _page(replica, tmp_path, **named: str) -> str:
    emulator, key = replica
    accounts = named.pop("accounts", None)
    with mm.Session(emulator.url, key, **named) as session:
        path = mm.report(
            START, END, out=tmp_path, accounts=accounts, as_of=END, session=session,
            progress=False,
        )  # fmt: skip
    return _text(path.read_text())


def test_a_name_that_is_an_approved_sender_is_said_so(replica, tmp_path):
    text = _page(replica, tmp_path, accounts=NEWS.upper())
    assert (
        f"{NEWS} is the name given to this key's account (by --accounts, accounts= or "
        "username=), not verified: the API tells a sub-account key no username. It is one "
        "of the key's 2 approved senders."
    ) in text, text[:1200]


def test_a_username_given_to_the_session_is_said_unverified(replica, tmp_path):
    text = _page(replica, tmp_path, username="shop@acme.io")
    assert "accounts: shop@acme.io." in text
    assert (
        "shop@acme.io is the name given to this key's account (by --accounts, accounts= or "
        "username=), not verified: the API tells a sub-account key no username. It is none "
        f"of the key's 2 approved senders: {NEWS} and {DEALS}."
    ) in text, text[:1200]


def test_a_key_that_names_no_account_and_a_master_key_say_nothing_of_it(replica, tmp_path):
    assert "name given" not in _page(replica, tmp_path / "own")
    emulator, _key = replica
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        path = mm.report(
            START, END, out=tmp_path / "master", accounts=ACCOUNT, as_of=END, session=session,
            progress=False,
        )  # fmt: skip
    assert "name given" not in _text(path.read_text())
