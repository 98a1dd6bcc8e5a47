"""What a loader's frame records of its read (``attrs["mmframe"]``, written by
:func:`mmframe.schema.stamp`), read back where rows must be matched to their account."""

from __future__ import annotations

import pandas as pd

from .schema import ATTRS_KEY


def accounts_read(data: pd.DataFrame) -> list[str]:
    """The accounts a loader's frame was read for, as its attrs record them ([]: no record,
    or the session's own account): where rows without an ``account`` column belong, since
    pandas keeps attrs through a selection such as ``frame[["email"]]``."""
    meta = data.attrs.get(ATTRS_KEY)
    names = meta.get("accounts") if isinstance(meta, dict) else None
    return [n for n in names if isinstance(n, str) and n] if isinstance(names, list) else []
