"""What a write acts on: the frame's kind, its key column, and per-row validation."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import schema
from ..addresses import check
from ..errors import MMError

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


class InvalidRowsError(MMError, ValueError):
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
    written, the later ones are ``duplicate``. Vectorised: addresses are checked once per
    distinct value (:func:`mmframe.addresses.check`), duplicates found by ``duplicated()``.
    """
    values = frame[key].reset_index(drop=True)
    code = np.full(len(values), None, dtype=object)
    detail = np.full(len(values), None, dtype=object)
    missing = ~_present(values).to_numpy(dtype=bool)
    code[missing], detail[missing] = "missing", "missing value"
    if addresses:
        reasons = check(values.where(~missing)).to_numpy(dtype=object)
        bad = ~missing & pd.notna(reasons)
        code[bad], detail[bad] = "invalid_address", reasons[bad]
    owners = frame["account"].reset_index(drop=True) if "account" in frame.columns else None
    if owners is not None:
        lost = pd.isna(code) & ~_present(owners).to_numpy(dtype=bool)
        code[lost], detail[lost] = "missing_account", "missing account"
    fine = np.flatnonzero(pd.isna(code))
    text = _lower(values.iloc[fine])
    if owners is not None:
        text = _lower(owners.iloc[fine]) + "\x00" + text
    repeat = text.duplicated(keep="first").to_numpy(dtype=bool)
    if repeat.any():
        first_of = dict(zip(text[~repeat], frame.index[fine[~repeat]], strict=True))
        again = fine[repeat]
        code[again] = "duplicate"
        detail[again] = [f"duplicate of row {first_of[t]!r}" for t in text[repeat]]
    rows = pd.notna(code)
    return pd.DataFrame(
        {
            "index": frame.index[rows],
            "column": key,
            # Kept as given (object): text UTF-8 cannot encode is what some rows hold.
            "value": pd.Series(values.to_numpy(dtype=object)[rows], dtype=object),
            "problem": code[rows],
            "detail": detail[rows],
        },
        columns=FAILURE_COLUMNS,
    )


def _arrow_text(values: pd.Series) -> pd.Series:
    """Values as pyarrow strings; one with a lone surrogate (which Arrow cannot hold) as
    :func:`mmframe.schema.utf8` reads it: present, distinct, and refused by the address
    check."""
    try:
        return values.astype("string[pyarrow]")
    except UnicodeEncodeError:  # rare: then value by value
        readable = values.map(lambda v: schema.utf8(v) if isinstance(v, str) else v)
        return readable.astype("string[pyarrow]")


def _lower(values: pd.Series) -> pd.Series:
    """Values as lower-cased text, vectorised (pyarrow strings)."""
    return _arrow_text(values).str.lower().reset_index(drop=True)


def _present(values: pd.Series) -> pd.Series:
    """Not missing: not None/NaN/NA, and not blank text."""
    filled = _arrow_text(values).str.strip().str.len().fillna(0) > 0
    return values.notna() & filled.to_numpy(dtype=bool)
