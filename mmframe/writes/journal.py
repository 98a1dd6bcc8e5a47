"""The resumable journal: which rows an earlier run confirmed, by their full identity.

A row's identity is (endpoint, operation, account, natural key, payload digest): the journal
counts a row as done only when that exact payload was confirmed for that exact target. A
journal belongs to one server and the accounts it recorded: its header names the endpoint
(the API's URL, without credentials) and a salted, slow fingerprint of the API key (never
the key). Opened with another endpoint, another key (another server at the same address,
a server started afresh, a rotated key), or for accounts it never recorded while it holds
others', it is refused: a fix rehearsed on a replica is never skipped on production. Rows
``verify=`` fails afterwards are withdrawn: a later run sends them again. The file is JSON
lines: a header, then one line per finished batch (or withdrawal), each fsynced before it
counts.

::

    {"mmframe_journal": 3, "operation": "unsuppress", "endpoint": "https://api.example.com:443/rest/json",
     "key": "<pbkdf2 of the key>", "salt": "…", "created": "…"}
    {"account": "ops@example.com", "batch": 0, "ok": [["a@x.com", "1f…"], …], "failed": {…}}
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

VERSION = 3
#: Payload fields never written to a journal, not even hashed plainly (a bare hash of a
#: password can be brute-forced); they enter the digest through a salted, slow hash.
SECRET_FIELDS = frozenset({"password"})
Identity = tuple[str, str, str]  # (account, key, digest), lower-cased names


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _slow(secret: str, salt: str) -> str:
    """A salted PBKDF2 of a secret (a password, a key): what a journal may hold of it."""
    return hashlib.pbkdf2_hmac("sha256", secret.encode(), salt.encode(), 20_000).hex()


def endpoint_of(url: str) -> str:
    """The identity of an API endpoint: scheme, host, port and path, without credentials,
    query or trailing slash (``https://api.example.com:443/rest/json``)."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower(), 0)
    host = (parts.hostname or "").lower()
    return f"{parts.scheme.lower()}://{host}:{port}{parts.path.rstrip('/')}"


@dataclass
class Journal:
    """An append-only JSONL record of finished batches of one operation.

    Parameters
    ----------
    path
        The file; created with its header on first use.
    operation
        The operation's name: a journal of another operation is refused (``ValueError``).
    endpoint
        The API's base URL (see :func:`endpoint_of`): a journal of another is refused.
    apikey
        The key the write uses: only a salted, slow fingerprint of it is written, and a
        journal written with another key is refused.
    """

    path: Path
    operation: str
    endpoint: str
    apikey: str = field(repr=False)
    salt: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        header = self._header()
        if header is None:
            self.salt = secrets.token_hex(16)
            self._write_line(
                {
                    "mmframe_journal": VERSION,
                    "operation": self.operation,
                    "endpoint": self.endpoint,
                    "key": self._fingerprint(),
                    "salt": self.salt,
                    "created": _now(),
                },
                fresh=True,
            )
            return
        if header.get("mmframe_journal") != VERSION:
            raise ValueError(
                f"journal {str(self.path)!r} was not written by this version of mmframe "
                f"(no version-{VERSION} header, which names the endpoint): use a new journal file"
            )
        if header.get("endpoint") != self.endpoint:
            raise ValueError(
                f"journal {str(self.path)!r} records writes to another endpoint "
                f"({header.get('endpoint')}), not {self.endpoint}: its rows say nothing of "
                "this one; use a journal file per endpoint (a replica's is not production's)"
            )
        if header.get("operation") != self.operation:
            raise ValueError(
                f"journal {str(self.path)!r} records {header.get('operation')!r}, not "
                f"{self.operation!r}: use one journal per operation"
            )
        self.salt = str(header["salt"])
        if header.get("key") != self._fingerprint():
            raise ValueError(
                f"journal {str(self.path)!r} was written with another API key (another server "
                "at the same address, a server started afresh, or a rotated key): its rows say "
                "nothing of this one; use a new journal file"
            )

    def _header(self) -> dict[str, Any] | None:
        """The first line, parsed; None for a missing or empty file (or a torn header)."""
        if not self.path.exists():
            return None
        with self.path.open("rb") as lines:
            first = lines.readline()
        if not first.endswith(b"\n"):
            return None  # empty, or the header itself was cut short: start afresh
        try:
            header = json.loads(first)
        except ValueError:
            raise ValueError(f"journal {str(self.path)!r} does not start with a header") from None
        if not isinstance(header, dict):
            raise ValueError(f"journal {str(self.path)!r} does not start with a header")
        return header

    def _fingerprint(self) -> str:
        """The key as the header records it: salted and slow, not to be brute-forced."""
        return _slow(self.apikey, self.salt)

    def digest(self, payload: dict[str, Any]) -> str:
        """A short, salted digest of the exact payload sent for a row."""
        shown = {}
        for name, value in payload.items():
            if name in SECRET_FIELDS:
                value = _slow(str(value), self.salt)
            shown[name] = value
        text = json.dumps(shown, sort_keys=True, default=str)
        return hashlib.blake2b(
            text.encode(), key=self.salt.encode()[:64], digest_size=12
        ).hexdigest()

    def check_accounts(self, accounts: set[str], done: set[Identity]) -> None:
        """``ValueError`` when the journal records rows of other accounts only: a journal
        belongs to the accounts it recorded."""
        recorded = {owner for owner, _key, _digest in done}
        wanted = {a.lower() for a in accounts}
        if recorded and wanted and not recorded & wanted:
            raise ValueError(
                f"journal {str(self.path)!r} records writes for {', '.join(sorted(recorded))}, "
                f"not for {', '.join(sorted(wanted))}: use a journal file per account"
            )

    def done(self) -> set[Identity]:
        """(account, key, digest) of every row an earlier run confirmed and did not withdraw."""
        finished: set[Identity] = set()
        with self.path.open(encoding="utf-8") as lines:
            next(lines, None)  # the header
            for line in lines:
                try:
                    entry = json.loads(line)
                except ValueError:  # a line cut short by a crash: that batch is redone
                    continue
                owner = str(entry.get("account") or "").lower()
                finished.update((owner, str(k).lower(), str(d)) for k, d in entry.get("ok", []))
                gone = {(owner, str(k).lower()) for k in entry.get("withdrawn", [])}
                finished = {i for i in finished if (i[0], i[1]) not in gone}
        return finished

    def withdraw(self, account: str, keys: list[str], why: str) -> None:
        """Record that rows confirmed earlier are not done after all (``verify=`` found the
        server without their state): a later run sends them again."""
        self._write_line({"account": account, "withdrawn": keys, "why": why, "at": _now()})

    def record(
        self, account: str, batch: int, ok: list[tuple[str, str]], failed: dict[str, str | None]
    ) -> None:
        """Append one batch's outcome and make it durable before returning."""
        entry = {
            "account": account,
            "batch": batch,
            "ok": [[key, digest] for key, digest in ok],
            "failed": failed,
            "at": _now(),
        }
        self._write_line(entry)

    def _write_line(self, entry: dict[str, Any], *, fresh: bool = False) -> None:
        line = json.dumps(entry) + "\n"
        with self._lock, self.path.open("w" if fresh else "a+b") as out:
            if not fresh:
                self._repair(out)
                out.write(line.encode("utf-8"))
            else:
                out.write(line)
            out.flush()
            os.fsync(out.fileno())

    @staticmethod
    def _repair(out: Any) -> None:
        """Cut a torn last line (a crash mid-write) so the next record starts on its own."""
        size = out.seek(0, os.SEEK_END)
        if size == 0:
            return
        out.seek(size - 1)
        if out.read(1) == b"\n":
            return
        out.seek(0)
        data = out.read()
        out.truncate(data.rfind(b"\n") + 1)
        out.seek(0, os.SEEK_END)
