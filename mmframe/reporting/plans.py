"""The report's charts, planned: what each draws and in which colours, before any is drawn.

Each account has one colour in every chart (its place in the report's account order), so a
reader who learnt the suppressions chart's colours reads the bounce-rate chart by them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import charts
from .evidence import Evidence
from .finding import BOUNCE_RATE_LINE

#: A chart to draw: its file name, its title, and what draws it on an Axes.
Plan = tuple[str, str, Callable[[Any], object]]


def palette(accounts: list[str]) -> dict[str, str]:
    """Each account's colour: matplotlib's cycle, in the report's account order."""
    return {account: f"C{i % 10}" for i, account in enumerate(accounts)}


def chart_plans(evidence: Evidence) -> list[Plan]:
    """The suppressions per day by account; each account's bounce rate; and the complaint
    rates of the domains over the limit (when a finding has them)."""
    colors = palette(evidence.accounts)
    plans: list[Plan] = [
        (
            "trend_by_account",
            f"Suppressions per day, by account, {evidence.start:%Y-%m-%d} to "
            f"{evidence.end:%Y-%m-%d}",
            lambda ax: charts.plot_suppression_trend(
                evidence.counts, by="account", as_of=evidence.as_of, colors=colors, ax=ax
            ),
        )
    ]
    return plans + _rate_plans(evidence, colors)


def _rate_plans(evidence: Evidence, colors: dict[str, str]) -> list[Plan]:
    """Each account's bounce rate, and the complaint rates of the domains over the limit
    (one colour per account and domain); each title names what it draws."""
    rates = evidence.rates
    if rates.empty:
        return []
    unit = {"MS": "month", "W-MON": "week"}.get(evidence.freq, "period")
    mine = rates[rates["by"] == "account"]
    plans: list[Plan] = [
        (
            "bounce_rates",
            f"Bounce rate per {unit}, by account (line: {BOUNCE_RATE_LINE:.0%})",
            lambda ax: charts.plot_rates(
                mine, metric="bounce_rate", by="account", colors=colors, ax=ax
            ),
        )
    ]
    over = sorted({f.account for f in evidence.findings if f.kind == "complaints"})
    shown = rates[(rates["by"] == "domain") & rates["account"].isin(over)]
    if not len(shown):
        return plans
    one = len(over) == 1
    series = shown["group"] if one else shown["account"].astype(str) + " " + shown["group"]
    shown = shown.assign(series=series)
    who = f"{over[0]}, by recipient domain" if one else "by account and recipient domain"
    plans.append(
        (
            "complaint_rates",
            f"Complaint rate per {unit}, {who}",
            lambda ax: charts.plot_rates(shown, by="series", ax=ax),
        )
    )
    return plans
