"""``accounts="all"`` means every account the master holds now (eighteenth review, W-18b,
W-18d): a session that had read its account list once kept it, so an account created
since by another client was not read (its complainer judged ``reactivate``, with no
warning, the read's record claiming every account seen), and a key another client
rotated since was refused, the error blaming the master's key. Each "all" read reads the
list again (one request), and a cached sub-account session takes its account's new key."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import mmframe as mm

NEWS, PROMO, TINY = "news@example.com", "promo@example.org", "tiny@example.com"
STORM = ("2026-06-09", "2026-06-10")
ACCOUNT = {"password": "pw-123456", "company_name": "Co", "phone": "1"}


@pytest.fixture
def two_clients(make_emulator):
    emulator = make_emulator("demo")
    with (
        mm.Session(emulator.url, emulator.master_apikey) as mine,
        mm.Session(emulator.url, emulator.master_apikey) as theirs,
    ):
        yield emulator, mine, theirs


def _judged(session) -> pd.DataFrame:
    every = {"accounts": "all", "session": session}
    rows = mm.read_suppressions(*STORM, accounts=[NEWS], session=session)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning expected: every account was read
        return mm.remediation_candidates(
            rows,
            bounces=mm.read_bounces(None, None, **every),
            complaints=mm.read_complaints(None, None, **every),
            opt_outs=mm.read_suppressions(None, None, **every),
        )


def test_an_account_created_since_the_list_was_read_is_read_by_all(two_clients):
    emulator, mine, theirs = two_clients
    first = _judged(mine)  # the list read, and kept by this session
    victim = str(first.loc[first["verdict"] == "reactivate", "email"].iloc[0])
    mm.upsert_accounts(pd.DataFrame([{"username": TINY, **ACCOUNT}]), session=theirs)
    at = pd.Timestamp("2026-05-01 11:00", tz="UTC")
    emulator.replay(complaints=pd.DataFrame({"account": [TINY], "email": [victim],
                                             "complained_at": [at],
                                             "sent_at": [at - pd.Timedelta(hours=1)]}))  # fmt: skip
    complaints = mm.read_complaints(None, None, accounts="all", session=mine)
    assert TINY in complaints.attrs["mmframe"]["accounts"]
    assert TINY in complaints.attrs["mmframe"]["seen"]
    again = _judged(mine)
    assert again.loc[again["email"] == victim, "verdict"].tolist() == ["review"]


def test_a_key_rotated_by_another_client_is_taken_from_the_list_again(two_clients):
    _emulator, mine, theirs = two_clients
    before = mm.read_suppressions(*STORM, accounts="all", session=mine)
    mm.rotate_apikey(PROMO, confirm=True, session=theirs)
    after = mm.read_suppressions(*STORM, accounts="all", session=mine)
    pd.testing.assert_frame_equal(after, before)


def test_a_listed_key_refused_says_whose_it_is(two_clients):
    _emulator, mine, theirs = two_clients
    mm.read_suppressions(*STORM, accounts=[PROMO], session=mine)  # the list read, kept
    mm.rotate_apikey(PROMO, confirm=True, session=theirs)
    with pytest.raises(mm.InvalidAPIKey) as refused:
        mm.read_suppressions(*STORM, accounts=[PROMO], session=mine)
    text = str(refused.value)
    assert PROMO in text and "account_keys(refresh=True)" in text, text
    assert "MMFRAME_APIKEY" not in text, text
