"""What triage takes as bounce texts: text, bytes or numbers, as Python text and then as
Arrow strings; ``TypeError`` naming the rows that hold anything else."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.types import is_scalar

from ..schema import utf8


def texts_of(values: pd.Series, column: str) -> pd.Series:
    """Bounce texts as text (bytes decoded, numbers written out; pandas strings as they
    are), missing kept;
    ``TypeError`` naming the rows that hold anything else (a dict, a list)."""
    if isinstance(values.dtype, pd.StringDtype):
        return values  # factorized as they are: several times faster than as objects
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("string", "empty"):
        return values.astype(object)
    # Built as object, not through Series.map: pandas would infer Arrow strings, which
    # cannot hold a lone surrogate (it is read as its byte later, by _arrow_texts).
    written = pd.Series(
        [v if is_scalar(v) and pd.isna(v) else _text(v) for v in values.astype(object)],
        index=values.index,
        dtype=object,
    )
    bad = pd.Series([v is _UNREADABLE for v in written], index=values.index, dtype=bool)
    if bad.any():
        rows = list(values.index[bad.to_numpy()][:5])
        raise TypeError(
            f"{column}: rows {rows} hold {type(values[bad].iloc[0]).__name__}, not a bounce "
            "text (text, bytes or a number)"
        )
    return written


_UNREADABLE = object()


def arrow_texts(texts: Iterable[str]) -> pa.Array:
    """Texts as Arrow strings; a lone surrogate (which Arrow cannot hold) read as the byte
    it stands for, as undecodable bytes are (:func:`mmframe.schema.utf8`)."""
    listed = list(texts)
    try:
        return pa.array(listed, pa.string())
    except UnicodeEncodeError:
        return pa.array([utf8(text) for text in listed], pa.string())


def _text(value: object) -> object:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return _UNREADABLE
