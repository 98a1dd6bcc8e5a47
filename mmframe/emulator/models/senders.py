"""Approved senders: list, create/update, details, readiness, DKIM, delete (SPEC 2.2, A13)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ..wire import Params, address, flag, invalid, required
from .accounts import Caller
from .store import Store

PAGE = 25
_SELECTOR = re.compile(r"^[A-Za-z0-9_-]{1,63}$")


def dkim_records(email: str, selector: str) -> dict[str, str]:
    """The two DNS records the details show once a selector is set (stable per sender)."""
    domain = email.rsplit("@", 1)[1].lower()
    digest = hashlib.sha256(f"{domain}/{selector}".encode()).hexdigest()
    return {
        f"{selector}._domainkey.{domain}": f"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEB{digest}",
        f"_domainkey.{domain}": "o=~",
    }


class SenderBook:
    """Rules for approved senders, scoped to the caller's own account."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def list(self, caller: Caller, start: int) -> dict[str, Any]:
        """One page of 25 senders, in creation order."""
        rows = self.store.conn.execute(
            "SELECT email FROM senders WHERE account_id = ? ORDER BY id LIMIT ? OFFSET ?",
            (caller.id, PAGE, start),
        )
        return {"senders": [{"emailaddress": email} for (email,) in rows]}

    def _find(self, caller: Caller, email: str) -> tuple[Any, ...]:
        row = self.store.conn.execute(
            "SELECT id, email, seeding, spf, dkim, dkimval, ready FROM senders"
            " WHERE account_id = ? AND email_key = ?",
            (caller.id, email.lower()),
        ).fetchone()
        if row is None:
            raise invalid(f"The sender {email!r} is not an approved sender of this account.")
        return tuple(row)

    def upsert(self, caller: Caller, params: Params) -> None:
        """Create (ready, spf 1, dkim 0) or update; ``seeding`` kept unless given."""
        email = address(params)
        seeding = flag(params, "seeding")
        found = self.store.conn.execute(
            "SELECT id FROM senders WHERE account_id = ? AND email_key = ?",
            (caller.id, email.lower()),
        ).fetchone()
        if found is None:
            self.add(caller.id, email, seeding=seeding or 0)
        elif seeding is not None:
            self.store.conn.execute(
                "UPDATE senders SET seeding = ? WHERE id = ?", (seeding, found[0])
            )

    def add(
        self,
        account_id: int,
        email: str,
        *,
        seeding: int = 0,
        spf: int = 1,
        dkim: int = 0,
        dkimval: str = "",
        ready: int = 1,
    ) -> None:
        """Insert a sender with explicit states (also used by the seeds)."""
        self.store.conn.execute(
            "INSERT INTO senders (account_id, email, email_key, seeding, spf, dkim, dkimval,"
            " ready) VALUES (?,?,?,?,?,?,?,?)",
            (account_id, email, email.lower(), seeding, spf, dkim, dkimval, ready),
        )

    def details(self, caller: Caller, params: Params) -> dict[str, Any]:
        """spf, dkim, selector, seeding and, with a selector, its DNS records."""
        _id, email, seeding, spf, dkim, dkimval, _ready = self._find(caller, address(params))
        data: dict[str, Any] = {
            "emailaddress": email,
            "spf": spf,
            "dkim": dkim,
            "dkimval": dkimval,
            "seeding": seeding,
        }
        if dkimval:
            data.update(dkim_records(email, dkimval))
        return data

    def status(self, caller: Caller, params: Params) -> dict[str, int]:
        """Whether the sender is ready for use in sending."""
        return {"ready": self._find(caller, address(params))[6]}

    def set_dkim(self, caller: Caller, params: Params) -> dict[str, Any]:
        """Set the DKIM selector; dkim becomes 1; answers the details."""
        row_id = self._find(caller, address(params))[0]
        selector = required(params, "dkim")
        if not _SELECTOR.match(selector):
            raise invalid("The field 'dkim' may hold only letters, digits, '-' and '_'.")
        self.store.conn.execute(
            "UPDATE senders SET dkim = 1, dkimval = ? WHERE id = ?", (selector, row_id)
        )
        return self.details(caller, params)

    def delete(self, caller: Caller, params: Params) -> None:
        """Remove an approved sender."""
        row_id = self._find(caller, address(params))[0]
        self.store.conn.execute("DELETE FROM senders WHERE id = ?", (row_id,))
