"""Accounts and their X-header names as frames."""

from __future__ import annotations

import pandas as pd

from .. import schema
from ..client import Session, resolve
from ..paging import fetch_all_pages
from ..progress import bar
from ..redact import hint
from .common import Accounts, targets


def read_accounts(*, session: Session | None = None, progress: bool | None = None) -> pd.DataFrame:
    """Every account of the master key, one row each (the master included).

    API keys never reach the frame: ``apikey_hint`` holds only their last four characters
    (the session keeps the keys, for :meth:`~mmframe.client.Session.for_account`).
    ``attrs["mmframe"]["emailcap"]`` holds the master's email cap.

    Raises
    ------
    mmframe.errors.InvalidAPIKey
        When the session's key is not a master key.
    """
    session = resolve(session)
    with bar("accounts", progress=progress) as shown:
        listing = fetch_all_pages(session, "accounts", "accounts", 25, progress=shown)
    session.remember_accounts(listing.rows)
    masked = [{**row, "apikey": hint(str(row.get("apikey", "")))} for row in listing.rows]
    data = schema.stamp(schema.frame(masked, schema.ACCOUNTS), "accounts")
    cap = listing.extra.get("emailcap")
    data.attrs[schema.ATTRS_KEY]["emailcap"] = int(str(cap)) if str(cap).isdigit() else cap
    return data


def read_xheaders(
    accounts: Accounts = None, *, session: Session | None = None, progress: bool | None = None
) -> pd.DataFrame:
    """The four custom X-header names of each account: ``account``, ``xheader1..4``."""
    session = resolve(session)
    readers = targets(session, accounts)
    with bar("x-headers", total=len(readers), progress=progress) as shown:
        found = {}
        for (name, _reader), data in session.map_unordered(
            lambda item: item[1].get("accounts/xheaders"), readers
        ):
            found[name] = data
            shown.update(1)
    rows = [found[name] for name, _ in readers]
    data = schema.frame(rows, schema.XHEADERS)
    labels = [name for name, _ in readers]  # None: a key whose username is not known
    data.insert(0, "account", pd.Series(labels, index=data.index, dtype=schema.TEXT))
    return schema.stamp(data, "xheaders", accounts=[str(n) for n in labels if n])
