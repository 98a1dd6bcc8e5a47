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


def _complaining(domains: dict[str, list[str]]) -> SimpleNamespace:
    """Three accounts' charts where the accounts of ``domains`` have a complaint finding,
    each domain of theirs over the limit once (issue 33, eighth review, 9)."""
    evidence = _many(3)
    starts = pd.DatetimeIndex(["2026-04-01", "2026-05-01"], tz="UTC")
    rows = [
        {"account": account, "by": "domain", "group": domain, "start": start,
         "end": start + pd.DateOffset(months=1), "sent": 1000, "delivered": 1000,
         "complaints": 9 - j if i == 1 else 1, "is_complete": True, "whole": True}
        for account, names in domains.items()
        for j, domain in enumerate(names)
        for i, start in enumerate(starts)
    ]  # fmt: skip
    rates = pd.DataFrame(rows)
    rates["complaint_rate"] = rates["complaints"] / rates["delivered"]
    rates["above_limit"] = rates["complaint_rate"] >= 0.003
    evidence.rates = pd.concat([evidence.rates, rates], ignore_index=True)
    evidence.findings = [SimpleNamespace(kind="complaints", account=a) for a in domains]
    return evidence


def _drawn_colours(evidence) -> dict[str, dict[str, str]]:
    """Each chart's legend entries of data (not its lines, dots or hatching), by label:
    their colours."""
    out: dict[str, dict[str, str]] = {}
    for name, _title, draw in chart_plans(evidence):
        ax = Figure().subplots()
        draw(ax)
        out[name] = {
            str(line.get_label()): to_hex(line.get_color())
            for line in ax.get_lines()
            if not str(line.get_label()).startswith("_") and "%" not in str(line.get_label())
        }
    return out


@pytest.mark.parametrize("accounts", [1, 2], ids=["one account", "two accounts"])
def test_the_complaint_chart_draws_each_account_in_shades_of_its_own_colour(accounts):
    # The review's rep2: alpha orange and beta green in the other charts, then blue "beta
    # outlook.com", orange "beta yahoo.com", green "alpha yahoo.com"; "beta gmail.com" and
    # "other" the same grey.
    from matplotlib.colors import rgb_to_hsv, to_rgb

    names = _many(3).accounts
    domains = {names[1]: ["outlook.com", "yahoo.com", "gmail.com", "web.de", "proton.me"]}
    if accounts == 2:
        domains[names[2]] = ["yahoo.com", "gmail.com", "proton.me", "example.net"]
    drawn = _drawn_colours(_complaining(domains))
    own = {a: drawn["bounce_rates"][a] for a in names if a in drawn["bounce_rates"]}
    assert own == {a: drawn["trend_by_account"][a] for a in own}  # one colour, two charts
    complaints = drawn["complaint_rates"]
    assert len(complaints) >= 5
    for label, colour in complaints.items():
        if label == "other":
            continue
        account = next(a for a in domains if label.startswith(a) or accounts == 1)
        hue, saturation, _value = rgb_to_hsv(to_rgb(colour))
        mine = rgb_to_hsv(to_rgb(own[account]))
        assert saturation > 0.1 and abs(hue - mine[0]) < 0.02, (label, colour, own[account])
    # No two entries of a legend share a colour ("other"'s grey included).
    for chart, colours in drawn.items():
        assert len(set(colours.values())) == len(colours), (chart, colours)


def test_an_accounts_domains_are_told_apart_by_their_markers_too():
    names = _many(3).accounts
    evidence = _complaining({names[1]: ["outlook.com", "yahoo.com", "gmail.com"]})
    (draw,) = [d for n, _t, d in chart_plans(evidence) if n == "complaint_rates"]
    ax = Figure().subplots()
    draw(ax)
    marks = {
        str(line.get_label()): line.get_marker()
        for line in ax.get_lines()
        if str(line.get_label()) in ("outlook.com", "yahoo.com", "gmail.com")
    }
    assert len(marks) == 3 and len(set(marks.values())) == 3, marks
    assert not {"o", ".", "None", "", None} & set(marks.values()), marks  # the dots are "o"
