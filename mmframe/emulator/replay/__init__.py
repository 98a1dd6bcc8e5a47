"""Replay: make the emulator a replica of any account's history (accounts, X-header names,
senders, suppression lists and every report), loaded from frames shaped like mmframe's
loaders' output or from a folder of them; all or none.

A replica answers every list, count, filter and page from what was loaded, with the
seeds' guarantees (a count equals its list; ids follow time within a kind). Where a loaded
history has edges, answers near them are what the history holds: an open whose send was
not loaded has no sender, and a unique open counts the opens that were loaded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..models import Backend
from ..replayed import Replayed
from ..wire import is_address
from .accounts import Accounts, header_names, set_xheaders
from .columns import (
    EVENT_KINDS,
    KINDS,
    ReplayError,
    as_int,
    checked,
    json_list,
    loading,
    records,
)
from .events import COLUMNS, STORED, event_rows, headers_json, link, mark_delivered
from .files import read_history
from .lists import write_senders, write_suppressions

_EVENT_KINDS = frozenset(kind for kind, _time in STORED.values())

__all__ = ["KINDS", "ReplayError", "Replayed", "read_history", "replay"]


def replay(
    backend: Backend, frames: Mapping[str, pd.DataFrame | None], *, account: str | None = None
) -> Replayed:
    """Load ``frames`` (kind -> frame; see :data:`KINDS`) into the store, all or none.

    Parameters
    ----------
    backend
        The emulator's state.
    frames
        Frames shaped like the loaders' output; a frame spanning accounts has an
        ``account`` column (as ``accounts="all"`` reads give).
    account
        The account of frames without an ``account`` column (default: the first master).

    Raises
    ------
    ReplayError
        Naming the kind, column and rows of the first problem; nothing is written.
    """
    if account is not None and (not isinstance(account, str) or not is_address(account)):
        raise ReplayError(f"account {account!r} is not a username the API accepts (an address)")
    unknown = [k for k in frames if k not in KINDS]
    if unknown:
        raise ReplayError(
            f"unknown kind(s) {', '.join(map(repr, unknown))}; use {', '.join(KINDS)}"
        )
    store = backend.store
    with store.lock:
        default = account or _first_master(backend)
        given = {k: checked(k, f, default) for k, f in frames.items() if f is not None}
        with store.transaction():
            accounts = Accounts(backend, given)
            for frame in given.values():
                if "account" in frame:
                    frame["account_id"] = accounts.id_of(frame["account"])
            set_xheaders(accounts, given.get("xheaders"))
            rows = {k: len(given[k]) for k in given}
            if "senders" in given:
                write_senders(backend, given["senders"])
            if "suppressions" in given:
                write_suppressions(backend, given["suppressions"])
            sent = _write_events(backend, accounts, given)
            accounts.count_sent(sent)
        store.generation += 1  # the reports' caches of stored events rebuild
    return Replayed(rows, dict(accounts.created))


def _first_master(backend: Backend) -> str | None:
    row = backend.store.conn.execute(
        "SELECT username FROM accounts WHERE master_id IS NULL ORDER BY id LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])


def _write_events(
    backend: Backend, accounts: Accounts, given: dict[str, pd.DataFrame]
) -> dict[int, int]:
    """Insert every report frame's events; return the sends added per account."""
    rows: dict[str, pd.DataFrame] = {}
    for kind in EVENT_KINDS:
        frame = given.get(kind)
        if frame is None or frame.empty:
            continue
        frame["headers"] = None
        for account_id, names in header_names(accounts, kind, frame).items():
            mine = frame["account_id"] == account_id
            frame.loc[mine, "headers"] = headers_json(frame[mine], names)
        rows[kind] = event_rows(kind, frame)
    if not rows:
        return {}
    empty = pd.DataFrame(columns=list(COLUMNS))
    sends = _earlier_sends(backend, rows)
    new_sends = mark_delivered(
        rows.get("sent", empty.copy()), rows.get("delivered"), rows.get("bounces", empty)
    )
    known = pd.concat([sends, new_sends]) if len(sends) else new_sends
    parts = [new_sends, *(rows[k] for k in ("bounces", "complaints", "issues") if k in rows)]
    parts += [link(rows[k], known) for k in ("opens", "clicks") if k in rows]
    events = pd.concat([p for p in parts if len(p)], ignore_index=True)
    events = events.sort_values(["account_id", "kind", "t"], kind="stable")
    _insert(backend, events)
    counted = new_sends.groupby("account_id").size()
    return {as_int(a): int(n) for a, n in counted.items()}


def _earlier_sends(backend: Backend, rows: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Sends already replayed into the accounts whose opens or clicks this load adds."""
    engaged: set[int] = set()
    for kind in ("opens", "clicks"):
        if kind in rows:
            engaged |= set(rows[kind]["account_id"].tolist())
    found = backend.store.conn.execute(
        "SELECT account_id, email_key, headers, t, sender FROM mail_events WHERE kind = 'send'"
        " AND headers IS NOT NULL AND account_id IN (SELECT value FROM json_each(?))",
        (json_list(sorted(engaged)),),
    ).fetchall()
    return pd.DataFrame(found, columns=["account_id", "email_key", "headers", "t", "sender"])


def _insert(backend: Backend, events: pd.DataFrame) -> None:
    """Append the events; keep ids in time order within each (account, kind) they join."""
    conn = backend.store.conn
    firsts = events.groupby(["account_id", "kind"], sort=False)["t"].min().reset_index()
    after: list[tuple[int, str, bool]] = []
    for account_id, kind, first in firsts.itertuples(index=False):
        latest = conn.execute(
            "SELECT MAX(t), COUNT(*) FROM mail_events WHERE account_id = ? AND kind = ?",
            (as_int(account_id), str(kind)),
        ).fetchone()
        if latest[1]:
            after.append(
                (as_int(account_id), str(kind), latest[0] is not None and latest[0] > first)
            )
    with loading(backend.store, "mail_events", len(events)):
        for _kind, part in events.groupby("kind", sort=False):
            literals = {c: _literal(part[c]) for c in COLUMNS}
            bound = [c for c in COLUMNS if literals[c] is None]
            values = ", ".join(literals[c] or "?" for c in COLUMNS)
            conn.executemany(
                f"INSERT INTO mail_events ({', '.join(COLUMNS)}) VALUES ({values})",  # noqa: S608 - our names; literals of None, integers and ''
                records(part, bound),
            )
    for account_id, kind, out_of_order in after:
        if out_of_order:
            _renumber(conn, account_id, kind)
        if kind in ("open", "click"):
            _mark_firsts(conn, account_id, kind)


def _literal(values: pd.Series) -> str | None:
    """The SQL literal of a column holding one value throughout, where that value is None,
    an integer, '' or an event kind; else None (the column is bound row by row).

    A million rows bind a third faster without the columns a kind leaves constant.
    """
    first = values.iloc[0]
    if first is None:
        return "NULL" if values.isna().all() else None
    if isinstance(first, int | np.integer) and not isinstance(first, bool | np.bool_):
        return str(int(first)) if bool((values == first).all()) else None
    if first == "" or first in _EVENT_KINDS:
        return f"'{first}'" if bool((values == first).all()) else None
    return None


def _renumber(conn: sqlite3.Connection, account_id: int, kind: str) -> None:
    """Rewrite one (account, kind) in time order, so ids follow time again."""
    names = [r[1] for r in conn.execute("PRAGMA table_info(mail_events)") if r[1] != "id"]
    listed = ", ".join(names)
    conn.execute(
        "CREATE TEMP TABLE moved AS SELECT * FROM mail_events"
        " WHERE account_id = ? AND kind = ? ORDER BY t, id",
        (account_id, kind),
    )
    conn.execute("DELETE FROM mail_events WHERE account_id = ? AND kind = ?", (account_id, kind))
    conn.execute(f"INSERT INTO mail_events ({listed}) SELECT {listed} FROM moved ORDER BY rowid")  # noqa: S608 - the table's own column names
    conn.execute("DROP TABLE moved")


def _mark_firsts(conn: sqlite3.Connection, account_id: int, kind: str) -> None:
    """Mark each message's first open (click) and count them, across every load."""
    conn.execute(
        "WITH ranked AS (SELECT id, ROW_NUMBER() OVER (PARTITION BY email_key, headers"
        " ORDER BY t, id) AS rn, COUNT(*) OVER (PARTITION BY email_key, headers) AS n"
        " FROM mail_events WHERE account_id = ? AND kind = ?)"
        " UPDATE mail_events SET is_first = (ranked.rn = 1), repeats = ranked.n"
        " FROM ranked WHERE mail_events.id = ranked.id",
        (account_id, kind),
    )
