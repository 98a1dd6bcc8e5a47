"""Each account keeps one colour in every chart of the report."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import mmframe as mm
from mmframe import demo
from mmframe.emulator import Emulator
from mmframe.reporting import build
from mmframe.reporting.plans import chart_plans


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> mm.reporting.Evidence:
    """The demo's evidence: five accounts, a suppressions chart and a bounce-rate chart."""
    out: Path = tmp_path_factory.mktemp("demo")
    emulator = Emulator("demo", port=0)
    with emulator, mm.Session(emulator.url, emulator.master_apikey) as session:
        made, _path = build(session, out, demo.START, demo.END, as_of=demo.END, progress=False)
    return made


def test_an_account_has_one_colour_in_every_chart(evidence) -> None:
    seen: dict[str, set[str]] = {}
    drawn = 0
    for _name, _title, draw in chart_plans(evidence):
        ax = Figure().subplots()
        draw(ax)
        for line in ax.get_lines():
            label = str(line.get_label())
            if label in evidence.accounts:
                seen.setdefault(label, set()).add(to_hex(line.get_color()))
                drawn += 1
    assert len(seen) == len(evidence.accounts) and drawn >= 2 * len(seen)
    assert all(len(colours) == 1 for colours in seen.values()), seen
    assert len({c for colours in seen.values() for c in colours}) == len(seen)  # one each


def _many(n: int = 32) -> SimpleNamespace:
    """What the report's charts read of n accounts: the heaviest by suppressions are not the
    heaviest by mail, so the two charts draw different accounts (issue 33.8: 30+ accounts)."""
    days = pd.date_range("2026-04-01", "2026-06-01", freq="D", inclusive="left", tz="UTC")
    accounts = ["admin@example.com"] + [
        f"brand{i:02d}@brand{i:02d}.example.com" for i in range(1, n)
    ]
    counts = pd.concat(
        pd.DataFrame(
            {
                "count": pd.array([1 + i % 7] * len(days), dtype="Int64"),
                "end": days + pd.Timedelta(days=1),
                "is_complete": True,
                "account": name,
            },
            index=pd.Index(days, name="start"),
        )
        for i, name in enumerate(accounts)
    )
    counts["account"] = counts["account"].astype("category")
    starts = pd.DatetimeIndex(["2026-04-01", "2026-05-01"], tz="UTC")
    rates = pd.DataFrame(
        [
            {"account": name, "by": "account", "group": name, "start": start,
             "end": start + pd.DateOffset(months=1), "sent": 1000 * (n - i),
             "bounce_rate": 0.001 * (i % 5), "is_complete": True}
            for i, name in enumerate(accounts)
            for start in starts
        ]
    )  # fmt: skip
    return SimpleNamespace(
        accounts=accounts, counts=counts, rates=rates, freq="MS", findings=[],
        start=days[0], end=days[-1] + pd.Timedelta(days=1),
        as_of=pd.Timestamp("2026-06-01", tz="UTC"),
    )  # fmt: skip


def test_with_thirty_accounts_every_account_drawn_has_a_colour_of_its_own():
    # Issue 33.8: with 30+ accounts, admin@example.com and "other" shared a colour, and so
    # did two brands (a palette of 10 for 32 accounts).
    evidence = _many()
    seen: dict[str, set[str]] = {}
    for _name, _title, draw in chart_plans(evidence):
        ax = Figure().subplots()
        draw(ax)
        for line in ax.get_lines():
            label = str(line.get_label())
            if not label.startswith("_") and "%" not in label:
                seen.setdefault(label, set()).add(to_hex(line.get_color()))
    assert "other" in seen and len(seen) > 10  # both charts, more accounts than 10 colours
    assert all(len(colours) == 1 for colours in seen.values()), seen
    owners: dict[str, list[str]] = {}
    for label, colours in seen.items():
        owners.setdefault(next(iter(colours)), []).append(label)
    assert [names for names in owners.values() if len(names) > 1] == []


def test_the_charts_spell_a_percentage_as_the_text_does():
    # Issue 33, taste: legends said "0.1 %" and "2 %" beside text saying "0.1%" and "2%".
    evidence = _many(3)
    evidence.rates["complaint_rate"] = 0.004
    for _name, title, draw in chart_plans(evidence):
        ax = Figure().subplots()
        draw(ax)
        labels = [str(line.get_label()) for line in ax.get_lines()]
        assert not [t for t in [title, *labels] if " %" in t], (title, labels)
        assert "rate" not in title or any("%" in label for label in labels)


def test_an_account_with_no_mail_and_no_suppressions_takes_no_legend_entry():
    # Issue 33, taste: a master account with no mail in the range filled legend entries.
    evidence = _many(4)
    idle = evidence.accounts[0]
    evidence.counts.loc[evidence.counts["account"] == idle, "count"] = 0
    evidence.rates.loc[evidence.rates["account"] == idle, ["sent", "bounce_rate"]] = [0, None]
    drawn = 0
    for _name, _title, draw in chart_plans(evidence):
        ax = Figure().subplots()
        draw(ax)
        labels = [str(line.get_label()) for line in ax.get_lines()]
        assert idle not in labels
        drawn += sum(label in evidence.accounts for label in labels)
    assert drawn == 2 * 3  # the others, in both charts
