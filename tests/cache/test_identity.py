"""What a closed month's count cannot vouch for: unique engagement rows (their ``count``
grows with every new open), the account's X-header names (they shape the rows), and who
answered (another server at the same URL, an account recreated under the same name)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import mmframe as mm
from mmframe.cache.reads import fingerprint
from mmframe.cache.store import Key, Store
from tests.cache.history import (
    FIRST,
    NOW,
    files_hold,
    fill,
    history,
    same,
    server,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.clock

U = "u@example.com"
MARCH = ("2026-03-01", "2026-04-01")


def _opens(*times: str) -> pd.DataFrame:
    stamps = pd.to_datetime(list(times), utc=True)
    return pd.DataFrame({"account": U, "email": "amy@example.org", "opened_at": stamps,
                         "ip": "192.0.2.1", "stage": "read", "x_messageid": "m1"})  # fmt: skip


@pytest.fixture
def emulator(server):  # noqa: F811
    emulator, _clock = server
    fill(server, 0)
    return emulator


def test_unique_opens_are_never_served_from_the_cache(emulator, tmp_path):
    xheaders = pd.DataFrame({"account": [U], "xheader1": ["X-MessageId"]})
    sent = pd.DataFrame({"account": [U], "email": ["amy@example.org"], "sender": ["n@u.example"],
                         "sent_at": pd.to_datetime(["2026-03-10 10:00"], utc=True),
                         "x_messageid": ["m1"]})  # fmt: skip
    emulator.replay(xheaders=xheaders, sent=sent, opens=_opens("2026-03-11 08:00"))
    options = {"accounts": [U], "unique": True, "as_of": NOW}
    with (
        mm.Session(emulator.url, emulator.master_apikey, cache=tmp_path) as reader,
        mm.Session(emulator.url, emulator.master_apikey) as writer,
    ):
        mm.read_opens(*MARCH, session=reader, **options)
        emulator.replay(opens=_opens(str(NOW - pd.Timedelta(hours=1))))  # reopened today
        fresh = mm.read_opens(*MARCH, session=writer, **options)
        cached = mm.read_opens(*MARCH, session=reader, **options)
    assert fresh["count"].tolist() == [2]
    same(cached, fresh)
    assert cached.attrs["cache"]["served"] == 0


def test_a_changed_xheader_name_is_a_miss(emulator, tmp_path):
    with (
        mm.Session(emulator.url, emulator.master_apikey, cache=tmp_path) as reader,
        mm.Session(emulator.url, emulator.master_apikey) as writer,
    ):
        held = history(300)
        held["bounces"]["x_campaign"] = "spring"
        me = reader.identity()
        emulator.replay(
            **held, xheaders=pd.DataFrame({"account": [me], "xheader1": ["X-Campaign"]})
        )
        assert (mm.read_bounces(FIRST, session=reader, as_of=NOW)["x_campaign"] == "spring").all()
        mm.set_xheaders(pd.DataFrame({"account": [me], "xheader1": [""]}), session=writer)
        fresh = mm.read_bounces(FIRST, session=writer, as_of=NOW)
        cached = mm.read_bounces(FIRST, session=reader, as_of=NOW)
        assert "x_campaign" not in fresh.columns
        same(cached, fresh)
        assert cached.attrs["cache"]["served"] == 0
        again = mm.read_bounces(FIRST, session=reader, as_of=NOW)
        same(again, fresh)
        assert again.attrs["cache"]["refetched"] == 0


def test_another_server_at_the_same_url_is_a_miss(emulator, tmp_path):
    emulator.replay(suppressions=history(300, seed=1)["suppressions"])
    with mm.Session(emulator.url, emulator.master_apikey, cache=tmp_path) as first:
        mm.read_suppressions(FIRST, session=first, as_of=NOW)
        gone = emulator.master_apikey
    emulator.load("empty")  # a new server (new keys) at the same URL, as many rows a month
    other = history(300, seed=1)  # the same times: the same count each month, other rows
    other["suppressions"]["email"] = "new-" + other["suppressions"]["email"]
    emulator.replay(suppressions=other["suppressions"])
    with (
        mm.Session(emulator.url, emulator.master_apikey, cache=tmp_path) as reader,
        mm.Session(emulator.url, emulator.master_apikey) as writer,
    ):
        cached = mm.read_suppressions(FIRST, session=reader, as_of=NOW)
        same(cached, mm.read_suppressions(FIRST, session=writer, as_of=NOW))
        assert cached.attrs["cache"]["served"] == 0
        for key in (gone, emulator.master_apikey):  # neither the keys nor their fingerprints
            assert files_hold(tmp_path, key) == files_hold(tmp_path, fingerprint(key)) == []


def test_an_account_recreated_under_its_name_is_a_miss(emulator, tmp_path):
    def rows(prefix: str) -> pd.DataFrame:
        times = pd.to_datetime(["2026-02-03", "2026-03-04", "2026-04-05"], utc=True)
        emails = [f"{prefix}{i}@example.org" for i in range(3)]
        return pd.DataFrame({"account": U, "email": emails, "reason": "manual",
                             "suppressed_at": times})  # fmt: skip

    emulator.replay(suppressions=rows("old"))
    options = {"accounts": [U], "as_of": NOW}
    with (
        mm.Session(emulator.url, emulator.master_apikey, cache=tmp_path) as reader,
        mm.Session(emulator.url, emulator.master_apikey) as writer,
    ):
        mm.read_suppressions("2026-02-01", "2026-05-01", session=reader, **options)
        mm.delete(pd.DataFrame({"username": [U]}), kind="accounts", session=writer, confirm=True)
        emulator.replay(suppressions=rows("new"))
        fresh = mm.read_suppressions("2026-02-01", "2026-05-01", session=writer, **options)
    with mm.Session(emulator.url, emulator.master_apikey, cache=tmp_path) as later:  # a new run
        cached = mm.read_suppressions("2026-02-01", "2026-05-01", session=later, **options)
    assert fresh["email"].str.startswith("new").all()
    same(cached, fresh)
    assert cached.attrs["cache"]["served"] == 0


def test_a_period_read_from_another_source_replaces_the_one_held(tmp_path):
    store = Store(tmp_path)
    old, new = (Key("http://h/x", U, "suppressions", "", *MARCH, s) for s in ("a", "b"))
    rows = pa.table({"email": ["a@example.org"]})
    store.put(old, rows)
    store.put(new, rows)
    assert store.get(old) is None and store.get(new) == rows
    assert len(store.info()) == len(list(tmp_path.rglob("*.parquet"))) == 1
    assert old.id != new.id and Key("http://h/x", U, "suppressions", "", *MARCH).id != old.id


def test_the_fingerprint_is_one_way_and_stable():
    key = "0123456789abcdef0123456789abcdef"
    assert fingerprint(key) == fingerprint(key) != fingerprint(key[:-1] + "0")
    assert len(fingerprint(key)) == 16 and key[:8] not in fingerprint(key)


def test_a_sub_account_key_is_cached_once_its_username_is_given_as_documented(emulator, tmp_path):
    # The reviewer of issue 34: a sub-account key's reads were not cached, and the warning
    # said "pass username=", which no docstring or guide mentioned.
    times = pd.to_datetime(["2026-02-03", "2026-03-04"], utc=True)
    emulator.replay(suppressions=pd.DataFrame({"account": U, "email": ["a@example.org",
        "b@example.org"], "reason": "manual", "suppressed_at": times}))  # fmt: skip
    with mm.Session(emulator.url, emulator.master_apikey) as master:
        _name, key = master.account_keys()[U]
    with (
        mm.Session(emulator.url, key, cache=tmp_path) as unnamed,
        pytest.warns(mm.CacheWarning, match=r"username=.*guide/cache") as caught,
    ):
        assert "cache" not in mm.read_suppressions(*MARCH, session=unnamed, as_of=NOW).attrs
    assert len(caught) == 1
    with mm.Session(emulator.url, key, cache=tmp_path, username=U) as named:
        for served in (0, 1):
            got = mm.read_suppressions(*MARCH, session=named, as_of=NOW)
            assert got.attrs["cache"] == {"served": served, "refetched": 1 - served, "fresh": 0}
    for documented in (mm.connect, mm.Session):
        assert "username\n" in (documented.__doc__ or "") or "``username``" in documented.__doc__
    guide = (Path(__file__).parents[2] / "docs" / "guide" / "cache.md").read_text("utf-8")
    assert "username=" in guide
