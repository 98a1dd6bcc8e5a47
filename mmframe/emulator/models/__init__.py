"""State and rules of the emulated MM API, apart from any HTTP concern (after moto's models)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from .accounts import AccountBook, Caller
from .reports import ReportBook
from .senders import SenderBook
from .store import Store
from .suppressions import SuppressionBook

__all__ = [
    "AccountBook",
    "Backend",
    "Caller",
    "ReportBook",
    "SenderBook",
    "Store",
    "SuppressionBook",
]


class Backend:
    """Everything one emulator instance knows: its store and the rules over it."""

    def __init__(
        self,
        db: str | Path | None = None,
        *,
        propagation_delay: float = 0.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = Store(db, clock=clock)
        self.accounts = AccountBook(self.store)
        self.senders = SenderBook(self.store)
        self.suppressions = SuppressionBook(self.store, propagation_delay=propagation_delay)
        self.reports = ReportBook(self.store)

    def is_empty(self) -> bool:
        """Whether no account exists yet (a fresh database)."""
        with self.store.lock:
            return self.store.conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is None

    def close(self) -> None:
        """Apply queued writes and close the database."""
        with self.store.transaction():
            self.suppressions.flush()
        self.store.close()
