"""A period too small to judge does not scale a rate chart (tenth review, F13: one message
of tiny@acme.io, bounced, drew 100% and ran the bounce-rate axis to 100%, so the incident,
5.6%, was a 1 mm step on the 2% line): it is named under the chart, and where it is far
over the judged periods it is marked at the chart's top, off the scale; the complaint
chart is scaled the same way."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from mmframe.reporting.evidence import Evidence
from mmframe.reporting.finding import Finding
from mmframe.reporting.plans import chart_notes, chart_plans
from mmframe.reporting.rate_scale import OFF_SCALE

BUSY, TINY = "news@acme.io", "tiny@acme.io"
START, END = pd.Timestamp("2026-09-01", tz="UTC"), pd.Timestamp("2026-12-01", tz="UTC")
MONTHS = pd.date_range(START, END, freq="MS", inclusive="left")


def _row(account: str, by: str, group: str, start: pd.Timestamp, sent: int, bounced: int,
         complaints: int = 0) -> dict:  # fmt: skip
    delivered = sent - bounced
    rate = complaints / delivered if delivered else float("nan")
    return {"account": account, "by": by, "group": group, "start": start,
            "end": start + pd.offsets.MonthBegin(1), "sent": sent, "delivered": delivered,
            "complaints": complaints, "hard_bounces": bounced, "soft_bounces": 0,
            "bounce_rate": bounced / sent, "complaint_rate": rate,
            "above_limit": rate >= 0.003, "is_complete": True,
            "whole": True}  # fmt: skip


def _evidence(rows: list[dict], findings: list[Finding] | None = None) -> Evidence:
    rates = pd.DataFrame(rows)
    accounts = sorted(set(rates["account"]))
    days = pd.date_range(START, END, freq="D", inclusive="left")
    counts = pd.DataFrame(
        [{"account": a, "start": d, "count": 4 * (d == START)} for a in accounts for d in days]
    )
    evidence = Evidence(START, END, END, accounts, counts, pd.DataFrame(), rates, "MS")
    evidence.findings = findings or []
    return evidence


def _drawn(evidence: Evidence, name: str) -> tuple[float, list]:
    (draw,) = [d for n, _title, d in chart_plans(evidence) if n == name]
    ax = Figure().subplots()
    draw(ax)
    marks = [c for c in ax.collections if c.get_label() in (OFF_SCALE, "_off_scale")]
    return ax.get_ylim()[1], marks


def _bounces() -> Evidence:
    rows = [_row(BUSY, "account", BUSY, m, 4000, 60 if m.month < 11 else 224) for m in MONTHS]
    rows.append(_row(TINY, "account", TINY, MONTHS[-1], 1, 1))
    return _evidence(rows)


def test_a_one_message_account_does_not_scale_the_bounce_rate_chart():
    top, marks = _drawn(_bounces(), "bounce_rates")
    assert 0.056 < top < 0.1, top  # the incident, 5.6%, fills the chart
    assert len(marks) == 1, marks
    note = chart_notes(_bounces())["bounce_rates"]
    assert f"{TINY} (100.00% in November, 1 bounce)" in note, note
    assert "20 bounces or more" in note and "off the scale" in note, note


def test_a_period_close_to_the_judged_ones_is_drawn_to_scale():
    rows = [_row(BUSY, "account", BUSY, m, 4000, 224) for m in MONTHS]
    rows.append(_row(TINY, "account", TINY, MONTHS[-1], 100, 8))  # 8%: under twice 5.6%
    top, marks = _drawn(_evidence(rows), "bounce_rates")
    assert top > 0.08 and not marks, (top, marks)


def test_the_complaint_chart_is_scaled_alike():
    rows = [_row(BUSY, "account", BUSY, m, 10000, 0, 40) for m in MONTHS]
    rows += [_row(BUSY, "domain", "gmail.com", m, 10000, 0, 40) for m in MONTHS]
    rows.append(_row(BUSY, "domain", "tiny.example", MONTHS[-1], 10, 0, 1))  # 10%, 1 complaint
    found = Finding(kind="complaints", title="t", account=BUSY, weight=120, summary="s")
    evidence = _evidence(rows, [found])
    top, marks = _drawn(evidence, "complaint_rates")
    assert 0.004 < top < 0.01, top
    assert len(marks) == 1, marks
    note = chart_notes(evidence)["complaint_rates"]
    assert "tiny.example (10.00% in November, 1 complaint)" in note, note
    assert "off the scale" in note, note


def test_judged_periods_of_no_complaint_still_give_the_axis_its_lines():
    # The suite's earlier complainers: every judged period at 0%, one unjudged far over.
    rows = [_row(BUSY, "account", BUSY, m, 10000, 0, 0) for m in MONTHS]
    rows += [_row(BUSY, "domain", "gmail.com", m, 10000, 0, 0) for m in MONTHS]
    rows.append(_row(BUSY, "domain", "tiny.example", MONTHS[-1], 10, 0, 1))
    found = Finding(kind="complaints", title="t", account=BUSY, weight=1, summary="s")
    top, marks = _drawn(_evidence(rows, [found]), "complaint_rates")
    assert 0.003 < top < 0.004 and len(marks) == 1, (top, marks)
