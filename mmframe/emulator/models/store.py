"""SQLite state of the emulator, with the in-memory order index that makes paging O(log n)."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sortedcontainers import SortedList

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY,
    master_id INTEGER,                 -- NULL for a master account
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    apikey TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created INTEGER NOT NULL,
    emailcap INTEGER NOT NULL DEFAULT 100000,
    emailssent INTEGER NOT NULL DEFAULT 0,
    profile TEXT NOT NULL DEFAULT '{}',
    xheaders TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS senders (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    seeding INTEGER NOT NULL DEFAULT 0,
    spf INTEGER NOT NULL DEFAULT 1,
    dkim INTEGER NOT NULL DEFAULT 0,
    dkimval TEXT NOT NULL DEFAULT '',
    ready INTEGER NOT NULL DEFAULT 1,
    UNIQUE (account_id, email_key)
);
CREATE TABLE IF NOT EXISTS suppressions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, -- suppressionid: only grows (SPEC A6)
    account_id INTEGER NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    t INTEGER NOT NULL,                -- suppresstime, whole UTC epoch seconds
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recipients (
    account_id INTEGER NOT NULL,
    email_key TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (account_id, email_key)
) WITHOUT ROWID;
-- Mail history (SPEC 2.5). A cell is one campaign's mail to one recipient domain: n messages
-- sent at t0 + i * span // n to audience members (first + i) % audience, all delivered;
-- opens and clicks are drawn from them by the pct thresholds (see models.reports).
CREATE TABLE IF NOT EXISTS mail_cells (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    t0 INTEGER NOT NULL,
    span INTEGER NOT NULL,
    n INTEGER NOT NULL,
    sender TEXT NOT NULL,
    domain TEXT NOT NULL,
    campaign TEXT NOT NULL,
    audience INTEGER NOT NULL,
    first INTEGER NOT NULL,
    open_pct INTEGER NOT NULL, reopen_pct INTEGER NOT NULL,
    click_pct INTEGER NOT NULL, reclick_pct INTEGER NOT NULL,
    open_delay INTEGER NOT NULL, reopen_delay INTEGER NOT NULL,
    click_delay INTEGER NOT NULL, reclick_delay INTEGER NOT NULL
);
-- Events stored one by one: the seeds' sends behind bounces and complaints, bounces,
-- complaints and issues; every event of a replayed history. Loaded in (account, kind, time)
-- order, so within a kind ids follow time.
CREATE TABLE IF NOT EXISTS mail_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    kind TEXT NOT NULL,                -- send | bounce | complaint | issue | open | click
    t INTEGER NOT NULL,
    sent INTEGER NOT NULL,             -- when the message behind the event was sent
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    domain TEXT NOT NULL,
    sender TEXT NOT NULL,
    campaign TEXT NOT NULL,
    message_id TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 1,
    bouncetype TEXT NOT NULL DEFAULT '',
    bouncerule TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',   -- the bounce text, issue type, open stage or link
    notified INTEGER NOT NULL DEFAULT 0{event_columns}
);
{indexes}
"""

TABLES = ("accounts", "senders", "suppressions", "recipients", "mail_cells", "mail_events")

#: Built after a bulk load rather than row by row (see :meth:`Store.bulk_load`).
INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS suppressions_address ON suppressions (account_id, email_key);
CREATE INDEX IF NOT EXISTS suppressions_order ON suppressions (account_id, t, id);
CREATE INDEX IF NOT EXISTS mail_events_order ON mail_events (account_id, kind, id);
CREATE INDEX IF NOT EXISTS mail_events_address ON mail_events (account_id, kind, email_key);
CREATE INDEX IF NOT EXISTS mail_events_type ON mail_events (account_id, kind, bouncetype, id);
CREATE INDEX IF NOT EXISTS mail_events_domain ON mail_events (account_id, kind, domain, id);
CREATE INDEX IF NOT EXISTS mail_cells_order ON mail_cells (account_id, t0, id);
"""
#: (name, table, statement) of each of :data:`INDEXES`.
_INDEX_LIST = [
    (m[1], m[2], m[0])
    for m in re.finditer(r"^CREATE .*INDEX IF NOT EXISTS (\w+) ON (\w+) .*$", INDEXES, re.M)
]
#: Columns added since the first release: created on a new database, added to an old file.
EVENT_COLUMNS_ADDED = (
    ("headers", "TEXT"),  # a replayed event's X-headers (JSON by lower-cased name); else NULL
    ("ip", "TEXT"),  # an open's or click's address
    ("user_id", "TEXT"),  # a replayed send's userid (NULL: the account's id)
    ("is_first", "INTEGER NOT NULL DEFAULT 0"),  # the first open (click) of its message
    ("repeats", "INTEGER NOT NULL DEFAULT 0"),  # how many opens (clicks) its message has
)
SCHEMA = SCHEMA.replace("{indexes}", INDEXES).replace(
    "{event_columns}", "".join(f",\n    {name} {kind}" for name, kind in EVENT_COLUMNS_ADDED)
)

#: Suppression ids stay below 2**40, so ``t * 2**40 + id`` orders rows by (time, id).
_ID_SPAN = 1 << 40
#: The largest suppression id a replay may give: half the span, so that as many ids again
#: can be added after it (a new id counts on from the largest).
MAX_GIVEN_ID = _ID_SPAN // 2


def order_key(t: int, row_id: int = 0) -> int:
    """The order-index key of a suppression at time ``t`` with id ``row_id``."""
    return t * _ID_SPAN + row_id


def split_key(key: int) -> tuple[int, int]:
    """The (time, id) pair of an order-index key."""
    return divmod(key, _ID_SPAN)


def _without(index: SortedList, removed: set[int]) -> SortedList:
    """``index`` less the keys ``removed`` (each held once): key by key when they are few,
    else in one pass that builds the list again."""
    if len(removed) * 16 < len(index):
        for key in removed:
            index.remove(key)
        return index
    kept = SortedList(key for key in index if key not in removed)
    if len(kept) != len(index) - len(removed):
        raise KeyError("a removed key was not in the order index")
    return kept


class Store:
    """One SQLite database plus the derived per-account order index.

    Every read and write goes through :meth:`transaction`, which holds one re-entrant lock:
    the HTTP layer and in-process callers may share the store from different threads.
    """

    def __init__(
        self, path: str | Path | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = str(path) if path else ":memory:"
        self.clock = clock
        self.lock = threading.RLock()
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL" if path else "PRAGMA journal_mode=MEMORY")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.ensure_schema()
        self._order: dict[int, SortedList] = {}
        #: Keys removed from an account's index but not yet taken out of it (see order()).
        self._removed: dict[int, set[int]] = {}
        #: Bumped by wipes and deletions, so caches of static data (mail history) rebuild.
        self.generation = 0

    def ensure_schema(self) -> None:
        """Create what tables and indexes are missing (all, in a new database)."""
        self.conn.executescript(SCHEMA)
        known = {row[1] for row in self.conn.execute("PRAGMA table_info(mail_events)")}
        for name, kind in EVENT_COLUMNS_ADDED:
            if name not in known:  # a database file written by an earlier version
                self.conn.execute(f"ALTER TABLE mail_events ADD COLUMN {name} {kind}")

    def now(self) -> int:
        """Whole UTC epoch seconds (the API stores times at second precision)."""
        return int(self.clock())

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and run the block in one SQLite transaction."""
        with self.lock:
            changes = self.conn.total_changes
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                if self.conn.total_changes != changes:
                    self._clear_orders()  # rebuilt lazily from the rolled-back tables
                raise
            self.conn.execute("COMMIT")

    def close(self) -> None:
        """Close the database."""
        with self.lock:
            self.conn.close()

    @contextmanager
    def bulk_load(self, *tables: str) -> Iterator[None]:
        """Load many rows inside the current transaction with the indexes built once after.

        Sorting a million keys once is several times faster than keeping two B-trees in
        order row by row; a duplicate address still fails when the unique index is built.

        Parameters
        ----------
        *tables
            The tables loaded (default: all); only their indexes are dropped and rebuilt.
        """
        chosen = [i for i in _INDEX_LIST if not tables or i[1] in tables]
        for name, _table, _statement in chosen:
            self.conn.execute(f"DROP INDEX IF EXISTS {name}")
        yield
        for _name, _table, statement in chosen:
            self.conn.execute(statement)
        self._clear_orders()

    def wipe(self) -> None:
        """Delete every row of every table."""
        with self.transaction() as db:
            for table in TABLES:
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        self.forget()

    def forget(self) -> None:
        """Drop what was derived from the rows held (their rows were all replaced)."""
        self._clear_orders()
        self.generation += 1

    # --- order index -------------------------------------------------------------------

    def order(self, account_id: int) -> SortedList:
        """The account's suppression keys in list order, built from SQLite on first use."""
        index = self._order.get(account_id)
        if index is None:
            rows = self.conn.execute(
                "SELECT t, id FROM suppressions WHERE account_id = ? ORDER BY t, id",
                (account_id,),
            )
            index = SortedList(order_key(t, row_id) for t, row_id in rows)
            self._order[account_id] = index
        removed = self._removed.pop(account_id, None)
        if removed:
            index = self._order[account_id] = _without(index, removed)
        return index

    def has_order(self, account_id: int) -> bool:
        """Whether the account's order index has been built (else it is built on use)."""
        return account_id in self._order

    def index_add(self, account_id: int, keys: Iterable[int]) -> None:
        """Add keys to an account's order index, if it has been built."""
        if account_id in self._order:
            removed = self._removed.get(account_id, set())
            fresh = []
            for key in keys:
                if key in removed:  # removed, still held, given back (a replay's id): stays
                    removed.discard(key)
                else:
                    fresh.append(key)
            self._order[account_id].update(fresh)

    def index_remove(self, account_id: int, keys: Iterable[int]) -> None:
        """Remove keys from an account's order index, if it has been built.

        They are taken out when the index is next used, all at once: a bulk activation is
        hundreds of writes of a thousand keys with no read between, and taking keys out of
        a ``SortedList`` one by one (2.8 us of Python each, 200,000 keys) was a third of the
        emulator's share of it, where one pass over the list costs 0.026 us a key.
        """
        if account_id in self._order:
            self._removed.setdefault(account_id, set()).update(keys)

    def _clear_orders(self) -> None:
        self._order.clear()
        self._removed.clear()

    def forget_order(self, account_id: int) -> None:
        """Drop an account's order index (after bulk changes or deletion)."""
        self._order.pop(account_id, None)
        self._removed.pop(account_id, None)
        self.generation += 1
