"""What a write acts on: the frame's kind, its key column, and per-row validation."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import pandas as pd

from .. import schema
from ..addresses import problem

#: Columns that identify each kind when attrs do not say.
SIGNATURES: dict[str, tuple[str, ...]] = {
    "suppressions": ("email", "suppressed_at"),
    "recipients": ("email", "suppression_status"),
    "accounts": ("username", "user_type"),
    "senders": ("email", "dkim_selector"),
}
KEY = {"suppressions": "email", "recipients": "email", "senders": "email", "accounts": "username"}


class InvalidRowsError(ValueError):
    """Rows that must not reach the server; ``failure_cases`` has one row per problem."""

    def __init__(self, message: str, failure_cases: pd.DataFrame) -> None:
        super().__init__(message)
        self.failure_cases = failure_cases


def kind_of(frame: pd.DataFrame, kind: str | None = None) -> str:
    """The frame's resource kind: ``kind=``, else attrs, else columns.

    Raises
    ------
    ValueError
        When the kind cannot be told (asks for ``kind=``).
    """
    if kind is not None:
        if kind not in KEY:
            raise ValueError(f"kind must be one of {sorted(KEY)}, not {kind!r}")
        return kind
    found = schema.kind_of(frame)
    if found in KEY:
        return found
    for name, columns in SIGNATURES.items():
        if all(c in frame.columns for c in columns):
            return name
    raise ValueError(
        "cannot tell what this frame holds (no mmframe attrs, no telling columns): "
        f"pass kind= one of {sorted(KEY)}"
    )


def require_columns(frame: pd.DataFrame, needed: Sequence[str]) -> None:
    """``KeyError`` listing missing columns, each with its closest matches."""
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        hints = []
        for column in missing:
            close = difflib.get_close_matches(column, [str(c) for c in frame.columns], n=3)
            hints.append(f"{column!r}" + (f" (did you mean {', '.join(close)}?)" if close else ""))
        raise KeyError(f"the frame lacks required column(s): {'; '.join(hints)}")


def row_problems(frame: pd.DataFrame, key: str, *, addresses: bool) -> pd.DataFrame:
    """One row per problem: index, column, value, problem (missing, invalid, duplicate)."""
    cases = []
    seen: dict[tuple[str, str], object] = {}
    accounts = frame["account"] if "account" in frame.columns else None
    for position, (index, value) in enumerate(frame[key].items()):
        why = problem(value) if addresses else (None if _present(value) else "missing value")
        if why is None and accounts is not None and not _present(accounts.iloc[position]):
            why = "missing account"
        if why is None:
            owner = str(accounts.iloc[position]).lower() if accounts is not None else ""
            first = seen.setdefault((owner, str(value).lower()), index)
            if first != index:
                why = f"duplicate of row {first!r}"
        if why is not None:
            cases.append({"index": index, "column": key, "value": value, "problem": why})
    return pd.DataFrame(cases, columns=["index", "column", "value", "problem"])


def _present(value: object) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and pd.isna(value))
        and (value is not pd.NA and str(value).strip() != "")
    )
