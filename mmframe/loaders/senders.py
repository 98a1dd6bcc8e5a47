"""Approved senders, optionally with details and readiness, as frames."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import schema
from ..client import Session, resolve
from ..paging import fetch_all_pages
from ..progress import bar, grow
from .common import Accounts, targets

_COLUMNS = schema.SENDERS
_DETAILED = schema.SENDERS + schema.SENDER_DETAILS


def _details(item: tuple[Session, str]) -> dict[str, Any]:
    session, email = item
    details = session.get("senders/details", emailaddress=email)
    status = session.get("senders/status", emailaddress=email)
    return {**details, "ready": status.get("ready")}


def read_senders(
    details: bool = False,
    *,
    accounts: Accounts = None,
    session: Session | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Every approved sender; with ``details=True`` also spf, dkim, selector, seeding, ready.

    Details and readiness are fetched concurrently, two requests per sender.

    Returns
    -------
    pandas.DataFrame
        ``email``, ``domain`` and, with details, ``spf``, ``dkim``, ``dkim_selector``,
        ``seeding``, ``ready`` (``boolean``); a leading ``account`` when ``accounts`` is given.
    """
    session = resolve(session)
    readers = targets(session, accounts)
    rows: list[dict[str, Any]] = []
    owners: list[str] = []
    with bar("senders", progress=progress) as shown:
        # Each account's list page by page, the accounts at once.
        lists = dict(
            session.map_unordered(
                lambda r: fetch_all_pages(r[1], "senders", "senders", 25, progress=shown).rows,
                readers,
            )
        )
        for name, reader in readers:
            found = lists[(name, reader)]
            rows += found
            owners += [str(name)] * len(found)
        if details:
            grow(shown, len(rows))
            by_owner = {str(name): reader for name, reader in readers}
            items = [
                (by_owner[owner], row["emailaddress"])
                for owner, row in zip(owners, rows, strict=True)
            ]
            got = {}
            for item, extra in session.map_unordered(_details, items):
                got[id(item)] = extra
                shown.update(1)
            rows = [{**row, **got[id(item)]} for row, item in zip(rows, items, strict=True)]
    data = schema.frame(
        rows,
        _DETAILED if details else _COLUMNS,
        derive={"domain": lambda raw: schema.domain_of(raw["email"])},
    )
    names = [str(n) for n, _ in readers] if accounts is not None else None
    if names is not None:
        data = schema.with_account(data, owners, names)
    return schema.stamp(data, "senders", accounts=names, details=details)
