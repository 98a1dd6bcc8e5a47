"""The complaint finding's printed code reads the page's periods (issue 33, sixth review
defect 5): it read Sunday-anchored weeks (``freq="W"``) from midnight while the page's weeks
start on Monday (``W-MON``), its months on the 1st (``MS``), and a range may start mid-day:
a reader checking the page against the code could not find the page's numbers."""

from __future__ import annotations

import ast
import io
from dataclasses import replace

import pandas as pd
import pytest

import mmframe as mm
from mmframe.reporting import build
from mmframe.reporting.numbers import count, moment
from tests.report.generated import EPOCH, NEWS, history
from tests.report.generated import storm_plan as _plan
from tests.report.printed import run_printed

pytestmark = [pytest.mark.slow, pytest.mark.clock]


def _captured(code: str) -> str:
    """``code`` with each bare call statement kept in a variable (``_read_0`` ...): what
    the reader sees printed in a notebook cell, kept to compare; nothing else changes."""
    tree = ast.parse(code)
    for i, node in enumerate(tree.body):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            target = ast.Name(id=f"_read_{i}", ctx=ast.Store())
            tree.body[i] = ast.copy_location(ast.Assign(targets=[target], value=node.value), node)
    return ast.unparse(ast.fix_missing_locations(tree))


def _frames(names: dict[str, object]) -> list[pd.DataFrame]:
    """The rate frames the code read (a complaint count and a delivered count per period)."""
    return [
        v for v in names.values()
        if isinstance(v, pd.DataFrame) and {"start", "complaints", "delivered"} <= set(v.columns)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "unit"),
    [
        # 28 days from a Saturday at 10:30: Monday weeks, the first cut by the start.
        pytest.param(
            EPOCH + pd.Timedelta(days=20, hours=10, minutes=30),
            EPOCH + pd.Timedelta(days=48),
            "week",
            id="weeks-from-mid-day",
        ),
        # 70 days: months from the 1st.
        pytest.param(EPOCH, EPOCH + pd.Timedelta(days=70), "month", id="months"),
    ],
)
def test_the_complaint_findings_printed_code_reads_the_pages_periods_and_figures(
    make_emulator, tmp_path, start, end, unit
):
    account = replace(_plan().accounts[0], storms=(), complaints=0.06, days=72)
    plan = replace(_plan(), accounts=(account,))
    emulator = make_emulator("empty")
    emulator.replay(**history(plan).frames)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, _path = build(session, tmp_path, start, end, as_of=end, progress=False,
                                stream=io.StringIO())  # fmt: skip
    assert {"week": "W-MON", "month": "MS"}[unit] == evidence.freq
    found = [f for f in evidence.findings if f.kind == "complaints" and f.account == NEWS]
    assert found and found[0].code, [f.title for f in evidence.findings]
    finding = found[0]
    _title, table = finding.tables[0]
    assert (table["period"] != "the range").all(), table  # periods judged one by one

    names = run_printed(_captured(finding.code), emulator.url, emulator.master_apikey)
    frames = _frames(names)
    assert frames, finding.code
    rows = frames[0]  # the first read: the titled group's periods, as the page's table
    printed = pd.DataFrame(
        {
            "from": rows["start"].map(moment),
            "complaints": rows["complaints"].map(count),
            "delivered": rows["delivered"].map(count),
        }
    )
    page = table[["from", "complaints", "delivered"]]
    merged = page.merge(printed, on="from", how="left", suffixes=("", "_printed"))
    assert merged["complaints_printed"].notna().all(), (finding.code, page, printed)
    assert (merged["complaints"] == merged["complaints_printed"]).all(), (page, printed)
    assert (merged["delivered"] == merged["delivered_printed"]).all(), (page, printed)
    # Every period the code reads is one of the page's periods, Monday weeks or months.
    starts = rows["start"]
    if unit == "week":  # from the range's start moment, then on Mondays
        assert ((starts.dt.day_of_week == 0) | (starts == start)).all(), rows
    else:
        assert (starts.dt.day == 1).all(), rows


def test_a_finding_over_the_range_as_a_whole_prints_periods_whose_sum_is_the_table(
    make_emulator, tmp_path
):
    # The same defect where no period had the complaints to be judged alone: the table's
    # one row is the range as a whole, and the printed periods sum to it.
    account = replace(_plan().accounts[0], storms=(), complaints=0.012, days=72)
    plan = replace(_plan(), accounts=(account,))
    emulator = make_emulator("empty")
    emulator.replay(**history(plan).frames)
    start, end = EPOCH + pd.Timedelta(days=20, hours=10, minutes=30), EPOCH + pd.Timedelta(days=48)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        evidence, _path = build(session, tmp_path, start, end, as_of=end, progress=False,
                                stream=io.StringIO())  # fmt: skip
    found = [f for f in evidence.findings if f.kind == "complaints" and f.account == NEWS]
    assert found and found[0].code, [f.title for f in evidence.findings]
    table = found[0].tables[0][1]
    assert table["period"].tolist() == ["the range"], table
    assert "the table's range as a whole" in found[0].code, found[0].code
    rows = _frames(run_printed(_captured(found[0].code), emulator.url, emulator.master_apikey))[0]
    assert count(int(rows["complaints"].sum())) == table["complaints"].iloc[0], (rows, table)
    assert count(int(rows["delivered"].sum())) == table["delivered"].iloc[0], (rows, table)
    assert rows["start"].iloc[0] == start, rows  # from the page's moment, not midnight
