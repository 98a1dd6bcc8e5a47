"""The account directory of a master key: each account's key, read from the account list.

The one place that lists accounts and remembers them: :func:`mmframe.read_accounts`, a
write's state reads and :meth:`~mmframe.Session.for_account` all read the list through
:meth:`AccountDirectory.read`, so each read refreshes what every later one uses. Keys
are registered with :mod:`mmframe.redact` as they are learned, so no message shows one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, Protocol, TypeVar

from ..chunks import Requester
from ..listing import Listing, fetch_all_pages
from ..progress import Bar
from ..redact import register

#: username (lower-cased) → (username as the list spells it, its API key)
Keys = dict[str, tuple[str, str]]


class Rekeyed(Protocol):
    """A session that can switch to a rotated key."""

    def replace_apikey(self, apikey: str) -> None: ...


S = TypeVar("S", bound=Rekeyed)


class AccountDirectory(Generic[S]):
    """The accounts of a master key, and the sub-account sessions made from them.

    Empty until :meth:`read` (or :meth:`remember`) fills it; :meth:`forget` empties it
    again, after writes that change the list.
    """

    def __init__(self) -> None:
        self._keys: Keys | None = None
        self._sessions: dict[str, S] = {}
        #: The master's username, as the last list read named it (None: not read yet).
        self.master: str | None = None

    @property
    def known(self) -> bool:
        """Whether the list has been read (and not forgotten since)."""
        return self._keys is not None

    @property
    def keys(self) -> Keys:
        """username (lower-cased) → (username, key); empty before the list is read."""
        return self._keys if self._keys is not None else {}

    def read(self, requester: Requester, *, progress: Bar | None = None) -> Listing:
        """Every page of ``GET /accounts`` (the master key's), remembered; the raw listing."""
        listing = fetch_all_pages(requester, "accounts", "accounts", progress=progress)
        self.remember(listing.rows)
        return listing

    def remember(self, rows: list[dict[str, Any]]) -> None:
        """Keep the keys of a master's account list (raw API rows)."""
        self._keys = {r["username"].lower(): (r["username"], r["apikey"]) for r in rows}
        for lower, (_name, key) in self._keys.items():
            register(key)
            if lower in self._sessions:  # a key another client rotated: taken up (W-18d)
                self._sessions[lower].replace_apikey(key)
        self.master = next((r["username"] for r in rows if r.get("usertype") == "Master"), None)

    def confirm_master(self, username: str) -> None:
        """``ValueError`` when the list read names its master otherwise than ``username``,
        a master key's ``username=``: acting for "its own" account it would read and write
        the master's list as that one's (nineteenth review, W-19a)."""
        if self.master and self.master.lower() != username.lower():
            raise ValueError(
                f"this session's username={username!r} is not its key's account: the master's "
                f"account list names it {self.master!r}: nothing was sent. Leave username= "
                "out for a master key (its list names it)"
            )

    def forget(self, gone: Iterable[str] = ()) -> None:
        """Drop the keys read (the next look-up reads the list again), and the sessions of
        the accounts ``gone``."""
        self._keys = None
        for name in gone:
            self._sessions.pop(name.lower(), None)

    def entry(self, username: str) -> tuple[str, str]:
        """(username as listed, key) of ``username``; ``KeyError`` naming the known ones."""
        found = self.keys.get(username.lower())
        if found is None:
            known = ", ".join(sorted(name for name, _ in self.keys.values()))
            raise KeyError(f"no account {username!r} under this master (known: {known})")
        return found

    def session(self, username: str, make: Callable[[], S], *, usable: Callable[[S], bool]) -> S:
        """The sub-account session of ``username``: the one made before while ``usable``
        (a sub-session its user closed is not reused), else ``make()``."""
        cached = self._sessions.get(username.lower())
        if cached is None or not usable(cached):
            cached = self._sessions[username.lower()] = make()
        return cached

    def switch(self, username: str, apikey: str) -> None:
        """After a rotation: ``username``'s session and entry hold the new key."""
        lower = username.lower()
        if lower in self._sessions:
            self._sessions[lower].replace_apikey(apikey)
        if self._keys is not None and lower in self._keys:
            self._keys[lower] = (self._keys[lower][0], apikey)
