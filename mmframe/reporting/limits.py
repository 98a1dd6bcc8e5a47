"""What the report could not judge, in words: a quiet page must not read as a clean one.

A range too short for a usual day leaves spikes unjudged; more bounces than messages sent
(or complaints than deliveries) means part of them are about mail sent before the range,
so no rate can be computed from it. Each is said, with the figures, where the report would
otherwise say "nothing wrong".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..charts import SPIKE_WINDOW, least_days
from .numbers import count, duration

if TYPE_CHECKING:
    from .evidence import Evidence


def unjudged(evidence: Evidence) -> list[str]:
    """Sentences on what could not be judged in ``evidence``'s range ([] when all could)."""
    said: list[str] = []
    least = least_days(SPIKE_WINDOW)
    if evidence.end - evidence.start < pd.Timedelta(days=least):
        said.append(
            f"The range is too short to judge spikes: a usual day is measured over at least "
            f"{count(least)} days of data, and this range is "
            f"{duration(evidence.start, evidence.end)}."
        )
    rates = evidence.rates
    if rates.empty:
        return said
    mine = rates[rates["by"] == "account"]
    counted = ["sent", "delivered", "hard_bounces", "soft_bounces", "complaints"]
    totals = mine.groupby("account", observed=True)[counted].sum(min_count=1).fillna(0)
    for account, row in totals.iterrows():
        bounced = int(row["hard_bounces"] + row["soft_bounces"])
        said += _unrated(str(account), bounced, int(row["sent"]), "bounces", "sent", "bounce")
        said += _unrated(
            str(account), int(row["complaints"]), int(row["delivered"]), "complaints",
            "delivered", "complaint",
        )  # fmt: skip
    return said


def _unrated(account: str, top: int, bottom: int, what: str, over: str, rate: str) -> list[str]:
    if top <= bottom:
        return []
    return [
        f"{account}: {count(top)} {what} against {count(bottom)} messages {over} in this "
        f"range: some of them are about mail sent before it, so the {rate} rate could not be "
        "computed (a wider range rates it)."
    ]
