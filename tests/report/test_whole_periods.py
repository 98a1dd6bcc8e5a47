"""A period is whole only when the range covers it entirely (seventh review, D3): a week the
range's end cuts was labelled "whole" (3.5 days of 7) and a midnight start in mid-week gave
a "whole" first week of 3 days, while "rose 131%" and "the worst ..." compared them."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.dates import chunk_range, whole_periods
from mmframe.reporting import build
from mmframe.reporting.period_names import period_words
from mmframe.reporting.rate_findings import _periods, complaint_finding

ACCOUNT = "promo@example.org"
FIRST = pd.Timestamp("2026-01-01", tz="UTC")


def _truth(start: pd.Timestamp, end: pd.Timestamp, freq: str, as_of: pd.Timestamp) -> bool:
    """Whether ``[start, end)`` is a whole calendar week (Monday to Monday) or month, over
    by ``as_of``: read from pandas' calendar periods, not from the offsets the code uses."""
    period = pd.Period(start.tz_localize(None), "W-SUN" if freq == "W-MON" else "M")
    first = period.start_time.tz_localize("UTC")
    following = (period + 1).start_time.tz_localize("UTC")
    return start == first and end == following and end <= as_of


def _rates(start: pd.Timestamp, end: pd.Timestamp, freq: str, as_of: pd.Timestamp):
    """One domain's complaint rates over the range's periods, as the report marks them."""
    edges = chunk_range(start, end, freq)
    starts = pd.DatetimeIndex([a for a, _b in edges])
    ends = pd.DatetimeIndex([b for _a, b in edges])
    frame = pd.DataFrame(
        {"account": ACCOUNT, "by": "domain", "group": "hotmail.com", "start": starts,
         "end": ends, "sent": 1000, "delivered": 1000, "complaints": 10, "hard_bounces": 0,
         "soft_bounces": 0, "is_complete": pd.array(ends <= as_of, dtype="boolean"),
         "span": "period"}
    )  # fmt: skip
    frame["whole"] = whole_periods(frame["start"], frame["end"], freq) & (frame["end"] <= as_of)
    frame["complaint_rate"] = frame["complaints"] / frame["delivered"]
    frame["bounce_rate"] = 0.0
    return frame


@settings(max_examples=300, deadline=None)
@given(
    start=st.integers(0, 330 * 86400),
    length=st.integers(1, 150 * 86400),
    later=st.integers(-40 * 86400, 40 * 86400),
    freq=st.sampled_from(["W-MON", "MS"]),
    midnight=st.booleans(),
)
def test_a_period_is_labelled_whole_only_when_the_range_covers_it_entirely(
    start, length, later, freq, midnight
):
    lo = FIRST + pd.Timedelta(seconds=start)
    hi = lo + pd.Timedelta(seconds=length)
    if midnight:  # a range from midnight to midnight: the start and end on any weekday
        lo, hi = lo.floor("D"), hi.ceil("D")
    as_of = max(hi + pd.Timedelta(seconds=later), lo + pd.Timedelta(seconds=1))
    rates = _rates(lo, hi, freq, as_of)
    truth = [_truth(s, e, freq, as_of) for s, e in zip(rates["start"], rates["end"], strict=True)]
    table = _periods(rates, "complaint_rate")
    assert table["period"].tolist() == ["whole" if t else "partial" for t in truth]
    for (_i, row), t in zip(rates.iterrows(), truth, strict=True):
        assert period_words(row).endswith("(partial)") != t, (row["start"], row["end"], t)
    # The sentences comparing periods name the partial ones so.
    if len(rates) > 1:
        said = " ".join(complaint_finding(ACCOUNT, rates, pd.DataFrame(), scope=None).said)
        for label, row in ((t, r) for t, (_i, r) in zip(truth, rates.iterrows(), strict=True)):
            if f"in {period_words(row)}" in said:
                assert ("(partial)" in period_words(row)) != label


def test_the_end_cut_week_and_a_midnight_mid_week_start_are_partial_on_the_page(
    make_emulator, tmp_path: Path
):
    # r3: "2026-07-13 0.72% 18 2,493 whole" (3.5 days of 7) and "rose 131%" against it;
    # t11: "2026-05-01 100.00% 96 96 whole" for Friday to Monday.
    start, end = pd.Timestamp("2026-06-03", tz="UTC"), pd.Timestamp("2026-06-25T12:00", tz="UTC")
    sent, complaints = [], []
    for day in pd.date_range(start - pd.Timedelta(days=7), end, freq="D", inclusive="left"):
        for i in range(100):
            row = {"account": ACCOUNT, "email": f"r{day:%m%d}{i}@hotmail.com",
                   "domain": "hotmail.com", "sender": "news@example.org",
                   "sent_at": day + pd.Timedelta(hours=1, minutes=i)}  # fmt: skip
            sent.append(row)
            if i < 1 + (day - start).days // 7:  # a rising complaint rate, 1% to 4%
                complaints.append({**row, "complained_at": row["sent_at"] + pd.Timedelta(hours=1)})
    emulator = make_emulator("empty")
    emulator.replay(sent=pd.DataFrame(sent), complaints=pd.DataFrame(complaints))
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, _path = build(
            session, tmp_path, start, end, as_of=end + pd.Timedelta(days=30),
            accounts=[ACCOUNT], progress=False, stream=io.StringIO(),
        )  # fmt: skip
    (finding,) = [f for f in evidence.findings if f.kind == "complaints"]
    table = finding.tables[0][1]
    # 06-03 is a Wednesday: its week from midnight is 5 days; 06-22's is cut at 06-25 12:00.
    assert table["from"].tolist() == ["2026-06-03", "2026-06-08", "2026-06-15", "2026-06-22"]
    assert table["period"].tolist() == ["partial", "whole", "whole", "partial"]
    said = " ".join(finding.said)
    assert re.search(r"in the period from 2026-06-03 \(partial\), [\d.]+% in the period from "
                     r"2026-06-22 \(partial\)\.", said), said  # fmt: skip
    assert "the worst" in said and "2026-06-22 (partial)" in said
