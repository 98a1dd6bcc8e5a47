"""A frame read for one account keeps writing to it when its ``account`` column is dropped
(fifteenth review, W-15b): ``day[["email"]].mm.activate(full=True)`` on news@'s rows, read
with the master key, wrote to the master's own account, where those rows are not. The
frame's attrs record the accounts its rows were read for: one account routes them there;
several, with the column gone, cannot be told apart and are refused before any request."""

from __future__ import annotations

from functools import partial

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm

NEWS = "news@example.com"
SHOP = "shop@example.com"
SUB = {"password": "pw-123456", "company_name": "Co", "phone": "1"}


def _with_subaccounts(session, emulator) -> None:
    accounts = pd.DataFrame([{"username": name, **SUB} for name in (NEWS, SHOP)])
    mm.upsert_accounts(accounts, session=session)
    emulator.reset_stats()


def _listed(session, account: str) -> set[str]:
    frame = mm.read_suppressions(None, None, accounts=[account], session=session)
    return set(frame["email"])


def _suppress_on(session, account: str, emails: list[str]) -> None:
    mm.suppress(pd.DataFrame({"account": account, "email": emails}), session=session)


def test_one_accounts_rows_without_the_column_go_back_to_that_account(emulator, session):
    _with_subaccounts(session, emulator)
    emails = [f"u{i}@example.org" for i in range(4)]
    _suppress_on(session, NEWS, emails)
    _suppress_on(session, session.identity(), emails[:1])  # the master lists one of them too
    rows = mm.read_suppressions(None, None, accounts=[NEWS], session=session)
    bare = rows[["email"]]  # the account column dropped; the attrs still say news@
    done = bare.mm.activate(verdicts=("reactivate", "keep"), session=session)
    assert set(done["status"]) == {"ok"}, done
    assert _listed(session, NEWS) == set()
    assert _listed(session, session.identity()) == {emails[0]}  # the master's untouched


def test_rows_of_several_accounts_without_the_column_are_refused_before_any_request(
    emulator, session
):
    _with_subaccounts(session, emulator)
    _suppress_on(session, NEWS, ["a@example.org"])
    _suppress_on(session, SHOP, ["b@example.org"])
    rows = mm.read_suppressions(None, None, accounts=[NEWS, SHOP], session=session)
    emulator.reset_stats()
    with pytest.raises(ValueError, match="no 'account' column") as refused:
        rows[["email"]].mm.activate(verdicts=("reactivate", "keep"), session=session)
    assert NEWS in str(refused.value) and SHOP in str(refused.value)
    assert sum(m["requests"] for m in emulator.stats()["methods"].values()) == 0
    assert _listed(session, NEWS) == {"a@example.org"}


@pytest.mark.invariants
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    read_for=st.sampled_from([NEWS, SHOP]),
    picked=st.lists(st.integers(0, 5), min_size=1, max_size=6, unique=True),
    dropped=st.booleans(),
)
def test_only_the_account_the_rows_were_read_for_loses_them(
    emulator, session, read_for, picked, dropped
):
    """Whatever rows of one account's read are kept, its column dropped or not, activating
    them takes exactly those rows off that account's list, and nothing off another's."""
    every = [f"p{i}@example.org" for i in range(6)]
    if NEWS not in set(mm.read_accounts(session=session)["username"]):
        _with_subaccounts(session, emulator)
    for account in (NEWS, SHOP):
        _suppress_on(session, account, every)  # each example starts from both lists whole
    rows = mm.read_suppressions(None, None, accounts=[read_for], session=session)
    chosen = rows.iloc[sorted(picked)]
    frame = chosen.drop(columns="account") if dropped else chosen
    done = frame.mm.activate(verdicts=("reactivate", "keep"), session=session)
    assert set(done["status"]) == {"ok"}, done
    other = SHOP if read_for == NEWS else NEWS
    assert _listed(session, read_for) == set(every) - set(chosen["email"])
    assert _listed(session, other) == set(every)
    assert _listed(session, session.identity()) == set()


# --- a frame read with one key, written with another (sixteenth review, W-16a) ---------


def test_a_sub_keys_read_written_with_the_master_session_is_refused_before_any_request(
    emulator, session
):
    _with_subaccounts(session, emulator)
    _suppress_on(session, NEWS, ["a@example.org", "b@example.org"])
    # news@'s own key, given alone (the name its read records is not the API's): a frame
    # read through session.for_account(NEWS) records news@, and goes there (W-19c).
    news = mm.Session(session.url, session.account_keys()[NEWS.lower()][1])
    rows = mm.read_suppressions(None, None, session=news)  # news@'s own, no account column
    assert "account" not in rows.columns
    emulator.reset_stats()
    for write in (
        lambda: rows.mm.activate(verdicts=("reactivate", "keep"), session=session),
        lambda: rows.mm.suppress(dry_run=True, session=session),
    ):
        with pytest.raises(ValueError, match="read with another API key"):
            write()
    assert sum(m["requests"] for m in emulator.stats()["methods"].values()) == 0
    done = rows.mm.activate(verdicts=("reactivate", "keep"), session=news)  # the reading key
    assert set(done["status"]) == {"ok"}
    assert _listed(session, NEWS) == set()
    news.close()


@pytest.mark.invariants
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(reader=st.sampled_from(["master", NEWS, SHOP]), writer=st.sampled_from(["master", NEWS]))
def test_a_frame_without_its_account_lands_on_the_readers_account_or_nowhere(
    emulator, session, reader, writer
):
    """Read for the key's own account by one key, written by another or the same: the
    rows leave the reading account's list, or nothing is sent at all (a key that cannot
    act for that account); the reading key itself always writes them."""
    every = ["q0@example.org", "q1@example.org"]
    if NEWS not in set(mm.read_accounts(session=session)["username"]):
        _with_subaccounts(session, emulator)
    names = {"master": session.identity(), NEWS: NEWS, SHOP: SHOP}
    for account in names.values():
        _suppress_on(session, account, every)
    sessions = {"master": session, NEWS: session.for_account(NEWS), SHOP: session.for_account(SHOP)}
    rows = mm.read_suppressions(None, None, session=sessions[reader])
    write = partial(rows.mm.activate, verdicts=("reactivate", "keep"), session=sessions[writer])
    said = ""
    try:
        write()
    except ValueError as refused:
        said = str(refused)
    wrote = not said
    assert wrote or (reader != writer and "nothing was sent" in said), said
    for name, account in names.items():
        expected = set() if wrote and name == reader else set(every)
        assert _listed(session, account) == expected, (name, reader, writer)


def test_another_sub_accounts_key_is_refused_in_words_that_say_so(emulator, session):
    """news@'s rows written with shop@'s key: the refusal says whose rows they are and which
    keys may write them, not that listing accounts needs the master key (W-16f)."""
    _with_subaccounts(session, emulator)
    _suppress_on(session, NEWS, ["a@example.org"])
    rows = mm.read_suppressions(None, None, accounts=[NEWS], session=session)
    shop = session.for_account(SHOP)
    with mm.Session(emulator.url, shop.credentials()[1]) as alone:  # shop@'s key, nothing else
        for frame in (rows, rows[["email"]]):
            with pytest.raises(ValueError, match=f"rows of {NEWS} cannot be written"):
                frame.mm.suppress(dry_run=True, session=alone)


def test_an_unnamed_sub_account_key_is_not_called_another_accounts(emulator, session):
    """news@'s rows read with the master key, written with news@'s own key given alone:
    refused (the API tells such a key no name, so it may be any account's), but not in
    words that call it "another sub-account's" key (twenty-first review, W-21b)."""
    _with_subaccounts(session, emulator)
    _suppress_on(session, NEWS, ["a@example.org"])
    rows = mm.read_suppressions(None, None, accounts=[NEWS], session=session)
    refused_words = f"rows of {NEWS} cannot be written"
    with (
        mm.Session(emulator.url, session.account_keys()[NEWS][1]) as own,
        pytest.raises(ValueError, match=refused_words) as refused,
    ):
        rows.mm.suppress(dry_run=True, session=own)
    said = str(refused.value)
    assert "another sub-account's" not in said and "no name" in said, said
    assert "master" in said and "nothing was sent" in said, said
