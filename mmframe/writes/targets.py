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
KEY = {
    "suppressions": "email",
    "recipients": "email",
    "senders": "email",
    "accounts": "username",
    "xheaders": "account",
}
#: ``failure_cases`` columns: ``problem`` is a reason code, ``detail`` says it in words.
FAILURE_COLUMNS = ["index", "column", "value", "problem", "detail"]


class InvalidRowsError(ValueError):
    """Rows that must not reach the server; ``failure_cases`` has one row per problem.

    ``failure_cases`` columns: ``index`` (the row's label), ``column``, ``value``,
    ``problem`` (a reason code: ``missing``, ``invalid_address``, ``missing_account``,
    ``invalid_value``, ``required_on_create``, ``duplicate``) and ``detail`` (in words).
    """

    def __init__(self, message: str, failure_cases: pd.DataFrame) -> None:
        super().__init__(message)
        self.failure_cases = failure_cases

    def __reduce__(self) -> tuple[type[InvalidRowsError], tuple[str, pd.DataFrame]]:
        return type(self), (str(self), self.failure_cases)  # pickles with its frame


def failure_message(bad: pd.DataFrame) -> str:
    """One line naming up to ten offending rows of a ``failure_cases`` frame."""
    shown = "; ".join(
        f"row {r.index!r}: {r.column} {r.value!r}: {r.detail}" for r in bad.head(10).itertuples()
    )
    more = f" (+{len(bad) - 10} more)" if len(bad) > 10 else ""
    return f"{len(bad)} row(s) cannot be written: {shown}{more}"


def kind_of(frame: pd.DataFrame, kind: str | None = None) -> str | None:
    """The frame's resource kind: ``kind=``, else attrs, else columns; None if unknown.

    A write result remembers the kind of the frame it was made from.
    """
    if kind is not None:
        if kind not in KEY:
            raise ValueError(f"kind must be one of {sorted(KEY)}, not {kind!r}")
        return kind
    found = schema.kind_of(frame)
    if found == "write_result":
        meta = frame.attrs.get(schema.ATTRS_KEY, {})
        found = meta.get("of") if isinstance(meta, dict) else None
    if found in KEY:
        return found
    for name, columns in SIGNATURES.items():
        if all(c in frame.columns for c in columns):
            return name
    return None


def require_kind(
    frame: object,
    kind: str | None,
    accepts: Sequence[str],
    write: str,
    *,
    unknown_ok: bool = False,
) -> str | None:
    """The frame's kind if ``write`` accepts it; ``ValueError`` before any request if not.

    ``unknown_ok``: a frame whose kind cannot be told (say, a plain ``email`` column) is
    taken as it is; otherwise ``kind=`` must say.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{write}() takes a DataFrame, not {type(frame).__name__}")
    found = kind_of(frame, kind)
    if found is None and unknown_ok:
        return None
    if found is None:
        raise ValueError(
            f"{write}() cannot tell what this frame holds (no mmframe attrs, no telling "
            f"columns): pass kind= one of {list(accepts)}"
        )
    if found not in accepts:
        raise ValueError(
            f"{write}() works on {' or '.join(accepts)} frames, not {found}: "
            f"pass kind= if the frame really holds {' or '.join(accepts)}"
        )
    return found


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
    """One row per problem (:data:`FAILURE_COLUMNS`): missing, invalid, duplicate keys.

    Keys compare case-insensitively within an account; the first row of a key is the one
    written, the later ones are ``duplicate``.
    """
    cases = []
    seen: dict[tuple[str, str], object] = {}
    accounts = frame["account"] if "account" in frame.columns else None
    for position, (index, value) in enumerate(frame[key].items()):
        code, why = None, None
        if not _present(value):
            code, why = "missing", "missing value"
        elif addresses and (why := problem(value)) is not None:
            code = "invalid_address"
        if code is None and accounts is not None and not _present(accounts.iloc[position]):
            code, why = "missing_account", "missing account"
        if code is None:
            owner = str(accounts.iloc[position]).lower() if accounts is not None else ""
            first = seen.setdefault((owner, str(value).lower()), index)
            if first != index:
                code, why = "duplicate", f"duplicate of row {first!r}"
        if code is not None:
            cases.append(
                {"index": index, "column": key, "value": value, "problem": code, "detail": why}
            )
    return pd.DataFrame(cases, columns=FAILURE_COLUMNS)


def _present(value: object) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and pd.isna(value))
        and (value is not pd.NA and str(value).strip() != "")
    )
