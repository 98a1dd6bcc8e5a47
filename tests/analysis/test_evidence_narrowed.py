"""Evidence filtered after its read is said (twelfth review, A2-1): a loader's frame kept its
record through a filter (``allc[allc.complained_at >= "2026-06-01"]``, or
``allc[allc.account != "promo@..."]``), so the record vouched for rows the frame no
longer held, and the complainers it dropped were put back without a word. The loaders
record how many rows each account's read returned; a frame holding fewer is named in an
:class:`mmframe.EvidenceWarning` ("N of M rows read"), one that grew or was reordered is
not."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.emulator import Emulator

pytestmark = pytest.mark.invariants

ACCOUNT = "news@example.com"
OTHER = "promo@example.org"
TIMES = {"bounces": "bounced_at", "complaints": "complained_at", "opt_outs": "suppressed_at"}
Read = tuple[pd.DataFrame, dict[str, pd.DataFrame], list[str]]


@pytest.fixture(scope="module")
def read(demo_emulator: Emulator) -> Iterator[Read]:
    """The storm day's rows and every evidence frame, read from the first on every account
    (bounces triaged once: the verdicts take triaged bounces as they are), and the keys."""
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        every = {"accounts": "all", "session": session}
        rows = mm.read_suppressions("2026-06-09", "2026-06-10", accounts=[ACCOUNT], session=session)
        evidence = {
            "bounces": mm.triage(mm.read_bounces(None, None, **every)),
            "complaints": mm.read_complaints(None, None, **every),
            "opt_outs": mm.read_suppressions(None, None, **every),
        }
        keys = [key for _name, key in session.account_keys().values()]
        yield rows, evidence, keys


def _judged(rows: pd.DataFrame, evidence: dict[str, pd.DataFrame]) -> tuple[list[str], bool]:
    """The warnings' texts of judging ``rows`` on ``evidence``, and whether any row is
    judged reactivate (else none is warned of)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        judged = mm.remediation_candidates(rows, **evidence)
    texts = [str(w.message) for w in caught if issubclass(w.category, mm.EvidenceWarning)]
    return texts, bool((judged["verdict"] == "reactivate").any())


def _judge(rows: pd.DataFrame, evidence: dict[str, pd.DataFrame]) -> list[str]:
    """The warnings' texts of judging ``rows`` on ``evidence``, some rows put back."""
    texts, back = _judged(rows, evidence)
    assert back
    return texts


def test_evidence_as_read_is_not_warned_of(read):
    rows, evidence, _keys = read
    assert _judge(rows, evidence) == []


def test_complaints_filtered_by_time_are_said_per_account(read):
    # The review's case: the record still said start None, every account.
    rows, evidence, _keys = read
    allc = evidence["complaints"]
    recent = allc[allc["complained_at"] >= "2026-06-01"]
    (message,) = _judge(rows, {**evidence, "complaints": recent})
    assert "complaints narrowed after its read" in message, message
    for account, read_n in allc["account"].astype(str).value_counts().items():
        held = int((recent["account"].astype(str) == account).sum())
        if held < read_n:
            assert f"{account}: {held:,} of {read_n:,} rows read" in message, message


def test_an_account_filtered_out_of_the_complaints_is_named(read):
    rows, evidence, _keys = read
    allc = evidence["complaints"]
    without = allc[allc["account"].astype(str) != OTHER]
    n = int((allc["account"].astype(str) == OTHER).sum())
    (message,) = _judge(rows, {**evidence, "complaints": without})
    assert f"{OTHER}: 0 of {n:,} rows read" in message, message
    assert ACCOUNT + ":" not in message, message  # its rows are all there


def test_a_frame_that_grew_or_was_reordered_is_not_called_narrowed(read):
    rows, evidence, _keys = read
    allc = evidence["complaints"]
    twice = pd.concat([allc, allc], ignore_index=True)  # identical attrs: pandas keeps them
    assert twice.attrs == allc.attrs
    shuffled = evidence["opt_outs"].sample(frac=1.0, random_state=3)
    assert _judge(rows, {**evidence, "complaints": twice, "opt_outs": shuffled}) == []


def test_the_record_holds_no_key(read):
    _rows, evidence, keys = read
    for frame in evidence.values():
        text = json.dumps(frame.attrs)
        assert "rows" in frame.attrs["mmframe"], frame.attrs
        assert not [key for key in keys if key in text]


def _filtered(frame: pd.DataFrame, name: str, how: tuple[str, int]) -> pd.DataFrame:
    """``frame`` cut, grown or reordered as ``how`` says (``(kind, seed)``)."""
    kind, seed = how
    if kind == "accounts":  # some accounts' rows dropped (none, maybe)
        names = sorted(frame["account"].astype(str).unique())
        drop = [n for i, n in enumerate(names) if seed >> i & 1]
        return frame[~frame["account"].astype(str).isin(drop)]
    if kind == "time":  # from a moment among its own (the first: nothing dropped)
        at = frame[TIMES[name]].sort_values().iloc[seed % len(frame)]
        return frame[frame[TIMES[name]] >= at]
    if kind == "rows":  # a few rows dropped at random (none, maybe)
        drop = frame.sample(n=seed % 4, random_state=seed).index
        return frame.drop(index=drop)
    if kind == "grow":
        return pd.concat([frame, frame.iloc[: seed % 50]], ignore_index=True)
    return frame.sample(frac=1.0, random_state=seed)  # reordered


hows = st.tuples(st.sampled_from(["none", "accounts", "time", "rows", "grow", "shuffle"]),
                 st.integers(0, 10_000))  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(how=st.fixed_dictionaries({name: hows for name in TIMES}))
def test_warned_exactly_when_an_evidence_frame_lost_rows(read, how):
    rows, evidence, _keys = read
    cut = {n: f if how[n][0] == "none" else _filtered(f, n, how[n]) for n, f in evidence.items()}
    lost = {
        n: {
            str(a): (int(c), int(before))
            for a, before in evidence[n]["account"].astype(str).value_counts().items()
            if (c := (cut[n]["account"].astype(str) == a).sum()) < before
        }
        for n in TIMES
    }
    messages, back = _judged(rows, cut)  # the day's own bounces dropped: none goes back
    if not any(lost.values()) or not back:
        assert messages == []
        return
    (message,) = messages
    for name, accounts in lost.items():
        assert (f"{name} narrowed after its read" in message) == bool(accounts), message
        for account, (held, before) in accounts.items():
            assert f"{account}: {held:,} of {before:,} rows read" in message, message


def test_a_cut_vouched_for_keeps_the_reads_coverage_and_is_not_counted(read):
    # What the report does with another account's bounces: it keeps those of the day's
    # addresses only, every one of them, and says so (vouch) rather than copying attrs.
    from mmframe.analysis.evidence_gaps import cut, vouch

    rows, evidence, _keys = read
    bounces = evidence["bounces"]
    kept = bounces[bounces["email"].isin(rows["email"])].reset_index(drop=True)
    kept.attrs = {}
    assert cut(bounces[bounces.index % 2 == 0])  # a filter is counted
    vouched = vouch(kept, bounces)
    assert not cut(vouched) and "rows" not in vouched.attrs["mmframe"]
    assert {k: v for k, v in bounces.attrs["mmframe"].items() if k != "rows"} == (
        vouched.attrs["mmframe"]
    )
    assert _judge(rows, {**evidence, "bounces": vouched}) == []
