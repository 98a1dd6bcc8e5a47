"""The report's charts, planned: what each draws and in which colours, before any is drawn.

Each account has one colour in every chart (its place in the report's account order), so a
reader who learnt the suppressions chart's colours reads the bounce-rate chart by them, and
the complaint chart by account and domain too: there an account's domains are shades of its
colour, each with a marker of its own (issue 33, eighth review, 9: the complaint chart took
matplotlib's colours afresh, blue and orange for beta's domains beside orange alpha, and grey
for one of them, as for "other").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .. import charts
from .chart_notes import drawn_by_name, folded_words, hidden_under, unjudged_over
from .counting import active
from .evidence import Evidence
from .finding import BOUNCE_RATE_LINE
from .numbers import domain_shown, span
from .rate_scale import scale_to_judged

#: A chart to draw: its file name, its title, and what draws it on an Axes.
Plan = tuple[str, str, Callable[[Any], object]]


#: Account colours: matplotlib's ten and their light twins, greys left out ("other" is
#: grey; reference lines and spike marks are black). Two charts of eight accounts each
#: draw at most 16 accounts, so each account drawn has a colour no other account has.
COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2",
    "#dbdb8d", "#9edae5",
)  # fmt: skip
#: The colour of the accounts folded into "other".
OTHER_COLOUR = "#7f7f7f"
#: Accounts a chart draws by name (the rest fold into "other" or are left out, as titled).
TOP = 8


def palette(accounts: list[str], drawn: set[str] | None = None) -> dict[str, str]:
    """Each drawn account's colour (all of ``accounts`` when None), in the report's account
    order, and grey for "other"; raises when more are drawn than there are colours."""
    shown = [a for a in accounts if drawn is None or a in drawn]
    if len(shown) > len(COLOURS):
        raise ValueError(f"{len(shown)} accounts drawn, {len(COLOURS)} colours")
    return {charts.OTHER: OTHER_COLOUR} | dict(zip(shown, COLOURS, strict=False))


def _drawn(counts: pd.DataFrame, mine: pd.DataFrame, over: list[str]) -> set[str]:
    """The accounts the suppressions chart or the bounce-rate chart draws by name, and those
    the complaint chart draws (``over``: their domains, in shades of their colour)."""
    drawn = set(charts.trend_groups(counts, by="account", top=TOP)) | set(over)
    if len(mine):
        drawn |= set(charts.rate_groups(mine, by="account", top=TOP, metric="bounce_rate"))
    return drawn


#: What tells an account's domains apart in the complaint chart besides their shade: a
#: hollow marker at each period's start (the dots over the limit are filled circles).
MARKERS = ("s", "^", "D", "v", "P", "X", "<", ">")
#: Each domain's shade of its account's colour, in turn: toward black (-) or white (+); a
#: light colour is only darkened (lightened, it would fade to grey).
SHADES = (0.0, -0.35, 0.4, -0.55, 0.6, -0.2, 0.25, -0.7)
DARKER = (0.0, -0.2, -0.35, -0.45, -0.55, -0.62, -0.7, -0.78)


def shade(colour: str, amount: float) -> str:
    """``colour`` mixed toward black (``amount`` < 0) or white (> 0) by ``|amount|``: the
    same hue, so the reader still sees the account's colour."""
    from matplotlib.colors import to_hex, to_rgb

    rgb = np.asarray(to_rgb(colour))
    target = 1.0 if amount > 0 else 0.0
    red, green, blue = (float(v) for v in rgb + (target - rgb) * abs(amount))
    return str(to_hex((red, green, blue)))


def _styles(shown: pd.DataFrame, colors: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The complaint chart's colour and marker of each series it draws by name: the k-th
    domain of an account drawn in the k-th shade of the account's colour, with the k-th
    marker; "other" grey."""
    from matplotlib.colors import to_rgb

    drawn = charts.rate_groups(shown, by="series", top=TOP)
    account = shown.drop_duplicates("series").set_index("series")["account"].astype(str)
    seen: dict[str, int] = {}
    styles, markers = {charts.OTHER: OTHER_COLOUR}, {}
    for series in drawn:
        owner = account[series]
        k = seen[owner] = seen.get(owner, -1) + 1
        base = colors.get(owner, OTHER_COLOUR)
        steps = DARKER if sum(to_rgb(base)) / 3 > 0.7 else SHADES
        styles[series] = shade(base, steps[k % len(steps)])
        markers[series] = MARKERS[k % len(MARKERS)]
    return styles, markers


def _active(evidence: Evidence) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The daily counts and the accounts' rates of the accounts the charts draw
    (:func:`.counting.active`)."""
    return active(evidence.counts, evidence.rates)


def chart_plans(evidence: Evidence) -> list[Plan]:
    """The suppressions per day by account; each account's bounce rate; and the complaint
    rates of the domains over the limit (when a finding has them)."""
    counts, mine = _active(evidence)
    over, _shown = _complaint_series(evidence)
    colors = palette(evidence.accounts, _drawn(counts, mine, over))
    plans: list[Plan] = [
        (
            "trend_by_account",
            # The range as the page's line says it: its last day included, or its end not.
            "Suppressions per day, by account, "
            + span(evidence.start, evidence.end).removeprefix("from "),
            lambda ax: charts.plot_suppression_trend(
                counts, by="account", as_of=evidence.as_of, colors=colors, ax=ax
            ),
        )
    ]
    if _none_suppressed(counts):  # an empty chart, its axis made up (said instead)
        plans = []
    return plans + _rate_plans(evidence, mine, colors)


def _none_suppressed(counts: pd.DataFrame) -> bool:
    return not len(counts) or int(counts["count"].fillna(0).sum()) == 0


def charts_left_out(evidence: Evidence) -> list[str]:
    """What the page says in place of a chart it does not draw: the suppressions chart of a
    range with none (drawn, it was empty over 2025 to 2029, its axis from -0.04 to 0.04)."""
    if not _none_suppressed(evidence.counts):
        return []
    return [f"No suppressions {span(evidence.start, evidence.end)}: no chart of them."]


def _per(evidence: Evidence, rates: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """A rate chart's period in its title's words, and the rates it draws: "per week", or,
    where the range lies in one period, the range itself ("on 2026-11-01"), its one period
    drawn as the whole range it is (a one-day range was "per week", hatched as a partial
    week)."""
    if rates["start"].nunique() != 1:
        unit = {"MS": "month", "W-MON": "week"}.get(evidence.freq, "period")
        return f" per {unit}", rates
    return " " + span(evidence.start, evidence.end), rates.assign(whole=True)


def _rate_plans(evidence: Evidence, mine: pd.DataFrame, colors: dict[str, str]) -> list[Plan]:
    """Each account's bounce rate, and the complaint rates of the domains over the limit
    (one colour per account and domain); each title names what it draws."""
    rates = evidence.rates
    if rates.empty:
        return []
    per, rated = _per(evidence, bounce_rated(mine))
    plans: list[Plan] = (
        [
            (
                "bounce_rates",
                f"Bounce rate{per}, by account (line: {BOUNCE_RATE_LINE:.0%})",
                lambda ax: scale_to_judged(
                    charts.plot_rates(
                        rated, metric="bounce_rate", by="account", colors=colors, ax=ax
                    ),
                    rated,
                    by="account",
                    metric="bounce_rate",
                    colors=colors,
                ),
            )
        ]
        if len(rated)
        else []
    )
    over, shown = _complaint_series(evidence)
    if not len(shown):
        return plans
    one = len(over) == 1
    who = f"{over[0]}, by recipient domain" if one else "by account and recipient domain"
    styles, markers = _styles(shown, colors)
    per, shown = _per(evidence, shown)
    plans.append(
        (
            "complaint_rates",
            f"Complaint rate{per}, {who}",
            lambda ax: scale_to_judged(
                charts.plot_rates(shown, by="series", colors=styles, markers=markers, ax=ax),
                shown,
                by="series",
                metric="complaint_rate",
                colors=styles,
            ),
        )
    )
    return plans


def bounce_rated(mine: pd.DataFrame) -> pd.DataFrame:
    """The accounts' rates of those with a bounce rate in some period: an account that sent
    nothing has none to draw (its chart had no line, a 1970 axis and a legend entry; ninth
    review, F9)."""
    if not len(mine):
        return mine
    has = mine.groupby("account", observed=True)["bounce_rate"].apply(lambda r: r.notna().any())
    return mine[mine["account"].isin(has.index[has.astype(bool)])]  # no map of a category


def _complaint_series(evidence: Evidence) -> tuple[list[str], pd.DataFrame]:
    """The accounts with a complaint finding, and their domains' rates, one "series" a
    domain (prefixed with the account when there are two accounts or more)."""
    rates = evidence.rates
    over = sorted({f.account for f in evidence.findings if f.kind == "complaints"})
    if rates.empty:
        return over, rates
    shown = rates[(rates["by"] == "domain") & rates["account"].isin(over)]
    one = len(over) == 1
    domains = shown["group"].astype(str).map(domain_shown)  # bücher.de, not xn--bcher-kva.de
    series = domains if one else shown["account"].astype(str) + " " + domains
    return over, shown.assign(series=series)


def chart_notes(evidence: Evidence) -> dict[str, str]:
    """A sentence under a chart, by the chart's name: how the suppressions and bounce-rate
    charts chose the accounts they name, when they name fewer than they have; the periods
    the rate charts draw over their line that no finding judges (too few events), and the
    lines they draw there under another (equal rates)."""
    counts, mine = _active(evidence)
    rated = bounce_rated(mine)
    bounce_notes = [
        drawn_by_name(rated, by="account", metric="bounce_rate", top=TOP),
        unjudged_over(rated, by="account", top=TOP, metric="bounce_rate"),
        hidden_under(rated, by="account", top=TOP, metric="bounce_rate"),
    ] if len(rated) else []  # fmt: skip
    notes = {
        "trend_by_account": _trend_named(counts),
        "bounce_rates": " ".join(n for n in bounce_notes if n) or None,
    }
    _over, shown = _complaint_series(evidence)
    complaint_notes = (
        [unjudged_over(shown, by="series"), hidden_under(shown, by="series")] if len(shown) else []
    )
    notes["complaint_rates"] = " ".join(n for n in complaint_notes if n) or None
    return {name: said for name, said in notes.items() if said}


def _trend_named(counts: pd.DataFrame) -> str | None:
    """How the suppressions chart chose the accounts it names, when it folds some."""
    if not len(counts):
        return None
    named = charts.trend_groups(counts, by="account", top=TOP)
    folded = counts["account"].astype(str).nunique() - len(named)
    if folded <= 0:
        return None
    return f'Named: the {len(named)} with the most suppressions; {folded_words(folded)}, "other".'
