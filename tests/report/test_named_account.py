"""A sub-account key's account, named by the caller: the API tells such a key no
username, so the page says the name is the one given and that the key cannot check it
(tenth review, F7), beside the key's senders, with no comparison (eleventh review, A4)."""

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


#: What the page says under its first line of a name given to a sub-account key's account.
SAID = (
    "{name} is the name given to this key's account (by --accounts, accounts= or "
    "username=), which this key cannot check: the API tells a sub-account key no username, "
    "and nothing it reads names its account. What its data shows of the account: its 2 "
    "approved senders, {news} and {deals} (senders are not usernames)."
)


def test_any_name_is_said_unverified_beside_the_keys_senders_without_a_comparison(
    replica, tmp_path
):
    # Eleventh review, A4: "It is not the key's one approved sender, t@acme.io" stood
    # beside the right name as beside a wrong one: an account's username is no sender of
    # it, so the comparison told nothing. The page says what the key's data shows.
    for name in (NEWS.upper(), ACCOUNT, "shop@acme.io"):
        text = _page(replica, tmp_path / name, accounts=name)
        said = SAID.format(name=name.lower(), news=NEWS, deals=DEALS)
        assert said in text, text[:1200]
        assert "It is " not in text.split(said)[0][-200:] + said, said


def test_a_username_given_to_the_session_is_said_unverified(replica, tmp_path):
    text = _page(replica, tmp_path, username="shop@acme.io")
    assert "accounts: shop@acme.io." in text
    assert SAID.format(name="shop@acme.io", news=NEWS, deals=DEALS) in text, text[:1200]


def test_a_key_that_names_no_account_and_a_master_key_say_nothing_of_it(replica, tmp_path):
    assert "name given" not in _page(replica, tmp_path / "own")
    emulator, _key = replica
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        path = mm.report(
            START, END, out=tmp_path / "master", accounts=ACCOUNT, as_of=END, session=session,
            progress=False,
        )  # fmt: skip
    assert "name given" not in _text(path.read_text())
