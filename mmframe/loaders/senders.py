"""Approved senders, optionally with details and readiness, as frames."""

from __future__ import annotations

from typing import Any, Unpack

import pandas as pd

from .. import schema
from ..client import Session, resolve
from ..listing import fetch_all_pages
from ..options import AccountOptions, takes
from ..progress import Bar, bar
from ..provenance import read_with
from .common import chosen, targets

_COLUMNS = schema.SENDERS
_DETAILED = schema.SENDERS + schema.SENDER_DETAILS


def _details(item: tuple[Session, str]) -> dict[str, Any]:
    session, email = item
    details = session.get("senders/details", emailaddress=email)
    status = session.get("senders/status", emailaddress=email)
    return {**details, "ready": status.get("ready")}


def _listed(reader: Session, shown: Bar) -> list[dict[str, Any]]:
    """One account's senders, page by page, as one part of the ``shown`` bar."""
    with bar("senders", progress=shown) as mine:
        return fetch_all_pages(reader, "senders", "senders", progress=mine).rows


@takes(AccountOptions)
def read_senders(details: bool = False, **options: Unpack[AccountOptions]) -> pd.DataFrame:
    """Every approved sender; with ``details=True`` also spf, dkim, selector, seeding, ready.

    Details and readiness are fetched concurrently, two requests per sender.

    Parameters
    ----------
    details
        Also read each sender's details and readiness.
    **options
        ``accounts``, ``session`` and ``progress`` (:class:`mmframe.options.AccountOptions`,
        where each is declared with its type, default and meaning).

    Returns
    -------
    pandas.DataFrame
        ``email``, ``domain`` and, with details, ``spf``, ``dkim``, ``dkim_selector``,
        ``seeding``, ``ready`` (``boolean``); a leading ``account`` when ``accounts`` is given.

    See Also
    --------
    create_senders, set_seeding, set_dkim, delete
    """
    session = resolve(options.get("session"))
    accounts = chosen(session, options.get("accounts"))  # "all", sub-account key: its own
    readers = targets(session, accounts)
    rows: list[dict[str, Any]] = []
    owners: list[str] = []
    # One part of the bar per account's list, and one for the details of every sender.
    parts = len(readers) + (1 if details else 0)
    with bar("senders", progress=options.get("progress"), parts=parts) as shown:
        # Each account's list page by page, the accounts at once.
        lists = session.map(lambda r: _listed(r[1], shown), readers)
        for (name, _reader), found in zip(readers, lists, strict=True):
            rows += found
            owners += [str(name)] * len(found)
        if details:
            by_owner = {str(name): reader for name, reader in readers}
            items = [
                (by_owner[owner], row["emailaddress"])
                for owner, row in zip(owners, rows, strict=True)
            ]
            # Two requests a sender: its details and its readiness.
            with bar("senders' details", total=2 * len(rows), progress=shown) as detailed:
                extras = session.map(_details, items, each=lambda: detailed.update(2))
            rows = [{**row, **extra} for row, extra in zip(rows, extras, strict=True)]
    data = schema.frame(
        rows,
        _DETAILED if details else _COLUMNS,
        derive={"domain": lambda raw: schema.domain_of(raw["email"])},
    )
    names = [str(n) for n, _ in readers] if accounts is not None else None
    if names is not None:
        data = schema.with_account(data, owners, names)
    return read_with(schema.stamp(data, "senders", accounts=names, details=details), session)
