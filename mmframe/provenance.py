"""What a loader's frame records of its read (``attrs["mmframe"]``, written by
:func:`mmframe.schema.stamp`), read back where rows must be matched to their account: the
accounts named, and a one-way fingerprint of the key and server that read it (a frame read
for "this key's own account" is that key's account's, not whoever writes it)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pandas as pd

from .schema import ATTRS_KEY

if TYPE_CHECKING:
    from .client import Session

#: Hashed before the server and the key: the fingerprint is mmframe's attrs' own, never the
#: key nor a plain hash of it that another tool's could match.
LABEL = "mmframe frame reader\x1f"
FIELD = "reader"


def fingerprint(session: Session) -> str:
    """A one-way fingerprint of ``session``'s server and key (16 hex of SHA-256)."""
    url, key = session.credentials()
    return hashlib.sha256(f"{LABEL}{url.rstrip('/')}\x1f{key}".encode()).hexdigest()[:16]


def confirmed_name(session: Session) -> str | None:
    """``session``'s account name (lower-cased) where the API confirms it: read from a
    master's account list, or a master's ``username=`` that list names as the master. None
    for a sub-account key's ``username=``, the user's word (the API tells such a key no
    name), and a name not known yet. No request: whatever was learned so far."""
    name = session.username
    if not name:
        return None
    if session.listed:
        return str(name).lower()
    master = session.directory.master
    if not session.sub_key and master and master.lower() == str(name).lower():
        return str(name).lower()
    return None


def named_otherwise(session: Session) -> str | None:
    """Why ``session``'s ``username=`` cannot be taken as its key's account (None: it can):
    a sub-account key's (the user's word), or a master's its own list names otherwise.
    Asks which accounts the key sees, once per session."""
    if not session.username or session.listed:
        return None
    if session.sees() is None:
        return "the API tells a sub-account key no username, so that name is the user's word"
    master = session.directory.master
    if master and master.lower() != str(session.username).lower():
        return f"the master's account list names this key's account {master}"
    return None


def read_with(data: pd.DataFrame, session: Session) -> pd.DataFrame:
    """Record in ``data``'s attrs which key (a fingerprint) read it; ``data`` returned."""
    meta = data.attrs.get(ATTRS_KEY)
    if isinstance(meta, dict):
        meta[FIELD] = fingerprint(session)
    return data


def reader_of(data: pd.DataFrame) -> str | None:
    """The fingerprint of the key that read ``data`` (None: no record)."""
    meta = data.attrs.get(ATTRS_KEY)
    said = meta.get(FIELD) if isinstance(meta, dict) else None
    return said if isinstance(said, str) else None


def worded(data: pd.DataFrame) -> bool:
    """Whether ``data`` was read with a sub-account key whose account name the API did not
    confirm: its ``account`` column is then the user's ``username=``, not the API's."""
    meta = data.attrs.get(ATTRS_KEY)
    return isinstance(meta, dict) and meta.get("sub_key") is True and not meta.get("own")


def own_of(data: pd.DataFrame) -> str | None:
    """The account a frame read for its key's own account was read for, where a master's
    account list named it (a master's own, or one its session reached by name); None:
    not recorded, or a sub-account key's ``username=``, the user's word."""
    meta = data.attrs.get(ATTRS_KEY)
    own = meta.get("own") if isinstance(meta, dict) and meta.get("accounts") is None else None
    return own if isinstance(own, str) and own else None


def accounts_read(data: pd.DataFrame) -> list[str]:
    """The accounts a loader's frame was read for, as its attrs record them ([]: no record,
    or the session's own account): where rows without an ``account`` column belong, since
    pandas keeps attrs through a selection such as ``frame[["email"]]``."""
    meta = data.attrs.get(ATTRS_KEY)
    names = meta.get("accounts") if isinstance(meta, dict) else None
    return [n for n in names if isinstance(n, str) and n] if isinstance(names, list) else []
