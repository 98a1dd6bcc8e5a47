"""The thirteenth review, R5: a complaint finding's summary led with X-Campaign c at 100%,
its title and table with domain yahoo.com at 1.98% (a reader clicking the 100% campaign
landed on a finding titled after the domain); its body said the one period at yahoo.com
twice, once "over the limit", once "over the line"; and the verdict table right-aligned
its text column "cause"."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from mmframe.reporting import Evidence
from mmframe.reporting.rate_findings import bounce_rate_finding, complaint_finding
from mmframe.reporting.render import table
from tests.report.review13_history import NEWS, PROMO, report

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Evidence, Path]:
    return report(tmp_path_factory.mktemp("review13"))


def test_title_summary_and_table_name_one_lead_group(made) -> None:
    evidence, _path = made
    found = [f for f in evidence.findings if f.kind == "complaints"]
    assert sorted(f.account for f in found) == [NEWS, PROMO]
    for f in found:
        assert f.summary.startswith(f"{f.account}: complaint rate up to 100.00% at X-Campaign c")
        assert f.title == f"Complaints over the limit: {f.account}, X-Campaign c", f.title
        assert [name for name, _t in f.tables] == ["Periods over the limit: X-Campaign c"]
        assert list(f.tables[0][1]["rate"]) == ["100.00%"]
        # The body's groups: the lead first, as the title names it.
        assert f.said[1].startswith("At X-Campaign c: 1 period over the limit"), f.said


def test_one_period_is_said_once_and_the_limit_is_the_limit(made) -> None:
    evidence, _path = made
    for f in (f for f in evidence.findings if f.kind == "complaints"):
        said = " ".join(f.said)
        assert "over the line" not in said, said
        assert said.count("5 complaints over 253 delivered (1.98%)") == 1, said
        assert said.count("5 complaints over 5 delivered (100.00%)") == 1, said


def test_the_complaints_read_are_the_lead_groups_not_said_of_it_again(made) -> None:
    evidence, _path = made
    f = next(f for f in evidence.findings if f.kind == "complaints" and f.account == NEWS)
    said = " ".join(f.said)
    assert "Of the 5 complaints at X-Campaign c from 2026-05-01 to 2026-05-31 inclusive" in said
    assert "were about mail with X-Campaign c" not in said, said  # what the group is
    assert "values=['c']" in (f.code or "") and "by='X-Campaign'" in (f.code or "")
    # The code reads the complaints the words count: the campaign's, not the account's.
    assert "said = said[said['x_campaign'] == 'c']" in (f.code or ""), f.code


def _periods(groups: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    start = pd.Timestamp("2026-10-01", tz="UTC")
    return pd.DataFrame(
        [{"account": NEWS, "by": by, "group": group, "start": start,
          "end": start + pd.Timedelta(days=31), "sent": mail, "delivered": mail - n,
          "complaints": 0, "hard_bounces": n, "soft_bounces": 0, "is_complete": True,
          "span": "period", "complaint_rate": 0.0, "bounce_rate": n / mail}
         for by, group, n, mail in groups]
    )  # fmt: skip


def test_the_bounce_finding_names_one_lead_group_too() -> None:
    periods = _periods([("domain", "gmail.com", 51, 100), ("X-Campaign", "bf-2026", 57, 91)])
    found = bounce_rate_finding(NEWS, periods, pd.DataFrame())
    assert found.summary.startswith(f"{NEWS}: bounce rate up to 62.6% at X-Campaign bf-2026")
    assert found.title.endswith(f"{NEWS}, X-Campaign bf-2026"), found.title
    assert [name for name, _t in found.tables] == ["Periods over the line: X-Campaign bf-2026"]
    assert found.said[0].startswith("At X-Campaign bf-2026:"), found.said
    assert "57 hard and 0 soft bounces at X-Campaign bf-2026" in " ".join(found.said)


def test_equal_rates_lead_with_the_most_specific_group() -> None:
    none = pd.DataFrame({"complained_at": pd.Series(dtype="datetime64[ns, UTC]")})
    periods = _periods([("X-Campaign", "c", 0, 100), ("domain", "yahoo.com", 0, 100)])
    periods = periods.assign(complaints=5, delivered=100, complaint_rate=0.05)
    found = complaint_finding(NEWS, periods, none, scope=None)
    assert found.title.endswith("domain yahoo.com") and "at domain yahoo.com" in found.summary


def test_text_columns_align_left_figures_right(made) -> None:
    frame = pd.DataFrame(
        {"verdict": ["keep", "review"], "cause": ["who reported spam", "unread"],
         "rows": ["1,234", "5"], "rate": ["1.98%", "-"]}
    )  # fmt: skip
    assert table(frame)["text"] == [True, True, False, False]
    _evidence, path = made
    page = path.read_text(encoding="utf-8")
    assert re.search(r"td\.left[^{]*\{[^}]*text-align:left", page), "no rule for text columns"
    cells = re.findall(r'<td data-label="([^"]+)"([^>]*)>(.*?)</td>', page)
    period = [attrs for label, attrs, _v in cells if label == "period"]
    rate = [attrs for label, attrs, _v in cells if label == "rate"]
    assert period and all("left" in a for a in period), period
    assert rate and not any("left" in a for a in rate), rate
    heads = [unescape(h) for h in re.findall(r'<th class="left">([^<]+)</th>', page)]
    assert "period" in heads and "rate" not in heads, heads
