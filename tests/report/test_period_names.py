"""A whole period has one name throughout the page: "November", "the week of 2026-11-23";
"the period from ... (partial)" only for one the range cuts or that is still running (tenth
review, F15: "the week from 2026-11-16" under the chart, "the period from 2026-11-23" for a
whole week in the finding, "November" beside "the period from 2026-11-01")."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

import mmframe as mm
from mmframe.reporting import build
from mmframe.reporting.breaches import outside_spikes, told_in_spikes
from mmframe.reporting.chart_notes import unjudged_over
from mmframe.reporting.finding import Finding
from mmframe.reporting.period_names import period_words
from mmframe.reporting.rate_findings import complaint_finding

ACCOUNT = "shop@acme.io"


def _t(when: str) -> pd.Timestamp:
    return pd.Timestamp(when, tz="UTC")


def _row(start: str, end: str, whole: bool | None = None) -> pd.Series:
    row = {"start": _t(start), "end": _t(end), "is_complete": True}
    return pd.Series(row if whole is None else {**row, "whole": whole})


def test_each_kind_of_period_has_one_name():
    assert period_words(_row("2026-11-01", "2026-12-01")) == "November"
    assert period_words(_row("2026-11-01", "2026-12-01"), years=True) == "November 2026"
    assert period_words(_row("2026-11-23", "2026-11-30")) == "the week of 2026-11-23"
    assert period_words(_row("2026-11-23", "2026-11-30", whole=False)) == (
        "the period from 2026-11-23 (partial)"
    )
    assert period_words(_row("2026-11-04", "2026-11-09")) == "the period from 2026-11-04 (partial)"
    assert period_words(_row("2026-12-01", "2026-12-02T12:00")) == (
        "the period from 2026-12-01 (partial)"
    )


def _weeks(complaints: list[int], *, domain: str = "gmail.com") -> pd.DataFrame:
    starts = pd.DatetimeIndex([_t("2026-11-03"), _t("2026-11-09"), _t("2026-11-16"),
                               _t("2026-11-23")])  # fmt: skip
    ends = pd.DatetimeIndex([*starts[1:], _t("2026-11-30")])
    frame = pd.DataFrame(
        {"account": ACCOUNT, "by": "domain", "group": domain, "start": starts, "end": ends,
         "sent": 1000, "delivered": 1000, "complaints": complaints, "hard_bounces": 0,
         "soft_bounces": 0, "is_complete": True, "span": "period",
         "whole": [False, True, True, True]}
    )  # fmt: skip
    frame["complaint_rate"] = frame["complaints"] / frame["delivered"]
    frame["bounce_rate"] = 0.0
    frame["above_limit"] = frame["complaint_rate"] >= 0.003
    return frame


def test_a_finding_and_a_chart_note_name_a_whole_week_alike():
    said = " ".join(complaint_finding(ACCOUNT, _weeks([9, 5, 6, 21]), pd.DataFrame(),
                                      scope=None).said)  # fmt: skip
    assert "the worst 2.10% in the week of 2026-11-23" in said, said
    assert "0.90% in the period from 2026-11-03 (partial), 2.10% in the week of 2026-11-23" in said
    assert not re.search(r"period from 2026-11-(09|16|23)", said), said
    note = unjudged_over(_weeks([0, 0, 4, 0]).assign(series="gmail.com"), by="series")
    assert note and "0.40% in the week of 2026-11-16" in note, note
    assert "week from" not in note, note


def test_a_spike_names_the_whole_period_holding_it_as_the_finding_does():
    spike = Finding(kind="spike", title="t", account=ACCOUNT, weight=1, summary="s",
                    day=_t("2026-11-25"))  # fmt: skip
    periods = _weeks([0, 0, 0, 0]).assign(bounce_rate=[0.0, 0.0, 0.0, 0.05])
    outside_spikes([spike], ACCOUNT, periods.iloc[3:])
    assert spike.said[0].startswith("In the week of 2026-11-23, which holds this spike"), spike
    marked = periods.iloc[2:].assign(spike=[pd.NaT, _t("2026-11-25")])
    (told,) = told_in_spikes(marked)
    assert told.startswith("The week of 2026-11-23, over the line at domain gmail.com"), told


def test_a_monthly_page_names_a_whole_month_by_its_name(make_emulator, tmp_path: Path):
    # r1 of the review: "seznam.cz (0.76% in November ...)" under the chart, "the worst
    # 0.66% in the period from 2026-11-01" in the finding, of one whole month.
    sent, complaints = [], []
    for day in pd.date_range("2026-09-01", "2026-12-01", freq="D", inclusive="left", tz="UTC"):
        for i in range(40):
            at = day + pd.Timedelta(hours=1, minutes=i)
            row = {"account": ACCOUNT, "email": f"r{day:%m%d}{i}@seznam.cz",
                   "domain": "seznam.cz", "sender": "news@acme.io", "sent_at": at}  # fmt: skip
            sent.append(row)
            if i < (1 if day.month == 11 else 0) and day.day % 3 == 0:
                complaints.append({**row, "complained_at": row["sent_at"] + pd.Timedelta(hours=1)})
    emulator = make_emulator("empty")
    emulator.replay(sent=pd.DataFrame(sent), complaints=pd.DataFrame(complaints))
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, _path = build(
            session, tmp_path, _t("2026-09-01"), _t("2026-12-01"), as_of=_t("2026-12-05"),
            accounts=[ACCOUNT], progress=False, stream=io.StringIO(),
        )  # fmt: skip
    (finding,) = [f for f in evidence.findings if f.kind == "complaints"]
    said = " ".join(finding.said)
    assert "in November" in said and "period from" not in said, said
