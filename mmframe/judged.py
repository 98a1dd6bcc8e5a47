"""The rows :func:`mmframe.remediation_candidates` held back, remembered in the frame's
attrs: a frame derived from a judged one (columns selected, ``verdict`` dropped, rows
filtered, the index reset) is still refused by :func:`mmframe.activate` for them.

pandas carries ``attrs`` through selection, filtering, copies and ``reset_index``, deep
copying them at each step: the record is one JSON text in ``attrs["mmframe"]["judged"]``
(a string is copied for nothing), holding only the rows judged other than ``reactivate``,
each by its account and address (trimmed, without case, as the API compares them), under
its verdict. It names no key, session or secret.
"""

from __future__ import annotations

import json

import pandas as pd

from . import schema

#: Where in ``attrs["mmframe"]`` the record is kept.
FIELD = "judged"
#: The verdict let through by default; every other is recorded.
CLEARED = "reactivate"
#: Which verdict an address held under several is refused by: the strongest, last here
#: (one that is no verdict, which nothing lets through, after them).
_ORDER = ("review", "keep")


def _keys(frame: pd.DataFrame, by_account: bool) -> pd.Series:
    """Each row's address (and account), trimmed and without case."""
    email = frame["email"].astype(str).str.strip().str.lower()
    if not by_account:
        return email
    return frame["account"].astype(str).str.strip().str.lower() + "\x00" + email


def _said(column: pd.Series) -> pd.Series:
    """Each verdict trimmed and lower-cased; ``"none"`` where it is missing or no text."""
    return column.astype(object).map(lambda v: v.strip().lower() if isinstance(v, str) else "none")


def remember(frame: pd.DataFrame) -> None:
    """Record in ``frame.attrs`` which of its rows its ``verdict`` column holds back (every
    verdict but ``reactivate``), replacing any earlier record. The attrs dict is made anew:
    the suppressions frame judged may share it."""
    by_account = "account" in frame.columns
    keys, said = _keys(frame, by_account), _said(frame["verdict"])
    held = said != CLEARED
    record = {
        "by_account": by_account,
        "held": {str(v): keys[held & (said == v)].unique().tolist() for v in said[held].unique()},
    }
    meta = frame.attrs.get(schema.ATTRS_KEY)
    frame.attrs = {
        **frame.attrs,
        schema.ATTRS_KEY: {**(meta if isinstance(meta, dict) else {}), FIELD: json.dumps(record)},
    }


def recorded(frame: pd.DataFrame) -> pd.Series | None:
    """Each row's verdict as the record in its attrs holds it (None for a row it clears),
    or None for a frame with no record. A frame without ``account`` is matched by address
    alone, the strongest verdict of the address on any account.

    Raises
    ------
    ValueError
        A record that cannot be read (it was not made here).
    """
    meta = frame.attrs.get(schema.ATTRS_KEY)
    text = meta.get(FIELD) if isinstance(meta, dict) else None
    if text is None or "email" not in frame.columns:
        return None
    try:
        record = json.loads(text)
        by_account, held = bool(record["by_account"]), dict(record["held"])
    except (TypeError, ValueError, KeyError) as exc:
        raise ValueError(
            f'attrs["mmframe"]["{FIELD}"] is not a record remediation_candidates made: '
            "judge the rows again, or drop it from attrs"
        ) from exc
    exact = by_account and "account" in frame.columns
    found: dict[str, str] = {}
    for verdict in sorted(held, key=lambda v: _ORDER.index(v) if v in _ORDER else len(_ORDER)):
        for key in held[verdict]:  # the strongest last, so it wins
            found[key if exact else str(key).rsplit("\x00", 1)[-1]] = str(verdict)
    return _keys(frame, exact).map(found).astype(object).where(lambda s: s.notna(), None)
