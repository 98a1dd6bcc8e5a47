"""Suppression lists and recipient status (SPEC 2.3, 2.4, A6, A10-A12, A15)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..wire import SQL_TIME, RawJSON
from .accounts import Caller
from .store import Store, order_key, split_key

PAGE = 500
REASONS = ("bounce", "complaint", "unsubscribe", "manual")
Operation = Literal["suppress", "unsuppress", "reactivate"]


@dataclass(frozen=True)
class PendingWrite:
    """A write accepted but not yet visible (only with a propagation delay)."""

    due: float
    account_id: int
    operation: Operation
    addresses: tuple[str, ...]
    t: int


def _keys(rows: Iterable[tuple[str]]) -> set[str]:
    return {key for (key,) in rows}


#: SQLite renders a page's JSON itself (per-row Python was most of a page's cost). A page
#: from the key (t, id) on is two index seeks: the rest of second t from id, then later
#: seconds. One row-value bound ``(t, id) >= (?, ?)`` would seek on t alone and scan every
#: row sharing that second, and a bounce storm puts thousands there.
_ROW_JSON = (
    f"json_object('emailaddress', email, 'suppresstime', {SQL_TIME.format('t')},"
    " 'suppressionid', CAST(id AS TEXT), 'reasontype', reason)"
)
SAME_SECOND = (
    f"SELECT json_group_array({_ROW_JSON}), COUNT(*) FROM (SELECT * FROM suppressions"  # noqa: S608 (constants only)
    " WHERE account_id = ? AND t = ? AND id >= ? ORDER BY id LIMIT ?)"
)
LATER_SECONDS = (
    f"SELECT json_group_array({_ROW_JSON}), COUNT(*) FROM (SELECT * FROM suppressions"  # noqa: S608 (constants only)
    " WHERE account_id = ? AND t > ? ORDER BY t, id LIMIT ?)"
)


# Address lists go to SQLite as one JSON-array parameter read with json_each(?): no SQL is
# built from input and no bound-parameter limit applies.


class SuppressionBook:
    """Rules for suppression lists and recipients, scoped to the caller's account."""

    def __init__(self, store: Store, *, propagation_delay: float = 0.0) -> None:
        self.store = store
        self.propagation_delay = propagation_delay
        self.pending: list[PendingWrite] = []

    # --- reads -------------------------------------------------------------------------

    def _bounds(self, account_id: int, start: int | None, end: int | None) -> tuple[int, int]:
        index = self.store.order(account_id)
        lo = 0 if start is None else index.bisect_left(order_key(start))
        hi = len(index) if end is None else index.bisect_left(order_key(end))
        return lo, max(lo, hi)

    def count(self, caller: Caller, start: int | None, end: int | None) -> dict[str, int]:
        """How many suppressions fall in ``[start, end)``: O(log n) on the order index."""
        lo, hi = self._bounds(caller.id, start, end)
        return {"count": hi - lo}

    def page(
        self, caller: Caller, start: int | None, end: int | None, offset: int
    ) -> dict[str, Any] | RawJSON:
        """Rows ``offset .. offset+500`` of ``[start, end)`` ordered by (time, id).

        The order index turns the offset into a key, and SQLite seeks to it: a page costs
        the same at offset 0 and at 999,500.
        """
        lo, hi = self._bounds(caller.id, start, end)
        first = lo + offset
        if first >= hi:
            return {"suppressions": []}
        t, row_id = split_key(self.store.order(caller.id)[first])
        wanted = min(PAGE, hi - first)
        db = self.store.conn
        rows, got = db.execute(SAME_SECOND, (caller.id, t, row_id, wanted)).fetchone()
        if got < wanted:
            later, _ = db.execute(LATER_SECONDS, (caller.id, t, wanted - got)).fetchone()
            rows = later if got == 0 else rows[:-1] + "," + later[1:]
        return RawJSON('{"suppressions":' + rows + "}")

    def recipients(self, caller: Caller, addresses: Sequence[str]) -> dict[str, Any]:
        """Status and suppression status of each address, in the order asked."""
        keys = [a.lower() for a in addresses]
        inactive = _keys(
            self.store.conn.execute(
                "SELECT email_key FROM recipients WHERE account_id = ? AND status = 'inactive'"
                " AND email_key IN (SELECT value FROM json_each(?))",
                (caller.id, json.dumps(keys)),
            )
        )
        suppressed = self._suppressed(caller.id, keys)
        waiting = self._pending_by_address(caller.id)
        rows = []
        for given, key in zip(addresses, keys, strict=True):
            state = "suppressed" if key in suppressed else "unsuppressed"
            operation = waiting.get(key)
            if operation == "suppress" and state == "unsuppressed":
                state = "pending addition"
            elif operation == "unsuppress" and state == "suppressed":
                state = "pending removal"
            rows.append(
                {
                    "emailaddress": given,
                    "status": "inactive" if key in inactive else "active",
                    "suppressionstatus": state,
                }
            )
        return {"recipients": rows}

    def _suppressed(self, account_id: int, keys: Sequence[str]) -> set[str]:
        return _keys(
            self.store.conn.execute(
                "SELECT email_key FROM suppressions WHERE account_id = ? AND email_key IN "
                "(SELECT value FROM json_each(?))",
                (account_id, json.dumps(keys)),
            )
        )

    def _pending_by_address(self, account_id: int) -> dict[str, Operation]:
        latest: dict[str, Operation] = {}
        for write in self.pending:
            if write.account_id == account_id and write.operation != "reactivate":
                latest.update(dict.fromkeys((a.lower() for a in write.addresses), write.operation))
        return latest

    # --- writes ------------------------------------------------------------------------

    def write(self, caller: Caller, operation: Operation, addresses: Sequence[str]) -> None:
        """Apply a write now, or queue it when a propagation delay is set (SPEC A15)."""
        now = self.store.now()
        if self.propagation_delay > 0:
            due = self.store.clock() + self.propagation_delay
            self.pending.append(PendingWrite(due, caller.id, operation, tuple(addresses), now))
            return
        self._apply(caller.id, operation, addresses, now)

    def settle(self) -> None:
        """Apply every queued write whose delay has passed (called before each request)."""
        if not self.pending:
            return
        now = self.store.clock()
        due = [w for w in self.pending if w.due <= now]
        self.pending = [w for w in self.pending if w.due > now]
        for write in due:
            self._apply(write.account_id, write.operation, write.addresses, write.t)

    def flush(self) -> None:
        """Apply every queued write at once (on shutdown, so no accepted write is lost)."""
        writes, self.pending = self.pending, []
        for write in writes:
            self._apply(write.account_id, write.operation, write.addresses, write.t)

    def _apply(
        self, account_id: int, operation: Operation, addresses: Sequence[str], t: int
    ) -> None:
        if operation == "suppress":
            self._suppress(account_id, addresses, t)
        elif operation == "unsuppress":
            self._remove(account_id, [a.lower() for a in addresses])
        else:
            self.store.conn.executemany(
                "INSERT INTO recipients (account_id, email_key, email, status)"
                " VALUES (?, ?, ?, 'active') ON CONFLICT DO UPDATE SET status = 'active'",
                [(account_id, a.lower(), a) for a in addresses],
            )

    def _suppress(self, account_id: int, addresses: Sequence[str], t: int) -> None:
        """``POST /suppressions``: one statement for the whole list (SQLite loops, not Python)."""
        newest = self._newest_id()
        self.store.conn.execute(
            "INSERT OR IGNORE INTO suppressions (account_id, email, email_key, t, reason)"
            " SELECT ?, value, lower(value), ?, 'manual' FROM json_each(?)",
            (account_id, t, json.dumps(list(addresses))),
        )
        self._index_since(account_id, newest)

    def insert(
        self, account_id: int, rows: Iterable[tuple[str, int, str]], *, keep_existing: bool
    ) -> None:
        """Add (email, time, reason) rows; an address already listed keeps its row (A10)."""
        verb = "INSERT OR IGNORE" if keep_existing else "INSERT"
        newest = self._newest_id()
        self.store.conn.executemany(
            f"{verb} INTO suppressions (account_id, email, email_key, t, reason)"
            " VALUES (?, ?, ?, ?, ?)",
            ((account_id, email, email.lower(), t, reason) for email, t, reason in rows),
        )
        self._index_since(account_id, newest)

    def _newest_id(self) -> int:
        row = self.store.conn.execute("SELECT MAX(id) FROM suppressions").fetchone()
        return int(row[0] or 0)

    def _index_since(self, account_id: int, newest: int) -> None:
        """Add the rows inserted after id ``newest`` to the order index.

        Ids only grow and the lock is held, so they are this write's: a range seek on the
        primary key, whatever the table's size.
        """
        if not self.store.has_order(account_id):
            return
        added = self.store.conn.execute(
            "SELECT t, id FROM suppressions WHERE id > ? AND account_id = ?",
            (newest, account_id),
        )
        self.store.index_add(account_id, (order_key(t, i) for t, i in added))

    def _remove(self, account_id: int, keys: Sequence[str]) -> None:
        # One statement for the whole list (SQLite loops, off the GIL), each row found once
        # by its address and deleted there (a lookup and a delete by id took two).
        found = self.store.conn.execute(
            "DELETE FROM suppressions WHERE account_id = ? AND email_key IN "
            "(SELECT value FROM json_each(?)) RETURNING t, id",
            (account_id, json.dumps(keys)),
        ).fetchall()
        if found:
            self.store.index_remove(account_id, (order_key(t, i) for t, i in found))
