"""Suppression lists and approved senders of a replay, checked against what the store holds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..models import Backend
from ..models.store import MAX_GIVEN_ID
from .accounts import ids_in
from .columns import ReplayError, as_int, json_list, loading, records, rows_named


def _refuse_repeats(conn: Any, frame: pd.DataFrame, keys: pd.Series) -> None:
    """Refuse an address twice on one list or already on it, an id twice or already used."""
    twice = pd.DataFrame({"a": frame["account_id"], "k": keys}).duplicated(keep=False)
    if twice.any():
        raise ReplayError(
            f"suppressions: an address twice on one list in {rows_named(list(frame.index[twice]))}"
        )
    for account_id, rows in frame.groupby("account_id", sort=False):
        # One index probe per given key (CROSS JOIN keeps that order): "email_key IN (...)"
        # would first build a temporary index over every key given.
        listed = conn.execute(
            "SELECT s.email FROM json_each(?) AS j CROSS JOIN suppressions AS s"
            " ON s.account_id = ? AND s.email_key = j.value",
            (json_list(keys[rows.index]), as_int(account_id)),
        ).fetchall()
        if listed:
            shown = ", ".join(r[0] for r in listed[:5])
            raise ReplayError(f"suppressions: already on the list here: {shown}")
    given = frame["suppression_id"].dropna() if "suppression_id" in frame else pd.Series([])
    outside = given[(given < 1) | (given > MAX_GIVEN_ID)]
    if len(outside):
        raise ReplayError(
            f"suppressions: suppression_id {', '.join(map(str, outside[:3]))} in "
            f"{rows_named(list(outside.index))} is outside 1 to 2**39, the ids this emulator "
            "serves (drop the column for new ids)"
        )
    repeated = given[given.duplicated(keep=False)]
    if len(repeated):
        raise ReplayError(
            f"suppressions: suppression_id twice in {rows_named(list(repeated.index))}"
        )
    used = ids_in(conn, "suppressions", "id", given.astype("int64"))
    if used:
        raise ReplayError(
            f"suppressions: suppression_id {', '.join(map(str, used[:5]))} already used here "
            "(load into an emulator without them, or drop the column for new ids)"
        )


def write_suppressions(backend: Backend, frame: pd.DataFrame) -> int:
    """Add the suppressions, keeping their ids (new ones where none is given).

    Refused: an address twice on one account's list, one already on it, an id given twice
    or already used (ids are unique across the emulator and order a list, SPEC A6).
    """
    conn = backend.store.conn
    keys = frame["email"].str.lower()
    _refuse_repeats(conn, frame, keys)
    ordered = frame.assign(key=keys).sort_values(["account_id", "suppressed_at"], kind="stable")
    with_id = ordered["suppression_id"].notna() if "suppression_id" in ordered else None
    columns = ["account_id", "email", "key", "suppressed_at", "reason"]
    before = conn.execute("SELECT COALESCE(MAX(id), 0) FROM suppressions").fetchone()[0]
    with loading(backend.store, "suppressions", len(frame)):
        if with_id is not None and with_id.any():
            conn.executemany(
                "INSERT INTO suppressions (id, account_id, email, email_key, t, reason)"
                " VALUES (?,?,?,?,?,?)",
                records(ordered.loc[with_id], ["suppression_id", *columns]),
            )
        rest = ordered if with_id is None else ordered[~with_id]
        conn.executemany(  # ids grow with time, as on a live list
            "INSERT INTO suppressions (account_id, email, email_key, t, reason) VALUES (?,?,?,?,?)",
            records(rest, columns),
        )
    conn.execute(  # bounced and complained recipients are inactive (SPEC A7)
        "INSERT OR IGNORE INTO recipients (account_id, email_key, email, status)"
        " SELECT account_id, email_key, email, 'inactive' FROM suppressions"
        " WHERE reason IN ('bounce', 'complaint')"
        " AND (id > ? OR id IN (SELECT value FROM json_each(?))) ORDER BY account_id, email_key",
        (before, json_list(frame["suppression_id"].dropna() if with_id is not None else [])),
    )
    for account_id in np.unique(frame["account_id"]):
        backend.store.forget_order(int(account_id))
    return len(frame)


#: Sender columns and their value on a new sender when the frame leaves them out (A13).
_SENDER = {"seeding": 0, "spf": 1, "dkim": 0, "dkim_selector": "", "ready": 1}
_STORED = {
    "seeding": "seeding",
    "spf": "spf",
    "dkim": "dkim",
    "dkim_selector": "dkimval",
    "ready": "ready",
}


def write_senders(backend: Backend, frame: pd.DataFrame) -> int:
    """Create the senders, or update the states the frame gives of existing ones."""
    conn = backend.store.conn
    twice = pd.DataFrame({"a": frame["account_id"], "k": frame["email"].str.lower()}).duplicated(
        keep=False
    )
    if twice.any():
        raise ReplayError(f"senders: one sender twice in {rows_named(list(frame.index[twice]))}")
    for _label, row in frame.iterrows():
        values: dict[str, Any] = {
            name: row[name] if name in row.index and row[name] is not None else default
            for name, default in _SENDER.items()
        }
        found = conn.execute(
            "SELECT id FROM senders WHERE account_id = ? AND email_key = ?",
            (int(row["account_id"]), row["email"].lower()),
        ).fetchone()
        if found is None:
            backend.senders.add(
                int(row["account_id"]),
                row["email"],
                seeding=int(values["seeding"]),
                spf=int(values["spf"]),
                dkim=int(values["dkim"]),
                dkimval=str(values["dkim_selector"]),
                ready=int(values["ready"]),
            )
            continue
        given = {_STORED[n]: row[n] for n in _SENDER if n in row.index and row[n] is not None}
        if given:
            assignments = ", ".join(f"{name} = ?" for name in given)
            conn.execute(
                f"UPDATE senders SET {assignments} WHERE id = ?",  # noqa: S608 - fixed names
                (*given.values(), found[0]),
            )
    return len(frame)
