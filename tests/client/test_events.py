"""Report loaders against the demo emulator: dtypes, filters, X-headers, counts, failures."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
import urllib3
from requests.adapters import HTTPAdapter

import mmframe as mm
from mmframe import schema

pytestmark = pytest.mark.clock  # reads today's date or the clock

NEWS, PROMO = "news@example.com", "promo@example.org"
DAY = ("2026-06-09", "2026-06-10")


def _expected(kind: str, *, account: bool = False, headers=("x_campaign", "x_messageid")):
    columns = {c.name: str(pd.Series([], dtype=c.dtype).dtype) for c in schema.EVENTS[kind]}
    columns.update(dict.fromkeys(headers, "string"))
    return {"account": "category", **columns} if account else columns


@pytest.mark.parametrize(
    ("kind", "unique"),
    [("sent", False), ("delivered", False), ("bounces", False), ("complaints", False),
     ("issues", False), ("opens", False), ("opens", True), ("clicks", False), ("clicks", True)],
)  # fmt: skip
def test_every_kind_is_typed_and_complete(demo_session, kind, unique):
    news = demo_session.for_account(NEWS)
    frame = mm.read_events(kind, *DAY, unique=unique, session=news)
    report = f"{kind}/unique" if unique else kind
    assert {k: str(v) for k, v in frame.dtypes.items()} == _expected(report)
    base, _, more = report.partition("/")
    path = f"reports/{base}/count" + (f"/{more}" if more else "")
    assert len(frame) == news.get(path, starttime=DAY[0], endtime=DAY[1])["count"] > 0
    times = frame[schema.EVENT_TIME[report]]
    assert times.is_monotonic_increasing and str(times.dt.tz) == "UTC"
    assert frame["x_campaign"].notna().all()
    assert (frame["domain"] == frame["email"].str.split("@").str[1].str.lower()).all()
    meta = frame.attrs["mmframe"]
    assert meta["kind"] == f"events:{report}" and meta["query"]["start"].startswith("2026-06-09")


def test_empty_frames_keep_their_schema(demo_session):
    news = demo_session.for_account(NEWS)
    frame = mm.read_bounces("2030-01-01", "2030-01-02", session=news)
    assert len(frame) == 0
    assert {k: str(v) for k, v in frame.dtypes.items()} == _expected("bounces")
    every = mm.read_complaints("2030-01-01", "2030-01-02", accounts="all", session=demo_session)
    assert {k: str(v) for k, v in every.dtypes.items()} == _expected("complaints", account=True)


def test_xheaders_become_columns_whatever_their_shape(demo_session):
    # Sub-accounts send an object (bounces: flat X- fields); the master an empty array.
    frame = mm.read_sent(
        "2026-06-09T10:00:00", "2026-06-09T10:10:00", accounts="all", session=demo_session
    )
    master = frame[frame["account"] == "admin@example.com"]
    subs = frame[frame["account"] != "admin@example.com"]
    assert len(master) and master["x_campaign"].isna().all()
    assert len(subs) and subs["x_campaign"].notna().all() and subs["x_messageid"].notna().all()
    bounces = mm.read_bounces(*DAY, accounts=[NEWS], session=demo_session)
    assert bounces["x_campaign"].str.startswith("newsletter-").all()
    assert bounces["message"].notna().all() and set(bounces["bounce_type"]) == {"hard", "soft"}
    bare = mm.read_bounces(*DAY, accounts=[NEWS], messages=False, session=demo_session)
    assert bare["message"].isna().all() and len(bare) == len(bounces)


def test_filters_go_to_the_api(demo_session):
    news = demo_session.for_account(NEWS)
    every = mm.read_bounces(*DAY, session=news)
    yahoo = mm.read_bounces(*DAY, domain="yahoo.com", session=news)
    assert len(yahoo) == (every["domain"] == "yahoo.com").sum() > 300
    soft = mm.read_bounces(*DAY, domain="yahoo.com", bounce_type="soft", session=news)
    assert len(soft) == (yahoo["bounce_type"] == "soft").sum()
    picked = every["email"].iloc[[0, 5, 9]].tolist()
    chosen = mm.read_bounces(*DAY, recipients=picked, session=news)
    assert sorted(chosen["email"]) == sorted(picked)
    campaign = every["x_campaign"].iloc[0]
    by_header = mm.read_bounces(*DAY, xheaders={"X-Campaign": campaign}, session=news)
    assert len(by_header) == (every["x_campaign"] == campaign).sum()
    by_sender = mm.read_bounces(*DAY, sender="news@news.example.com", session=news)
    assert len(by_sender) == len(every)
    assert by_header.attrs["mmframe"]["query"]["xheaders"] == {"X-Campaign": campaign}


def test_read_event_counts_match_the_lists(demo_session):
    news = demo_session.for_account(NEWS)
    counts = mm.read_event_counts("bounces", "2026-06-07", "2026-06-11", freq="D", session=news)
    assert list(counts.columns) == ["end", "count", "hard", "soft", "is_complete"]
    assert str(counts.index.dtype) == "datetime64[ns, UTC]" and counts["is_complete"].all()
    frame = mm.read_bounces("2026-06-07", "2026-06-11", session=news)
    per_day = frame.groupby(frame["bounced_at"].dt.floor("D")).size()
    assert counts["count"].tolist() == per_day.reindex(counts.index, fill_value=0).tolist()
    assert (counts["hard"] + counts["soft"] == counts["count"]).all()
    assert counts.loc["2026-06-09", "soft"] > 300  # the storm
    opens = mm.read_event_counts(
        "opens", "2026-06-01", "2026-07-01", freq="W", unique=True, accounts="all",
        session=demo_session,
    )  # fmt: skip
    assert list(opens.columns) == ["account", "end", "count", "is_complete"]
    assert opens["account"].nunique() == 5


def test_iter_events_yields_what_read_events_reads(demo_session):
    news = demo_session.for_account(NEWS)
    whole = mm.read_complaints("2026-05-01", "2026-08-01", session=news)
    parts = list(mm.iter_events("complaints", "2026-05-01", "2026-08-01", session=news))
    assert len(parts) == 3
    joined = pd.concat(parts, ignore_index=True)
    pd.testing.assert_frame_equal(joined, whole, check_categorical=False)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: mm.read_events("bounce", session=s), "kind must be one of"),
        (lambda s: mm.read_events("bounces", unique=True, session=s), "unique=True applies"),
        (lambda s: mm.read_sent(*DAY, session=s, xheaders={"Campaign": "x"}), "X-header name"),
        (lambda s: mm.read_events("sent", bounce_type="hard", session=s), "applies to bounces"),
        (lambda s: mm.read_bounces(bounce_type="sometimes", session=s), "bounce_type must be"),
        (lambda s: mm.read_bounces(recipients=["ok@x.com", "not an address"], session=s), r"\[1\]"),
        (lambda s: mm.read_bounces(recipients=[], session=s), "recipients is empty"),
        (lambda s: mm.read_event_counts("sent", "2026-01-01", None, session=s), "needs both"),
        (lambda s: mm.read_opens(domain="", session=s), "domain must be"),
    ],
)
def test_bad_arguments_fail_before_any_request(make_emulator, call, message):
    emulator = make_emulator("empty")
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        emulator.reset_stats()
        with pytest.raises((ValueError, TypeError), match=message):
            call(session)
        assert emulator.stats()["totals"]["requests"] == 0


class ShortPages(HTTPAdapter):
    """A server whose report pages lose rows: the count check must notice."""

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        if "/reports/bounces?" in request.url:
            body = json.loads(response.raw.read())
            body["response"]["data"]["bounces"] = body["response"]["data"]["bounces"][3:]
            data = json.dumps(body).encode()
            response.raw = urllib3.HTTPResponse(
                body=io.BytesIO(data), preload_content=False, status=200,
                headers=response.raw.headers,
            )  # fmt: skip
        return response


def test_a_short_read_raises_never_returns_short(demo_emulator):
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        news = session.for_account(NEWS)
        session.transport.http.mount("http://", ShortPages())
        with pytest.raises(mm.PartialLoadError, match="count says") as caught:
            mm.read_bounces(*DAY, session=news)
    assert caught.value.chunks["status"].tolist() == ["short"]
    assert caught.value.chunks["attempts"].iloc[0] >= 3


def test_faults_are_retried_or_reported(make_emulator):
    emulator = make_emulator("demo", seed_value=3)
    with mm.Session(emulator.url, emulator.master_apikey, retries=0) as session:
        news = session.for_account(NEWS)
        news.get("accounts/xheaders")
        emulator.configure(fault_rate=1.0, fault_mode="error-before")
        with pytest.raises(mm.PartialLoadError) as caught:
            mm.read_event_counts("sent", "2026-06-01", "2026-06-03", session=news)
        chunks = caught.value.chunks
        failed = chunks["status"] == "failed"  # the others not sent once one had failed
        assert failed.any() and chunks.loc[failed, "error"].str.contains("503").all()
        assert (chunks.loc[~failed, "status"] == "unsent").all()
        assert emulator.master_apikey not in str(caught.value)
        emulator.configure(fault_rate=0.3, fault_mode="error-before")
    with mm.Session(emulator.url, emulator.master_apikey, retries=10) as session:
        frame = mm.read_bounces(*DAY, accounts=[NEWS], session=session)
    emulator.configure(fault_rate=0.0)
    with mm.Session(emulator.url, emulator.master_apikey) as clean:
        expected = mm.read_bounces(*DAY, accounts=[NEWS], session=clean)
    pd.testing.assert_frame_equal(frame.drop(columns="account"), expected.drop(columns="account"))
