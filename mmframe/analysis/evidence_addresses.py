"""The addresses of evidence frames as exports spell them, read as the address they hold.

Evidence is often built by hand beside the loaders' frames: a CRM's opt-outs, a complaint
report's export. They write ``<s48@yahoo.com>``, ``Jane Doe <s48@yahoo.com>``,
``mailto:s48@yahoo.com`` or ``s48@yahoo.com.``; matched as written, such a row matched no
suppression, and the person who opted out was judged ``reactivate`` with no word
(twenty-fifth review, S1). Each evidence row's address is read as the one address it holds;
a row holding none is named in an :class:`~mmframe.errors.EvidenceWarning`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..addresses import is_address
from ..errors import EvidenceWarning, warn

#: The one address a written form holds: after a display name's ``<``, a ``mailto:``,
#: before a ``>`` and trailing punctuation.
_HELD = r"^(?:[^<]*<)?\s*(?:mailto:)?\s*([^<>\s]+?)\s*>?[.,;:]*\s*$"
#: What a written form wrapping an address has: a bracket, a space, a scheme, a trailing
#: stop or comma.
_WRAPPING = r"[<>\s]|^mailto:|[.,;:]$|^[^@]*$"
#: How many unreadable rows a warning names.
NAMED = 5


def _an_address(value: object) -> bool:
    return isinstance(value, str) and is_address(value)


def _wrapped(column: pd.Series) -> np.ndarray:
    """Which of ``column``'s values may wrap an address (or are missing): only these are
    read closely (a whole history's 250,000 rows checked one by one cost a judging half a
    second; pandas' own regex search over them, a fifth)."""
    try:
        text = pa.array(column, type=pa.string(), from_pandas=True)  # no copy of arrow text
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # values that are not text: as text
        text = pa.array(column.astype(str), type=pa.string())
    found = pc.match_substring_regex(text, _WRAPPING).fill_null(True)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def as_held(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``frames`` with each evidence frame's (all but ``suppressions``) ``email`` read as
    the address it holds where it is not one as written; a warning names the rows where
    none is held (they can match no suppression)."""
    out = dict(frames)
    unread: list[str] = []
    for name, frame in frames.items():
        if name == "suppressions" or "email" not in frame.columns or not len(frame):
            continue
        column = frame["email"]
        wrapped = _wrapped(column)
        if not wrapped.any():
            continue
        written = column[wrapped].astype(str).str.strip()
        valid = written.map(_an_address).astype(bool)
        if valid.all():
            continue
        held = written[~valid].str.extract(_HELD, expand=False).fillna("")
        readable = held.map(_an_address).astype(bool)
        if readable.any():
            emails = column.astype(object).copy()
            emails[readable[readable].index] = held[readable]
            out[name] = frame.assign(email=emails)
        bad = written[~valid][~readable]
        if len(bad):
            shown = ", ".join(repr(v) for v in bad.head(NAMED))
            more = f" (+{len(bad) - NAMED:,} more)" if len(bad) > NAMED else ""
            unread.append(f"{len(bad):,} of {name} ({shown}{more})")
    if unread:
        warn(
            EvidenceWarning(
                "remediation_candidates: evidence rows whose address is no address, so they "
                f"match no suppression: {'; '.join(unread)}. A person they stand for is judged "
                "as if they had not complained or opted out: correct the addresses and judge "
                "again"
            )
        )
    return out
