"""Accounts and sub-accounts: keys, profiles, X-header names, rotation (SPEC 2.1, A3, A14)."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from ..wire import ApiError, Params, flag, format_time, invalid, is_address, optional, required
from .store import Store

TEXT_FIELDS = (
    "accountname",
    "companyname",
    "contactname",
    "address",
    "city",
    "state",
    "zipcode",
    "country",
    "phone",
    "timezone",
    "bounce_url",
    "spam_url",
    "unsub_url",
)
FLAG_FIELDS = (
    "tracklinks",
    "trackopens",
    "trackunsubscribes",
    "testmode",
    "bounce_url_active",
    "spam_url_active",
    "unsub_url_active",
)
#: Older field names the historical API also took (SPEC 2.1: both generations are accepted).
ALIASES = {
    "bounceurl": "bounce_url",
    "spamurl": "spam_url",
    "unsubscribeurl": "unsub_url",
    "unsuburl": "unsub_url",
    "trackunsub": "trackunsubscribes",
}
FLAG_DEFAULTS = {"tracklinks": "1", "trackopens": "1"}
CREATE_REQUIRED = ("username", "password", "companyname", "phone")
XHEADER_NAMES = ("xheader1", "xheader2", "xheader3", "xheader4")
#: An X-header name: ``X-`` in either case (header names are case-insensitive), a letter
#: or digit, then up to 62 letters, digits and dashes. The client holds the same rule
#: (``mmframe.schema``; ``tests/test_xheader_rules.py`` holds the two equal).
XHEADER = re.compile(r"[Xx]-[A-Za-z0-9][A-Za-z0-9-]{0,62}")


def is_xheader(name: str) -> bool:
    """Whether ``name`` is an X-header name (:data:`XHEADER`)."""
    return XHEADER.fullmatch(name) is not None


def xheader_column(name: str) -> str:
    """The client's column of an X-header: lower case, every character but a letter or
    digit ``_`` (``X-MessageId`` and ``X-MESSAGEID`` -> ``x_messageid``)."""
    return re.sub(r"[^0-9a-z]", "_", name.lower())


@dataclass(frozen=True)
class Caller:
    """The account that owns the key of a request."""

    id: int
    master_id: int  # the master of its tree (itself for a master)
    username: str

    @property
    def is_master(self) -> bool:
        """Whether the key is a master key."""
        return self.id == self.master_id


def new_apikey() -> str:
    """A fresh 32-hex-character key."""
    return secrets.token_hex(16)


def hash_password(password: str) -> str:
    """What is stored instead of a password (never returned by any method)."""
    return hashlib.sha256(password.encode()).hexdigest()


def normalise_timezone(value: str) -> str:
    """``[+/-]h.mm`` (or ``+hhmm``) between -12.00 and 13.00 → ``+hhmm``."""
    match = re.fullmatch(r"([+-]?)(\d{1,2})(?:[.:]?(\d{2}))?", value.strip())
    if not match:
        raise invalid(f"The field 'timezone' must be [+/-]h.mm, not {value!r}.")
    sign, hours, minutes = match[1] or "+", int(match[2]), int(match[3] or 0)
    signed = (hours + minutes / 60) * (-1 if sign == "-" else 1)
    if minutes >= 60 or not -12 <= signed <= 13:
        raise invalid(f"The field 'timezone' must lie between -12.00 and 13.00, not {value!r}.")
    return f"{sign}{hours:02d}{minutes:02d}"


def profile_changes(params: Params) -> dict[str, str]:
    """The profile fields a POST /accounts sets, aliases resolved and values checked."""
    changes: dict[str, str] = {}
    for alias, name in ALIASES.items():
        if alias in params and name not in params:
            changes[name] = optional(params, alias) or ""
    changes.update({name: optional(params, name) or "" for name in TEXT_FIELDS if name in params})
    for name in FLAG_FIELDS:
        source = name if name in params else next((a for a, n in ALIASES.items() if n == name), "")
        value = flag(params, source) if source in params else None
        if value is not None:
            changes[name] = str(value)
    if changes.get("timezone"):
        changes["timezone"] = normalise_timezone(changes["timezone"])
    if changes.get("country"):
        if not re.fullmatch(r"[A-Za-z]{2}", changes["country"]):
            raise invalid("The field 'country' must be a two-letter ISO 3166 code.")
        changes["country"] = changes["country"].upper()
    return changes


class AccountBook:
    """Rules for accounts; every method runs inside the caller's store transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def authenticate(self, apikey: str | None) -> Caller:
        """The account owning ``apikey``; 451 when missing or unknown."""
        if not apikey:
            raise ApiError(451)
        row = self.store.conn.execute(
            "SELECT id, COALESCE(master_id, id), username FROM accounts WHERE apikey = ?",
            (apikey.strip(),),
        ).fetchone()
        if row is None:
            raise ApiError(451)
        return Caller(*row)

    def create_master(
        self,
        username: str,
        password: str,
        *,
        apikey: str | None = None,
        created: int | None = None,
        emailcap: int = 100_000,
        profile: dict[str, str] | None = None,
    ) -> str:
        """Create a master account (seeds and the admin API only) and return its key."""
        return self._insert(None, username, password, apikey, created, emailcap, profile or {})

    def create_sub(
        self,
        master_id: int,
        username: str,
        password: str,
        *,
        apikey: str | None = None,
        created: int | None = None,
        profile: dict[str, str] | None = None,
        emailssent: int = 0,
    ) -> str:
        """Create a sub-account under ``master_id`` and return its key."""
        return self._insert(
            master_id, username, password, apikey, created, 0, profile or {}, emailssent
        )

    def _insert(
        self,
        master_id: int | None,
        username: str,
        password: str,
        apikey: str | None,
        created: int | None,
        emailcap: int,
        profile: dict[str, str],
        emailssent: int = 0,
    ) -> str:
        key = apikey or new_apikey()
        full = {name: "" for name in TEXT_FIELDS}
        full.update({name: FLAG_DEFAULTS.get(name, "0") for name in FLAG_FIELDS})
        full.update(profile)
        self.store.conn.execute(
            "INSERT INTO accounts (master_id, username, username_key, apikey, password_hash,"
            " created, emailcap, emailssent, profile, xheaders) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                master_id,
                username,
                username.lower(),
                key,
                hash_password(password),
                self.store.now() if created is None else created,
                emailcap,
                emailssent,
                json.dumps(full),
                json.dumps(dict.fromkeys(XHEADER_NAMES, "")),
            ),
        )
        return key

    def list(self, caller: Caller, start: int, params: Params) -> dict[str, Any]:
        """One page (25) of the master's accounts, itself included (SPEC 2.1)."""
        where: list[str] = ["COALESCE(master_id, id) = ?"]
        args: list[object] = [caller.master_id]
        if username := optional(params, "username"):
            where.append("username_key = ?")
            args.append(username.strip().lower())
        rows = self.store.conn.execute(
            f"SELECT * FROM accounts WHERE {' AND '.join(where)} ORDER BY id"  # noqa: S608
            " LIMIT 25 OFFSET ?",
            (*args, start),
        ).fetchall()
        accounts = [self._render(row) for row in rows]
        if name := optional(params, "accountname"):
            accounts = [a for a in accounts if a["accountname"] == name]
        cap = self.store.conn.execute(
            "SELECT emailcap FROM accounts WHERE id = ?", (caller.master_id,)
        ).fetchone()[0]
        return {"accounts": accounts, "emailcap": str(cap)}

    def _render(self, row: Any) -> dict[str, Any]:
        (_id, master_id, username, _key, apikey, _pw, created, _cap, sent, profile, _x) = row
        data = json.loads(profile)
        return {
            "username": username,
            **{name: data.get(name, "") for name in TEXT_FIELDS},
            "usertype": "Master" if master_id is None else "Sub",
            "created": format_time(created),
            "apikey": apikey,
            **{name: data.get(name, "0") for name in FLAG_FIELDS},
            "max_sample_count": None,
            "emailssent": sent,
        }

    def upsert(self, caller: Caller, params: Params) -> dict[str, str]:
        """Create or update a sub-account by username (SPEC A14); answers its key."""
        username = required(params, "username")
        if not is_address(username):
            raise invalid(f"The username {username!r} must be a valid email address.")
        changes = profile_changes(params)
        row = self.store.conn.execute(
            "SELECT id, COALESCE(master_id, id), profile, apikey FROM accounts"
            " WHERE username_key = ?",
            (username.lower(),),
        ).fetchone()
        if row is None:
            missing = [f for f in CREATE_REQUIRED if not (optional(params, f) or "").strip()]
            if missing:
                raise invalid(
                    *(f"The field '{f}' is required to create an account." for f in missing)
                )
            return {
                "apikey": self.create_sub(
                    caller.master_id, username, required(params, "password"), profile=changes
                )
            }
        account_id, master_id, profile, apikey = row
        if master_id != caller.master_id:
            raise ApiError(453, [f"The username {username!r} already exists."])
        merged = {**json.loads(profile), **changes}
        updates: dict[str, Any] = {"profile": json.dumps(merged)}
        if password := optional(params, "password"):
            updates["password_hash"] = hash_password(password)
        if flag(params, "generatenewapikey") == 1 or flag(params, "generatewapikey") == 1:
            updates["apikey"] = apikey = new_apikey()
        assignments = ", ".join(f"{name} = ?" for name in updates)
        self.store.conn.execute(
            f"UPDATE accounts SET {assignments} WHERE id = ?",  # noqa: S608 - fixed names
            (*updates.values(), account_id),
        )
        return {"apikey": apikey}

    def delete(self, caller: Caller, params: Params) -> None:
        """Delete a sub-account of the caller's tree and all its data."""
        username = required(params, "username")
        row = self.store.conn.execute(
            "SELECT id, master_id FROM accounts WHERE username_key = ? AND master_id = ?",
            (username.lower(), caller.master_id),
        ).fetchone()
        if row is None:
            raise invalid(f"The username {username!r} is not a sub-account of this master.")
        self.store.conn.execute("DELETE FROM accounts WHERE id = ?", (row[0],))
        for table in ("senders", "suppressions", "recipients", "mail_cells", "mail_events"):
            self.store.conn.execute(f"DELETE FROM {table} WHERE account_id = ?", (row[0],))  # noqa: S608
        self.store.forget_order(row[0])

    def xheaders(self, caller: Caller) -> dict[str, str]:
        """The four X-header names of the caller's account (all four, even if unset)."""
        raw = self.store.conn.execute(
            "SELECT xheaders FROM accounts WHERE id = ?", (caller.id,)
        ).fetchone()[0]
        return {**dict.fromkeys(XHEADER_NAMES, ""), **json.loads(raw)}

    def set_xheaders(self, caller: Caller, params: Params) -> dict[str, str]:
        """Set the given X-header names (an empty value clears one); answers all four."""
        current = self.xheaders(caller)
        for name in XHEADER_NAMES:
            value = optional(params, name)
            if value is None:
                continue
            value = value.strip()
            if value and not is_xheader(value):
                raise invalid(f"The field '{name}' must be an X-header name like X-Campaign.")
            current[name] = value
        named = [v.lower() for v in current.values() if v]
        if len(named) != len(set(named)):  # header names are case-insensitive (RFC 5322)
            raise invalid("An X-header name is given twice (names do not differ by case).")
        self.store.conn.execute(
            "UPDATE accounts SET xheaders = ? WHERE id = ?", (json.dumps(current), caller.id)
        )
        return current

    def draw_new_keys(self) -> None:
        """Give every account a key of :func:`new_apikey` (a seed's keys follow its seed
        value, the same on every start: anyone who reached the port would know them)."""
        ids = [row[0] for row in self.store.conn.execute("SELECT id FROM accounts")]
        self.store.conn.executemany(
            "UPDATE accounts SET apikey = ? WHERE id = ?", [(new_apikey(), i) for i in ids]
        )

    def first_master_key(self) -> str | None:
        """The key of the oldest master (what the emulator announces)."""
        row = self.store.conn.execute(
            "SELECT apikey FROM accounts WHERE master_id IS NULL ORDER BY id LIMIT 1"
        ).fetchone()
        return row[0] if row else None
