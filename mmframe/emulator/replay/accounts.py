"""The accounts a replay names: found by username, created when missing (with fresh keys),
their profiles and X-header names set from the ``accounts`` and ``xheaders`` frames."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..models import Backend
from ..models.accounts import XHEADER_NAMES, is_xheader, xheader_column
from .columns import PROFILE, PROFILE_FLAGS, ReplayError, as_int, json_list, rows_named


class Accounts:
    """Username -> account id for one replay, creating what is missing (inside its
    transaction); ``created`` holds the new accounts' keys, to be shown once."""

    def __init__(self, backend: Backend, frames: Mapping[str, pd.DataFrame]) -> None:
        self.backend, self.conn = backend, backend.store.conn
        self.created: dict[str, str] = {}
        self.ids: dict[str, int] = {}
        self.profiled: set[int] = set()  # accounts whose emailssent the frame gave
        given = frames.get("accounts")
        rows = (
            given if given is not None else pd.DataFrame({"username": pd.Series([], dtype=object)})
        )
        duplicated = rows["username"].str.lower().duplicated(keep=False)
        if duplicated.any():
            raise ReplayError(
                f"accounts: one username twice in {rows_named(list(rows.index[duplicated]))}"
            )
        master = self._master(rows)
        for _label, row in rows.iterrows():
            self._account(row, master)
        for frame in frames.values():
            if "account" in frame:
                for name in dict.fromkeys(frame["account"]):
                    if name.lower() not in self.ids:
                        self._account(pd.Series({"username": name}), master)

    def id_of(self, names: pd.Series) -> pd.Series:
        """The account id of each username."""
        return names.str.lower().map(self.ids)

    def _existing(self, username: str) -> tuple[int, int | None] | None:
        row = self.conn.execute(
            "SELECT id, master_id FROM accounts WHERE username_key = ?", (username.lower(),)
        ).fetchone()
        return None if row is None else (int(row[0]), row[1])

    def _master(self, rows: pd.DataFrame) -> int:
        """The master new sub-accounts go under: the frame's (created if new), else the
        emulator's first."""
        masters = rows[rows["user_type"] == "Master"] if "user_type" in rows else rows.iloc[:0]
        if len(masters) > 1:
            raise ReplayError(f"accounts: more than one master ({rows_named(list(masters.index))})")
        if len(masters):
            row = masters.iloc[0]
            found = self._existing(row["username"])
            if found is None:
                key = self.backend.accounts.create_master(
                    row["username"], secrets.token_hex(16), created=_created(row)
                )
                self.created[row["username"]] = key
                found = self._existing(row["username"])
                assert found is not None
            elif found[1] is not None:
                raise ReplayError(
                    f"accounts: {row['username']} is a sub-account here, not a master"
                )
            return found[0]
        first = self.conn.execute(
            "SELECT id FROM accounts WHERE master_id IS NULL ORDER BY id LIMIT 1"
        ).fetchone()
        if first is None:
            raise ReplayError("the emulator has no master account to hold the replayed ones")
        return int(first[0])

    def _account(self, row: pd.Series, master: int) -> None:
        username = row["username"]
        found = self._existing(username)
        if found is None:
            if row.get("user_type") == "Master":
                raise ReplayError(f"accounts: {username} is a master; the frame names another")
            self.created[username] = self.backend.accounts.create_sub(
                master, username, secrets.token_hex(16), created=_created(row)
            )
            found = self._existing(username)
            assert found is not None
        elif row.get("user_type") == "Sub" and found[1] is None:
            raise ReplayError(f"accounts: {username} is a master here, not a sub-account")
        self.ids[username.lower()] = found[0]
        self._profile(found[0], row)

    def _profile(self, account_id: int, row: pd.Series) -> None:
        """Set what the accounts frame gives: profile fields, ``created``, ``emails_sent``."""
        changes: dict[str, str] = {}
        for column, field in PROFILE.items():
            if column not in row.index:
                continue
            value = row[column]
            if column in PROFILE_FLAGS:
                if value is not None:  # a missing flag keeps its default
                    changes[field] = str(int(value))
            else:
                changes[field] = "" if value is None else str(value)
        profile = self.conn.execute("SELECT profile FROM accounts WHERE id = ?", (account_id,))
        merged = {**json.loads(profile.fetchone()[0]), **changes}
        updates: dict[str, Any] = {"profile": json.dumps(merged)}
        if row.get("created") is not None:
            updates["created"] = int(row["created"])
        if row.get("emails_sent") is not None:
            updates["emailssent"] = int(row["emails_sent"])
            self.profiled.add(account_id)
        assignments = ", ".join(f"{name} = ?" for name in updates)
        self.conn.execute(
            f"UPDATE accounts SET {assignments} WHERE id = ?",  # noqa: S608 - fixed names
            (*updates.values(), account_id),
        )

    def count_sent(self, sent: Mapping[int, int]) -> None:
        """Add the sends loaded to ``emailssent`` where the accounts frame did not set it."""
        for account_id, n in sent.items():
            if account_id not in self.profiled:
                self.conn.execute(
                    "UPDATE accounts SET emailssent = emailssent + ? WHERE id = ?", (n, account_id)
                )


def _created(row: pd.Series) -> int | None:
    value = row.get("created")
    return None if value is None else int(value)


def set_xheaders(accounts: Accounts, frame: pd.DataFrame | None) -> None:
    """Give each account of the ``xheaders`` frame its four names (missing: unset)."""
    if frame is None:
        return
    twice = frame["account"].str.lower().duplicated(keep=False)
    if twice.any():
        raise ReplayError(f"xheaders: one account twice in {rows_named(list(frame.index[twice]))}")
    for label, row in frame.iterrows():
        names = {slot: (row.get(slot) or "").strip() for slot in XHEADER_NAMES}
        bad = [n for n in names.values() if n and not is_xheader(n)]
        lowered = [n.lower() for n in names.values() if n]
        if bad or len(set(lowered)) != len(lowered):
            raise ReplayError(
                f"xheaders: row {label} names {', '.join(map(repr, bad)) or 'one header twice'}; "
                "names are X- followed by letters, digits and dashes, each once"
            )
        accounts.conn.execute(
            "UPDATE accounts SET xheaders = ? WHERE id = ?",
            (json.dumps(names), accounts.ids[row["account"].lower()]),
        )


def header_names(accounts: Accounts, kind: str, frame: pd.DataFrame) -> dict[int, dict[str, str]]:
    """Per account of ``frame``: X-header column -> the account's name for that header.

    Raises
    ------
    ReplayError
        When a column holds values for an account that reports on no header of that column.
    """
    columns = [c for c in frame.columns if c.startswith("x_")]
    found: dict[int, dict[str, str]] = {}
    for account_id, rows in frame.groupby("account_id", sort=False):
        raw = accounts.conn.execute(
            "SELECT username, xheaders FROM accounts WHERE id = ?", (as_int(account_id),)
        ).fetchone()
        own = {xheader_column(n): n for n in json.loads(raw[1]).values() if n}
        held = [c for c in columns if rows[c].notna().any()]
        unnamed = [c for c in held if c not in own]
        if unnamed:
            where = rows.index[rows[unnamed].notna().any(axis=1)]
            raise ReplayError(
                f"{kind}: column(s) {', '.join(unnamed)} hold values for {raw[0]} in "
                f"{rows_named(list(where))}, which reports on "
                f"{', '.join(own.values()) or 'no X-headers'}: give the account's header "
                "names (an xheaders frame, as mmframe.read_xheaders returns)"
            )
        found[as_int(account_id)] = {c: own[c] for c in held}
    return found


def ids_in(conn: Any, table: str, column: str, values: Iterable[object]) -> list[Any]:
    """Which of ``values`` the table's column already holds (one statement)."""
    return [
        row[0]
        for row in conn.execute(
            f"SELECT {column} FROM {table} WHERE {column} IN (SELECT value FROM json_each(?))",  # noqa: S608 - fixed names
            (json_list(values),),
        )
    ]
