"""The first stop of a write: what it acts on (the frame's kind, its key column) and which
of its rows must not be sent (vectorised), before any write request.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from .. import schema
from ..addresses import check
from ..client import Session, resolve
from ..errors import InvalidRowsError
from .model import Options, RowResult, Rows, Write, result_frame

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


def validate(frame: pd.DataFrame, write: Write, options: Options) -> Rows:
    """The frame's rows with the invalid and duplicate ones settled as ``skipped``.

    Raises ``TypeError``, ``KeyError`` or ``ValueError`` for a frame ``write`` cannot take,
    and :class:`InvalidRowsError` for invalid rows with ``on_invalid="raise"``.
    """
    options.check()
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a DataFrame, not {type(frame).__name__}")
    require_columns(frame, [write.key])
    if not frame.index.is_unique:
        raise ValueError("the frame's index must be unique (one result row per input row)")
    result = result_frame(frame)  # first: it refuses colliding columns, before any read
    rows = Rows(frame, write, options, resolve(options.session), result)
    rows.settle(_invalid_rows(frame, write, options, rows.session))
    return rows


def _skip_invalid(frame: pd.DataFrame, write: Write, options: Options) -> dict[Hashable, RowResult]:
    problems = row_problems(frame, write.key, addresses=True)  # every key is an address
    if write.check is not None:
        problems = pd.concat([problems, write.check(frame)], ignore_index=True)
    bad = problems[problems["problem"] != "duplicate"]
    if len(bad) and options.on_invalid == "raise":
        raise InvalidRowsError(failure_message(bad), problems.reset_index(drop=True))
    return {
        row: RowResult("skipped", str(why))
        for row, why in zip(problems["index"], problems["detail"], strict=True)
    }


def _invalid_rows(
    frame: pd.DataFrame, write: Write, options: Options, session: Session
) -> dict[Hashable, RowResult]:
    """Rows not to send: invalid or duplicate ones, and those only a read can tell."""
    skipped = _skip_invalid(frame, write, options)
    todo = [row for row in frame.index if row not in skipped]
    if write.prepare is None or not todo:
        return skipped
    late = write.prepare(session, frame.loc[todo])
    if len(late) and options.on_invalid == "raise":
        raise InvalidRowsError(failure_message(late), late.reset_index(drop=True))
    for row, why in zip(late["index"], late["detail"], strict=True):
        skipped[row] = RowResult("skipped", str(why))
    return skipped


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


#: What ``activate`` says of an events frame, by report: what its rows are, the way out.
EVENTS_SAID = {
    "complaints": "its rows are people who reported spam: they asked not to be mailed, and "
    "putting them back is not a fix",
    "bounces": "its rows are bounces, not suppressions: judge them first, "
    "remediation_candidates(suppressions, bounces=..., complaints=..., opt_outs=...), and "
    'activate the judged frame\'s rows whose verdict is "reactivate"',
}


def events_kind(frame: object) -> str | None:
    """The report an events frame (``read_complaints``, ``read_bounces`` ...), or a write
    result made from one, was read from; None for any other frame."""
    if not isinstance(frame, pd.DataFrame):
        return None
    found = schema.kind_of(frame)
    if found == "write_result":
        meta = frame.attrs.get(schema.ATTRS_KEY, {})
        found = meta.get("of") if isinstance(meta, dict) else None
    if isinstance(found, str) and found.startswith("events:"):
        return found.split(":", 1)[1]
    return None


def refuse_events(frame: object) -> None:
    """``ValueError``, before any request, for an events frame given to ``activate``,
    whatever ``kind=`` says: it is refused as what it is."""
    report = events_kind(frame)
    if report is None:
        return
    said = EVENTS_SAID.get(
        report, "its rows are events, not suppressions or recipients: read_suppressions gives "
        "the rows to put back, and remediation_candidates judges them"
    )  # fmt: skip
    raise ValueError(
        f"activate: this is a {report} frame (its attrs say events:{report}), whatever kind= "
        f"says: {said}. Nothing was sent"
    )


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
        said = schema.kind_of(frame)
        if said is not None:  # attrs of a kind no write takes: say so, not "no attrs"
            raise ValueError(
                f"{write}() works on {' or '.join(accepts)} frames, not this one (its attrs "
                f"say {said!r}): pass kind= only if the frame really holds {' or '.join(accepts)}"
            )
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
            if column in frame.index.names:  # frame.set_index("email"): W-21c
                hints.append(f"{column!r} (it is in the index: frame.reset_index())")
                continue
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
        text = _lower(owners.iloc[fine]) + "\x1f" + text
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
