"""Every loader against a real emulator: columns, dtypes, accounts, edges, empties, bad input."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe import schema
from mmframe.emulator.seed import STORM

pytestmark = pytest.mark.clock  # reads today's date or the clock


def _dtypes(columns):
    return {c.name: str(pd.Series([], dtype=c.dtype).dtype) for c in columns}


def _check(frame, columns, *, account=False):
    expected = _dtypes(columns)
    if account:
        expected = {"account": "category", **expected}
    assert {k: str(v) for k, v in frame.dtypes.items()} == expected
    assert list(frame.columns) == list(expected)


def test_read_accounts(demo_session, demo_emulator):
    frame = mm.read_accounts(session=demo_session)
    _check(frame, schema.ACCOUNTS)
    assert frame["username"].tolist()[0] == "admin@example.com" and len(frame) == 5
    assert frame["user_type"].tolist() == ["Master"] + ["Sub"] * 4
    assert frame["created"].dt.tz is not None and frame["emails_sent"].notna().all()
    assert frame["apikey_hint"].str.len().eq(5).all()
    meta = frame.attrs["mmframe"]
    assert meta["kind"] == "accounts" and meta["emailcap"] == 100000
    dumped = frame.to_csv() + str(frame.attrs) + frame.to_json(date_format="iso")
    for _name, key in demo_session.account_keys().values():
        assert key not in dumped


def test_accounts_never_leak_to_parquet(demo_session, tmp_path):
    frame = mm.read_accounts(session=demo_session)
    frame.to_parquet(tmp_path / "a.parquet")
    raw = (tmp_path / "a.parquet").read_bytes()
    for _name, key in demo_session.account_keys().values():
        assert key.encode() not in raw
    assert pd.read_parquet(tmp_path / "a.parquet").attrs["mmframe"]["kind"] == "accounts"


def test_read_senders_plain_and_detailed(demo_session):
    plain = mm.read_senders(session=demo_session)
    _check(plain, schema.SENDERS)
    detailed = mm.read_senders(details=True, session=demo_session)
    _check(detailed, schema.SENDERS + schema.SENDER_DETAILS)
    assert detailed["email"].tolist() == plain["email"].tolist() and len(plain) == 12
    assert set(detailed["dkim"]) == {True, False}
    assert (detailed["dkim_selector"] != "").tolist() == detailed["dkim"].tolist()
    every = mm.read_senders(accounts="all", session=demo_session)
    _check(every, schema.SENDERS, account=True)
    assert len(every) == 60 and every["account"].nunique() == 5


def test_read_xheaders(session):
    session.post("accounts/xheaders", xheader2="X-Campaign")
    frame = mm.read_xheaders(session=session)  # the key's username is not known yet
    assert frame["account"].isna().tolist() == [True]
    assert frame.drop(columns="account").to_dict("records") == [
        {"xheader1": "", "xheader2": "X-Campaign", "xheader3": "", "xheader4": ""}
    ]
    every = mm.read_xheaders(accounts="all", session=session)
    assert every["account"].tolist() == ["admin@example.com"]
    assert every["xheader2"].tolist() == ["X-Campaign"]


def test_read_suppressions_one_account(demo_session):
    news = demo_session.for_account(STORM.account)
    frame = mm.read_suppressions("2026-06-01", "2026-07-01", session=news)
    _check(frame, schema.SUPPRESSIONS)
    assert (
        len(frame)
        == news.get("suppressions/count", startdate="2026-06-01", enddate="2026-07-01")["count"]
    )
    assert frame["suppression_id"].is_unique
    assert frame["suppressed_at"].min() >= pd.Timestamp("2026-06-01", tz="UTC")
    assert frame["suppressed_at"].max() < pd.Timestamp("2026-07-01", tz="UTC")
    assert (frame["domain"].astype(str) == frame["email"].str.split("@").str[1].str.lower()).all()
    assert frame.attrs["mmframe"]["query"] == {
        "start": "2026-06-01T00:00:00+00:00",
        "end": "2026-07-01T00:00:00+00:00",
    }


def test_read_suppressions_all_accounts(demo_session):
    frame = mm.read_suppressions("2026-01-01", "2026-02-01", accounts="all", session=demo_session)
    _check(frame, schema.SUPPRESSIONS, account=True)
    counts = frame.groupby("account", observed=False).size()
    for name, (_username, key) in demo_session.account_keys().items():
        expected = mm.Session(demo_session.url, key).get(
            "suppressions/count", startdate="2026-01-01", enddate="2026-02-01"
        )["count"]
        assert counts[demo_session.account_keys()[name][0]] == expected
    chosen = mm.read_suppressions(
        "2026-01-01", "2026-02-01", accounts=["news@example.com"], session=demo_session
    )
    assert chosen["account"].unique().tolist() == ["news@example.com"]
    pd.testing.assert_frame_equal(
        chosen.drop(columns="account"),
        frame[frame["account"] == "news@example.com"]
        .drop(columns="account")
        .reset_index(drop=True),
        check_categorical=False,
    )


@pytest.mark.parametrize("count", [0, 499, 500, 501, 1001])
def test_suppression_paging_edges(session, count):
    addresses = [f"user{i:05d}@x.com" for i in range(count)]
    for start in range(0, count, 1000):
        session.post("suppressions", emailaddress=addresses[start : start + 1000])
    frame = mm.read_suppressions(session=session)
    assert frame["email"].tolist() == addresses
    _check(frame, schema.SUPPRESSIONS)


@pytest.mark.parametrize("count", [24, 25, 26, 51])
def test_sender_and_account_paging_edges(session, count):
    for i in range(count):
        session.post("senders", emailaddress=f"s{i:03d}@x.com")
        session.post(
            "accounts", username=f"u{i:03d}@x.com", password="p", companyname="c", phone="1"
        )
    assert mm.read_senders(session=session)["email"].tolist() == [
        f"s{i:03d}@x.com" for i in range(count)
    ]
    assert len(mm.read_accounts(session=session)) == count + 1


def test_empty_results_keep_the_typed_schema(session):
    _check(mm.read_suppressions(session=session), schema.SUPPRESSIONS)
    _check(mm.read_suppressions(accounts="all", session=session), schema.SUPPRESSIONS, account=True)
    _check(mm.read_senders(details=True, session=session), schema.SENDERS + schema.SENDER_DETAILS)
    _check(mm.read_recipients([], session=session), schema.RECIPIENTS)
    counts = mm.read_suppression_counts("2026-01-01", "2026-01-01", session=session)
    assert len(counts) == 0 and str(counts["count"].dtype) == "Int64"


def test_counts_sum_to_the_whole_range(demo_session):
    news = demo_session.for_account(STORM.account)
    counts = mm.read_suppression_counts(
        "2025-03-15 06:00", "2026-10-31", freq="W", session=news, as_of="2026-11-01"
    )
    whole = news.get("suppressions/count", startdate="2025-03-15T06:00:00", enddate="2026-10-31")[
        "count"
    ]
    assert counts["count"].sum() == whole
    assert counts.index[0] == pd.Timestamp("2025-03-15 06:00", tz="UTC")
    assert (counts["end"].iloc[:-1].to_numpy() == counts.index[1:].to_numpy()).all()
    assert counts.index.name == "start" and str(counts.index.dtype) == "datetime64[ns, UTC]"
    assert counts["is_complete"].all()


def test_counts_find_the_storm_and_flag_incomplete_periods(demo_session):
    daily = mm.read_suppression_counts(
        "2026-06-01", "2026-06-30", freq="D", accounts="all", session=demo_session
    )
    news = daily[daily["account"] == STORM.account]["count"]
    assert news.idxmax() == pd.Timestamp(STORM.first_day, unit="s", tz="UTC")
    assert news.max() > 4 * news.median()
    future = mm.read_suppression_counts(
        "2026-10-01", "2099-01-01", freq="YS", session=demo_session, as_of="2026-11-01"
    )
    assert not future["is_complete"].any()  # every chunk ends after as_of


def test_iter_suppressions_equals_read(demo_session):
    promo = demo_session.for_account("promo@example.org")
    chunks = list(mm.iter_suppressions("2026-01-15", "2026-04-02", freq="MS", session=promo))
    assert len(chunks) == 4
    whole = mm.read_suppressions("2026-01-15", "2026-04-02", session=promo)
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)
    assert chunks[1].attrs["mmframe"]["query"]["start"] == "2026-02-01T00:00:00+00:00"


def test_read_recipients_batches_and_agrees(make_emulator):
    emulator = make_emulator("empty", max_addresses=100)
    with mm.Session(emulator.url, emulator.master_apikey, max_addresses=100) as session:
        suppressed = [f"s{i}@example.com" for i in range(250)]
        for start in range(0, 250, 100):
            session.post("suppressions", emailaddress=suppressed[start : start + 100])
        asked = [*suppressed, "S0@EXAMPLE.COM", "new@example.com"]
        frame = mm.read_recipients(pd.Series(asked), session=session)
    _check(frame, schema.RECIPIENTS)
    assert frame["email"].tolist() == [*suppressed, "new@example.com"]
    assert frame["suppression_status"].tolist() == ["suppressed"] * 250 + ["unsuppressed"]
    assert emulator.stats()["methods"]["GET recipients/status"]["requests"] == 3


def test_long_addresses_respect_the_url_limit(session):
    long = [f"{'x' * 60}{i}@{'a-rather-long-subdomain-name.' * 4}example.com" for i in range(400)]
    frame = mm.read_recipients(long, session=session)
    assert len(frame) == 400


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda s: mm.read_suppressions("yesterday-ish", session=s), ValueError, "start"),
        (
            lambda s: mm.read_suppressions("2026-02-01", "2026-01-01", session=s),
            ValueError,
            "before",
        ),
        (
            lambda s: mm.read_suppression_counts(
                "2026-01-01", "2026-02-01", freq="fortnight", session=s
            ),
            ValueError,
            "freq",
        ),
        (
            lambda s: mm.read_suppression_counts(
                "2026-01-01", "2026-02-01", freq="10ms", session=s
            ),
            ValueError,
            "second",
        ),
        (lambda s: mm.read_suppression_counts(None, "2026-02-01", session=s), ValueError, "start"),
        (
            lambda s: mm.read_recipients(["ok@example.com", "not an address", "x@"], session=s),
            ValueError,
            r"\[1\] 'not an address'.*\[2\] 'x@'",
        ),
        (lambda s: mm.read_recipients("one@example.com", session=s), TypeError, "list"),
        (lambda s: mm.read_suppressions(on_error="ignore", session=s), ValueError, "on_error"),
        (lambda s: mm.read_suppressions(accounts=[""], session=s), ValueError, "accounts"),
    ],
)
def test_bad_input_fails_before_any_request(emulator, session, call, error, match):
    with pytest.raises(error, match=match):
        call(session)
    assert emulator.stats()["totals"]["requests"] == 0


def test_unknown_account_fails_before_any_data_request(emulator, session):
    with pytest.raises(KeyError, match=r"ghost@x\.com"):
        mm.read_suppressions(accounts=["ghost@x.com"], session=session)
    assert set(emulator.stats()["methods"]) == {"GET accounts"}


def test_count_suppressions(demo_session):
    news = demo_session.for_account(STORM.account)
    frame = mm.read_suppressions("2026-06-01", "2026-07-01", session=news)
    # Issue 21: one type whatever accounts= says: a count per account.
    june = mm.count_suppressions("2026-06-01", "2026-07-01", session=news)
    assert june.to_dict() == {STORM.account: len(frame)} and str(june.dtype) == "Int64"
    total = mm.count_suppressions(session=news).sum()
    before = mm.count_suppressions(None, "2026-06-01", session=news).sum()
    assert total == before + mm.count_suppressions("2026-06-01", None, session=news).sum()
    every = mm.count_suppressions(accounts="all", session=demo_session)
    assert every.name == "count" and every.index.name == "account" and len(every) == 5
    assert every["news@example.com"] == total and every.sum() > 140_000
