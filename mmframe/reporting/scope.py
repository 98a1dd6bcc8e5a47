"""Who a report reads: the accounts named (as the account list spells them), and frames
that always say whose rows they hold."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import pandas as pd

from ..client import Session
from ..client.checks import CacheSetting
from ..errors import InvalidAPIKey
from ..options import Accounts, ReadOptions
from ..progress import Shared, Show, bar, split


@dataclass(frozen=True)
class Scope:
    """The read options every read of one report shares: its session, its accounts (as
    :func:`accounts_of` spells them; None for the key's own account) and its progress."""

    session: Session
    accounts: list[str] | None
    progress: Show
    cache: CacheSetting = None  # the reads' cache= (None: the session's)

    def options(self, accounts: list[str] | None = None) -> ReadOptions:
        """The loaders' options for this report's accounts, or only ``accounts`` of them
        (ignored for the key's own account, which reads no other)."""
        who = accounts if self.accounts and accounts is not None else self.accounts
        return {
            "session": self.session, "progress": self.progress, "accounts": who,
            "cache": self.cache,
        }  # fmt: skip

    def readable(self) -> list[str] | None:
        """Every account the key reads, whatever the report is narrowed to: all a master
        key sees (its account list, read once per session), None for a sub-account key
        (its own account only). What keeps an address out of a fix is read over these."""
        if self.accounts is None:
            return None
        return [name for name, _key in self.session.account_keys().values()]

    @contextmanager
    def stage(self, label: str, parts: int = 0) -> Iterator[Scope]:
        """This scope, its reads in the block sharing one progress bar named ``label``
        (what they read): a stage of many small reads draws one bar, not one per read.
        ``parts``: the stage is that many reads (or :meth:`part` blocks), each filling an
        equal part of the bar (see :func:`mmframe.progress.split`)."""
        with bar(label, progress=self.progress, parts=parts) as shown:
            yield replace(self, progress=shown)

    @contextmanager
    def part(self, parts: int = 0) -> Iterator[Scope]:
        """This scope, its reads in the block filling one part of the stage's bar (itself
        ``parts`` parts); outside a stage, this scope as it is."""
        if not isinstance(self.progress, Shared):
            yield self
            return
        with bar("", progress=self.progress, parts=parts) as shown:
            yield replace(self, progress=shown)

    def split(self, parts: int) -> None:
        """Declare that this scope's stage (or part) is ``parts`` reads (see
        :func:`mmframe.progress.split`)."""
        split(self.progress, parts)

    def framed(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with its ``account`` column (see :func:`with_account`)."""
        return with_account(frame, self.session)


def with_account(frame: pd.DataFrame, session: Session) -> pd.DataFrame:
    """``frame`` with an ``account`` column: a read of the key's own account has none."""
    if "account" not in frame.columns:
        frame.insert(0, "account", session.identity())
    return frame


def accounts_of(session: Session, accounts: Accounts) -> list[str] | None:
    """The usernames to report on, as the account list spells them: those given (compared
    without case, as the API does), or every account a master key sees for None or
    ``"all"``; None for a sub-account key's own account (a username given alone then
    names it: the API tells no key its username).

    Raises
    ------
    ValueError
        ``accounts`` is empty or not usernames; or a sub-account key asks for others.
    KeyError
        A username the key does not see (before anything is read).
    """
    every = accounts is None or (isinstance(accounts, str) and accounts.strip().lower() == "all")
    given: list[str] = []
    if not every:
        if isinstance(accounts, str):
            listed = [accounts]
        elif isinstance(accounts, bytes | dict) or not isinstance(accounts, Iterable):
            raise ValueError(f"accounts must be 'all', a username or usernames, not {accounts!r}")
        else:  # a list, tuple, set, Series, Index or array of usernames
            listed = list(accounts)
        if not listed:
            raise ValueError(f"accounts must be 'all', a username or usernames, not {accounts!r}")
        given = [n.strip() for n in listed if isinstance(n, str)]
        if len(given) != len(listed) or not all(given):
            raise ValueError(f"accounts must be 'all', a username or usernames, not {accounts!r}")
    try:
        known = session.account_keys()
    except InvalidAPIKey:  # a sub-account key cannot list accounts: its own only
        if session.username is None and len(given) == 1:
            # The API tells no key its username: the one given names the key's account
            # (it cannot be checked; the key reads its own account whatever it is called).
            session.username = given[0]
        own = (session.username or "").lower()
        if every or all(n.lower() == own for n in given):
            return None
        raise ValueError(
            "a sub-account key reports on its own account only: leave accounts out, or "
            "use the master key"
        ) from None
    if every:
        return [name for name, _key in known.values()]
    names: list[str] = []
    for name in given:
        found = known.get(name.lower())
        if found is None:
            some = ", ".join(sorted(known)[:5]) + (", ..." if len(known) > 5 else "")
            raise KeyError(f"unknown account {name!r}: the key sees {some}")
        if found[0] not in names:
            names.append(found[0])
    return names


def own(frame: pd.DataFrame, account: str) -> pd.DataFrame:
    """The rows of ``account`` in a frame read across accounts."""
    if not len(frame):
        return frame
    return frame[frame["account"].astype(str).str.lower() == account.lower()]
