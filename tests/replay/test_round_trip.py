"""Replay round trip: export accounts of the demo emulator, load the folder into a fresh
one, and every read over any range, filter and ``accounts=`` equals the original."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.emulator import Emulator

pytestmark = pytest.mark.clock  # reads today's date or the clock

NAMES = ["admin@example.com", "billing@example.net"]
#: The exported window; reads are compared inside [INNER, INNER + 4 days), where every
#: message's sends, opens and clicks lie wholly in the window (they span under 3 days).
START, END = pd.Timestamp("2026-06-01", tz="UTC"), pd.Timestamp("2026-06-11", tz="UTC")
INNER = pd.Timestamp("2026-06-04", tz="UTC")
KINDS = ["sent", "delivered", "bounces", "complaints", "issues", "opens", "clicks"]


@pytest.fixture(scope="module")
def folder(demo_emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's two accounts as a history folder: exports plus files named by kind."""
    root = tmp_path_factory.mktemp("history")
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as source:
        accounts = mm.read_accounts(session=source)
        accounts[accounts["username"].isin(NAMES)].to_parquet(root / "accounts.parquet")
        mm.read_xheaders(accounts=NAMES, session=source).to_csv(root / "xheaders.csv", index=False)
        senders = mm.read_senders(details=True, accounts=NAMES, session=source)
        senders.to_csv(root / "senders.csv", index=False)
        mm.export_suppressions(
            root / "suppressions",
            "2024-01-01",
            "2026-12-01",
            freq="YS",
            accounts=NAMES,
            session=source,
        )
        for kind in KINDS:
            mm.export_events(root / kind, kind, START, END, accounts=NAMES, session=source)
    return root


@pytest.fixture(scope="module")
def pair(demo_emulator: Emulator, folder: Path) -> Iterator[tuple[mm.Session, mm.Session]]:
    """(the original, its replica): sessions of the demo and of an emulator replaying it."""
    with Emulator("empty", port=0) as replica:
        done = replica.replay(folder)
        assert sorted(done.created) == ["billing@example.net"]  # the master existed
        with (
            mm.Session(demo_emulator.url, demo_emulator.master_apikey) as original,
            mm.Session(replica.url, replica.master_apikey) as copy,
        ):
            yield original, copy


def _same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(left, right)
    assert len(left) == len(right)


def test_accounts_names_and_senders_are_the_originals(pair):
    original, copy = pair
    mine = mm.read_accounts(session=copy).drop(columns="apikey_hint")
    theirs = mm.read_accounts(session=original).drop(columns="apikey_hint")
    _same(mine, theirs[theirs["username"].isin(NAMES)].reset_index(drop=True))
    _same(
        mm.read_xheaders(accounts="all", session=copy),
        mm.read_xheaders(accounts=NAMES, session=original),
    )
    _same(
        mm.read_senders(details=True, accounts="all", session=copy),
        mm.read_senders(details=True, accounts=NAMES, session=original),
    )


_hours = st.integers(0, 4 * 24 - 1)


@st.composite
def _ranges(draw: st.DrawFn) -> tuple[pd.Timestamp, pd.Timestamp]:
    a, b = sorted((draw(_hours), draw(st.integers(0, 4 * 24))))
    return INNER + pd.Timedelta(hours=a), INNER + pd.Timedelta(hours=max(b, a + 1))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from([*KINDS, "opens/unique", "clicks/unique"]),
    bounds=_ranges(),
    pick=st.sampled_from(["none", "sender", "domain", "recipient", "campaign", "type"]),
    scope=st.sampled_from(["all", "one", "list"]),
    data=st.data(),
)
def test_every_report_read_equals_the_original(pair, kind, bounds, pick, scope, data):
    original, copy = pair
    report, _, unique = kind.partition("/")
    start, end = bounds
    mine_accounts, their_accounts = {
        "all": ("all", NAMES),
        "list": (NAMES, NAMES),
        "one": (NAMES[1], NAMES[1]),
    }[scope]
    options: dict = {"unique": True} if unique else {}
    sample = mm.read_events(report, start, end, accounts=their_accounts, session=original)
    if pick == "type" and report == "bounces":
        options["bounce_type"] = data.draw(st.sampled_from(["hard", "soft", "suppressed"]))
    elif pick != "none" and pick != "type" and len(sample):
        row = sample.iloc[data.draw(st.integers(0, len(sample) - 1))]
        if pick == "sender" and "sender" in sample:
            options["sender"] = row["sender"]
        elif pick == "domain":
            options["domain"] = row["domain"]
        elif pick == "recipient":
            options["recipients"] = row["email"]
        elif pick == "campaign" and scope == "one" and pd.notna(row.get("x_campaign")):
            # Only the sub-account reports on X-Campaign (the master refuses the filter).
            options["xheaders"] = {"X-Campaign": row["x_campaign"]}
    theirs = mm.read_events(
        report, start, end, accounts=their_accounts, session=original, **options
    )
    mine = mm.read_events(report, start, end, accounts=mine_accounts, session=copy, **options)
    _same(mine, theirs)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from([*KINDS, "opens/unique"]), first=st.integers(0, 3), days=st.integers(1, 4)
)
def test_every_count_equals_its_list(pair, kind, first, days):
    _original, copy = pair
    report, _, unique = kind.partition("/")
    options = {"unique": True} if unique else {}
    start = INNER + pd.Timedelta(days=first)
    end = min(start + pd.Timedelta(days=days), INNER + pd.Timedelta(days=4))
    listed = mm.read_events(report, start, end, accounts="all", session=copy, **options)
    counts = mm.read_event_counts(report, start, end, accounts="all", session=copy, **options)
    assert int(counts["count"].sum()) == len(listed)
    per_account = listed.groupby("account", observed=False).size()
    summed = counts.groupby("account", observed=False)["count"].sum()
    assert per_account.to_dict() == {k: int(v) for k, v in summed.items()}


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=st.integers(0, 900), length=st.integers(1, 900))
def test_suppressions_read_and_count_as_the_original(pair, a, length):
    original, copy = pair
    start = pd.Timestamp("2024-06-01", tz="UTC") + pd.Timedelta(days=a)
    end = start + pd.Timedelta(days=length)
    theirs = mm.read_suppressions(start, end, accounts=NAMES, session=original)
    mine = mm.read_suppressions(start, end, accounts="all", session=copy)
    _same(mine, theirs)
    counted = mm.count_suppressions(start, end, accounts="all", session=copy)
    assert int(counted.sum()) == len(mine)
