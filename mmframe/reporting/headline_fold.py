"""The headline's rows in the order a reader needs them: the accounts over a line first,
the worst of them first; past :data:`ALL_UP_TO` accounts, the first :data:`SHOWN` of those
rows, and the rest folded into one row that says what it holds. A master key that sees 33
accounts had the one 15 times over the complaint limit under 29 idle rows, and the summary
three screens down.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.rates import SPAM_RATE_TARGET
from .headline import Headline

#: Up to this many accounts, every row is shown; past it, :data:`SHOWN` and one folded row.
ALL_UP_TO = 6
#: The rows shown above the folded one: with the title, the range and the fold's own row,
#: what leaves a 1280 x 900 desktop the summary on its first screen.
SHOWN = 5
#: A rate's state, worst first; and what the fold says of the accounts whose worst it is.
RANK = {"over": 0, "watch": 1, "ok": 2, "few": 3, "none": 4}
SAID = {
    "over": "over a line",
    "watch": f"over the {SPAM_RATE_TARGET:.1%} aim",
    "ok": "under the lines",
    "few": "with too few events to judge",
    "none": "with no rate computable",
}


@dataclass(frozen=True)
class Fold:
    """The rows shown, the rows folded, and the folded row's words ("" when none)."""

    shown: list[Headline]
    folded: list[Headline]
    said: str


def worst(head: Headline) -> str:
    """The worst state of ``head``'s rates: an account with one rate over is "over"."""
    states = [f.state for f in head.figures if f.label.endswith("rate")]
    return min(states, key=RANK.__getitem__, default="none")


def worst_first(heads: list[Headline]) -> list[Headline]:
    """``heads`` with the accounts over a line first, then those over the aim, under the
    lines, with too few events to judge, and with no rate; within each, the highest rate
    against its line first."""
    return sorted(
        heads,
        key=lambda h: (RANK[worst(h)], -max((f.over_by for f in h.figures), default=0.0)),
    )


def fold(heads: list[Headline]) -> Fold:
    """The headline's rows, worst first; past :data:`ALL_UP_TO`, the rest folded."""
    ordered = worst_first(heads)
    if len(ordered) <= ALL_UP_TO:
        return Fold(ordered, [], "")
    shown, folded = ordered[:SHOWN], ordered[SHOWN:]
    counts = {state: sum(worst(h) == state for h in folded) for state in RANK}
    parts = [f"{n} {SAID[state]}" for state, n in counts.items() if n]
    return Fold(shown, folded, f"The {len(folded)} other accounts: {', '.join(parts)}")
