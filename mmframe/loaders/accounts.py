"""Accounts and their X-header names as frames."""

from __future__ import annotations

from typing import Unpack

import pandas as pd

from .. import schema
from ..client import resolve
from ..options import AccountOptions, SessionOptions, takes
from ..progress import bar
from ..redact import hint
from .common import chosen, targets


@takes(SessionOptions)
def read_accounts(**options: Unpack[SessionOptions]) -> pd.DataFrame:
    """Every account of the master key, one row each (the master included).

    API keys never reach the frame: ``apikey_hint`` holds only their last four characters
    (the session keeps the keys, for :meth:`~mmframe.Session.for_account`).
    ``attrs["mmframe"]["emailcap"]`` holds the master's email cap.

    Parameters
    ----------
    **options
        ``session`` and ``progress`` (:class:`mmframe.options.SessionOptions`, where each
        is declared with its type, default and meaning).

    Returns
    -------
    pandas.DataFrame
        One row per account: ``username``, the account's fields (``company_name``,
        ``timezone``, ``track_opens``, ...) and ``apikey_hint``.

    Raises
    ------
    mmframe.errors.InvalidAPIKey
        When the session's key is not a master key.

    See Also
    --------
    upsert_accounts, read_xheaders, rotate_apikey
    """
    session = resolve(options.get("session"))
    with bar("accounts", progress=options.get("progress")) as shown:
        listing = session.list_accounts(progress=shown)
    masked = [{**row, "apikey": hint(str(row.get("apikey", "")))} for row in listing.rows]
    data = schema.stamp(schema.frame(masked, schema.ACCOUNTS), "accounts")
    cap = listing.extra.get("emailcap")
    data.attrs[schema.ATTRS_KEY]["emailcap"] = int(str(cap)) if str(cap).isdigit() else cap
    return data


@takes(AccountOptions)
def read_xheaders(**options: Unpack[AccountOptions]) -> pd.DataFrame:
    """The four custom X-header names of each account: ``account``, ``xheader1..4``.

    Parameters
    ----------
    **options
        ``accounts``, ``session`` and ``progress`` (:class:`mmframe.options.AccountOptions`,
        where each is declared with its type, default and meaning).

    Returns
    -------
    pandas.DataFrame
        ``account`` and ``xheader1`` .. ``xheader4`` (an unset name is empty).

    See Also
    --------
    set_xheaders, read_accounts
    """
    session = resolve(options.get("session"))
    readers = targets(session, chosen(session, options.get("accounts")))  # "all": now
    with bar("x-headers", total=len(readers), progress=options.get("progress")) as shown:
        rows = session.map(
            lambda item: item[1].get("accounts/xheaders"), readers, each=lambda: shown.update(1)
        )
    data = schema.frame(rows, schema.XHEADERS)
    labels = [name for name, _ in readers]  # None: a key whose username is not known
    data.insert(0, "account", pd.Series(labels, index=data.index, dtype=schema.TEXT))
    return schema.stamp(data, "xheaders", accounts=[str(n) for n in labels if n])
