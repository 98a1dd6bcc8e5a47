"""Of whose mail a complaint finding's complaints were: the sender or X-header value they
concentrate on, if one does (:mod:`.rate_findings` tells the rest)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..xheader_names import is_xheader, xheader_column
from .numbers import count, isolate, share


def identifiers(counts: pd.Series) -> bool:
    """Whether tallied values are identifiers (most seen once: a message id), not groups."""
    return len(counts) > counts.sum() / 2


def header_name(column: str, headers: Mapping[str, str]) -> str:
    """An X-header column as its header is named: as the accounts spell it, else rebuilt
    from the column (``x_campaign``: ``X-Campaign``); never the column's own name."""
    return headers.get(column) or "-".join(p.capitalize() for p in column.split("_"))


def own_column(by: str) -> str | None:
    """The complaints' column holding the lead group's values (``sender``, ``x_campaign``),
    if any: all of them have its value, which is not news."""
    if by == "sender":
        return "sender"
    return xheader_column(by) if is_xheader(by) else None


def who_complained(
    complaints: pd.DataFrame, headers: Mapping[str, str], basis: str, own: str | None = None
) -> list[str]:
    """Which sender and X-header values the complaints concentrate on, if any; ``basis``
    says which complaints were counted (``at domain x from A to B``); ``own``: the column
    of the group they were chosen by, not told (each of them has its value)."""
    if not len(complaints):
        return ["No complaint rows could be read for these periods: who sent the mail is unknown."]
    out: list[str] = []
    columns = ["sender", *[c for c in complaints.columns if c.startswith("x_")]]
    columns = [c for c in columns if c != own]
    for column in columns:
        values = complaints[column].dropna().astype(str)
        values = values[values != ""]
        if not len(values):
            continue
        counts = values.value_counts()
        if column != "sender" and identifiers(counts):
            continue
        first, n = isolate(counts.index[0]), int(counts.iloc[0])
        name = "sender" if column == "sender" else header_name(column, headers)
        # The basis once in full; after it, "those" complaints.
        the, whole = ("those", f"{count(len(complaints))} complaints") if out else ("the", "")
        whole = whole or f"{count(len(complaints))} complaints {basis}"
        if n / len(complaints) >= 0.5:
            out.append(
                f"Of {the} {whole}, {count(n)} ({share(n / len(complaints))}) were about "
                f"mail with {name} {first}."
            )
        else:
            out.append(
                f"{the.capitalize()} {whole} are spread over {count(len(counts))} values of "
                f"{name}; the largest, {first}, has {count(n)}: no single one explains them."
            )
    return out
