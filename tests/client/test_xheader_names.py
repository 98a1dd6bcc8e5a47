"""X-header names that differ by case or by spelling, and filters on names nobody reports on.

Regressions of issue 19 (items 1, 2 and 4): one account's values vanished behind another's
spelling of the same header, a filter on an unknown name returned every row, and
``export_events`` took a dataset read with bounce texts for one read without them; and of
issue 29 (item 10): one header in two cases became two columns.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

import mmframe as mm
from mmframe import schema
from mmframe.emulator import Emulator
from mmframe.xheader_names import xheader_column

pytestmark = pytest.mark.clock  # reads today's date or the clock

OPS, NEWS, PROMO = "ops@example.com", "news@example.com", "promo@example.org"
HOUR = ("2026-06-09T10:00:00", "2026-06-09T11:00:00")
STANDARD = {"xheader1": "X-Campaign", "xheader2": "X-MessageId", "xheader3": "", "xheader4": ""}


@pytest.fixture(scope="module")
def demo(seeded_copy) -> Emulator:
    """A demo emulator these tests may rename X-headers on (each test restores them)."""
    emulator = Emulator("demo", port=0, db=seeded_copy("demo")).start()
    yield emulator  # type: ignore[misc]
    emulator.stop()


@pytest.fixture
def master(demo):
    with mm.Session(demo.url, demo.master_apikey) as session:
        yield session
        for name in (OPS, NEWS, PROMO):
            session.for_account(name).post("accounts/xheaders", **STANDARD)


def test_one_header_spelt_in_two_cases_is_one_column(master):
    master.for_account(NEWS).post("accounts/xheaders", xheader1="X-campaign")
    both = mm.read_sent(*HOUR, accounts=[OPS, NEWS], session=master)
    assert "x_campaign" in both.columns
    for account in (OPS, NEWS):
        mine = both[both["account"] == account]
        assert len(mine) > 0 and mine["x_campaign"].notna().all(), account
    ops_alone = mm.read_sent(*HOUR, session=master.for_account(OPS))
    ops_rows = both[both["account"] == OPS]
    assert sorted(ops_rows["x_campaign"]) == sorted(ops_alone["x_campaign"])


@pytest.mark.parametrize("kind", ["bounces", "sent"])  # bounces: flat fields; others: objects
def test_one_header_in_any_case_is_one_column_on_every_account(master, kind):
    # Issue 29.10: X-MessageId on one account and X-MESSAGEID on another became the two
    # columns x_message_id and x_messageid, each half empty.
    master.for_account(NEWS).post("accounts/xheaders", xheader2="X-MESSAGEID")
    both = mm.read_events(kind, *HOUR, accounts=[OPS, NEWS], messages=False, session=master)
    column = xheader_column("X-MessageId")
    assert [c for c in both.columns if c.startswith("x_")] == ["x_campaign", column]
    for account in (OPS, NEWS):
        mine = both[both["account"] == account]
        assert len(mine) > 0 and mine[column].notna().all(), account
    assert column == xheader_column("X-MESSAGEID") == xheader_column("x-messageid")


@pytest.mark.parametrize("kind", ["bounces", "sent"])
def test_two_different_headers_are_two_columns(master, kind):
    # X-MessageId and X-Message-Id are different headers: a column each, never merged.
    master.for_account(PROMO).post("accounts/xheaders", xheader3="X-Message-Id")
    frame = mm.read_events(kind, *HOUR, accounts="all", messages=False, session=master)
    headers = [c for c in frame.columns if c.startswith("x_")]
    assert headers == ["x_campaign", "x_messageid", "x_message_id"]


def test_columns_found_only_in_the_rows_merge_or_refuse_too():
    rows = pa.table(
        {
            "emailaddress": ["a@x.com", "b@x.com"],
            "senttime": ["2026-01-01T00:00:00+00:00"] * 2,
            "X-Campaign": ["spring", None],
            "X-campaign": [None, "autumn"],
        }
    )
    frame = schema.events("sent", rows, ["X-Campaign"])
    assert frame["x_campaign"].tolist() == ["spring", "autumn"]
    # Fields outside the API's name grammar may still clash: refused, naming both.
    clash = rows.append_column("X-Message.Id", pa.array(["1", "2"]))
    clash = clash.append_column("X-Message_Id", pa.array(["3", "4"]))
    with pytest.raises(ValueError, match=r"X-Message\.Id and X-Message_Id"):
        schema.events("sent", clash)


@pytest.mark.parametrize(
    ("account", "filters", "named"),
    [
        pytest.param(None, {"X-Campaign": "no-such"}, "no X-headers", id="master-has-none"),
        pytest.param(NEWS, {"X-Campaing": "x"}, "X-Campaign, X-MessageId", id="typo"),
    ],
)
def test_a_filter_on_a_name_the_account_does_not_report_on_is_refused(
    demo, master, account, filters, named
):
    reader = master if account is None else master.for_account(account)
    demo.reset_stats()
    with pytest.raises(ValueError, match=named):
        mm.read_sent(*HOUR, xheaders=filters, session=reader)
    with pytest.raises(ValueError, match=named):
        mm.read_event_counts("sent", *HOUR, xheaders=filters, session=reader)
    assert not {m for m in demo.stats()["methods"] if m.startswith("GET reports/")}


def test_a_filter_names_a_header_case_insensitively(master):
    news = master.for_account(NEWS)
    spring = mm.read_sent(*HOUR, session=news)["x_campaign"].iloc[0]
    lower = mm.read_sent(*HOUR, xheaders={"x-campaign": spring}, session=news)
    assert len(lower) > 0 and set(lower["x_campaign"]) == {spring}


def test_rates_by_a_header_some_accounts_lack_are_refused(demo, master):
    demo.reset_stats()
    with pytest.raises(ValueError, match=r"admin@example\.com"):
        mm.read_rates(
            *HOUR, freq="h", by="X-Campaign", values=["x"], accounts="all", session=master
        )
    assert not {m for m in demo.stats()["methods"] if m.startswith("GET reports/")}


def test_export_binds_its_partitions_to_messages(master, tmp_path):
    news = master.for_account(NEWS)
    day = ("2026-06-09", "2026-06-10")
    first = mm.export_events(tmp_path, "bounces", *day, freq="D", session=news)
    assert first["status"].eq("complete").all()
    again = mm.export_events(tmp_path, "bounces", *day, freq="D", messages=False, session=news)
    assert again["status"].eq("complete").all()
    manifest = json.loads((tmp_path / "_manifest.json").read_text())
    assert '"messages": false' in manifest["query"]["dataset"]
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path)
    assert table.column("message").null_count == table.num_rows  # no texts left behind


def test_an_export_resumed_after_the_names_changed_is_refused(demo, master, tmp_path):
    # Issue 29.11: a resume read its missing partitions under the new names and kept the
    # old ones, so the folder mixed two schemas and reading it dropped a month of values.
    import pandas as pd

    news = master.for_account(NEWS)
    months = ("2026-05-01", "2026-07-01")
    news.post("accounts/xheaders", xheader1="")  # X-MessageId alone
    first = mm.export_events(tmp_path, "bounces", *months, messages=False, session=news)
    assert first["status"].eq("complete").all() and len(first) == 2
    june = tmp_path / first["path"].iloc[1] / "part-0.parquet"
    june.unlink()  # the run that wrote June died before its manifest said so
    manifest = (tmp_path / "_manifest.json").read_text()
    news.post("accounts/xheaders", **STANDARD)  # X-Campaign is back
    demo.reset_stats()
    with pytest.raises(ValueError, match=r"X-Campaign.*overwrite=True") as caught:
        mm.export_events(tmp_path, "bounces", *months, messages=False, session=news)
    assert "X-MessageId" not in str(caught.value)  # only what changed is named
    assert not {m for m in demo.stats()["methods"] if m.startswith("GET reports/")}
    assert (tmp_path / "_manifest.json").read_text() == manifest  # the folder is as it was
    done = mm.export_events(
        tmp_path, "bounces", *months, messages=False, overwrite=True, session=news
    )
    assert done["status"].eq("complete").all()
    back = pd.read_parquet(tmp_path)
    truth = mm.read_bounces(*months, messages=False, session=news)
    assert len(back) == len(truth) and back["x_campaign"].notna().all()
    assert sorted(back["x_campaign"]) == sorted(truth["x_campaign"])
