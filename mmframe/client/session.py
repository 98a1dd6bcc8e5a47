"""The session: one API key on a shared transport, its calls, its fan-outs, and its accounts.

Every request goes through :meth:`Session.fetch`: the fields are checked
(:mod:`.checks`), sent by the :mod:`.transport` (retries, throttle, pool) and the answer is
decoded by the :mod:`.envelope`. A master's session reaches its sub-accounts through its
:mod:`.directory`.
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future
from types import TracebackType
from typing import Any, TypeVar

from ..chunks import Parse
from ..errors import LISTED_REFUSED, InvalidAPIKey, SessionClosed
from ..listing import Listing
from ..progress import Bar
from ..redact import hint, install_log_filter, register, scrub
from ..throttle import Throttle
from .checks import (
    CacheSetting,
    cache_from_env,
    check_apikey,
    check_cache,
    check_int,
    check_number,
    check_timeout,
    check_url,
    request_fields,
)
from .directory import AccountDirectory
from .envelope import Reply, answer, plain
from .transport import Timeout, Transport

T = TypeVar("T")
R = TypeVar("R")

#: How a sub-account key's account is named while its username is unknown (the API tells
#: no key its own username).
OWN_ACCOUNT = "this key's account"


class Session:
    """A connection to an MM API endpoint with one API key.

    Parameters
    ----------
    url
        Base URL such as ``http://127.0.0.1:8025/rest/json``.
    apikey
        The account's key. Kept private: never shown in a repr, log line or error.
    timeout
        Seconds, or a ``(connect, read)`` pair.
    max_workers
        Concurrent requests at most (also the connection pool size).
    rate_limit
        Requests per second across everything this session and its sub-sessions send.
    retries
        Retries per request on connection errors, timeouts, 5xx and 429.
    max_addresses
        Addresses per request at most (the server's limit).
    cache
        The reads' ``cache=`` when a call gives none: True (the per-user folder), a
        folder, or False; None takes ``MMFRAME_CACHE`` (see :mod:`mmframe.cache`).
    username
        The key's account, for a sub-account key (a master key's is learned from the
        account list; the API tells a sub-account key no name). Its reads are cached only
        once it is given: the cache keeps months per username.
    """

    def __init__(
        self,
        url: str,
        apikey: str,
        *,
        timeout: Timeout = (3.05, 30.0),
        max_workers: int = 16,
        rate_limit: float | None = None,
        retries: int = 5,
        max_addresses: int = 1000,
        username: str | None = None,
        transport: Transport | None = None,
        cache: CacheSetting = None,
    ) -> None:
        check_apikey(apikey)
        check_cache(cache)
        #: The reads' cache when a call gives none (None: off).
        self.cache: CacheSetting = cache_from_env() if cache is None else cache
        #: The cache folders this session's reads used: its writes mark them stale. One
        #: set shared with the sub-account sessions (they share the transport).
        self.cache_roots: set[str] = set()
        register(apikey)
        self._apikey = apikey
        self.username = username
        self.directory: AccountDirectory[Session] = AccountDirectory()
        #: A sub-account's key, known (:meth:`sees`); ``username`` from a master's list.
        self.sub_key = self.listed = False
        self._closed = False
        #: Whether this session made the transport (and so closes it), or shares its master's.
        self._owns_transport = transport is None
        if transport is None:
            check_url(url, apikey)
            check_int("max_workers", max_workers, low=1)
            check_int("retries", retries, low=0)
            check_int("max_addresses", max_addresses, low=1)
            check_timeout(timeout)
            if rate_limit is not None:
                check_number("rate_limit", rate_limit, positive=True)
            transport = Transport(
                url.rstrip("/"), timeout, max_workers, retries, max_addresses, Throttle(rate_limit)
            )
        self.transport = transport
        install_log_filter()

    def __repr__(self) -> str:
        who = self.username or "key " + hint(self._apikey)
        state = " (closed)" if self.closed else ""
        return f"<mmframe.Session {who} at {scrub(self.url)}{state}>"

    @property
    def closed(self) -> bool:
        """Whether this session (or the transport it shares) has been closed."""
        return self._closed or self.transport.closed

    def check_open(self) -> None:
        """Raise :class:`~mmframe.errors.SessionClosed` if the session is closed."""
        if self.closed:
            raise SessionClosed(f"the session {self!r} is closed: open a new one")

    @property
    def url(self) -> str:
        """The base URL of the API."""
        return self.transport.url

    @property
    def apikey_hint(self) -> str:
        """The last four characters of the key, for display."""
        return hint(self._apikey)

    def credentials(self) -> tuple[str, str]:
        """(url, key): what a worker process needs to open its own session. Keep it secret."""
        return self.url, self._apikey

    def replace_apikey(self, apikey: str) -> None:
        """Switch this session to a rotated key."""
        register(apikey)
        self._apikey = apikey

    # --- requests ------------------------------------------------------------------------

    def get(self, method: str, **params: Any) -> Any:
        """GET ``method`` and return the envelope's ``data``."""
        return self.call("GET", method, params).data

    def post(self, method: str, **params: Any) -> Any:
        """POST ``method`` and return the envelope's ``data``."""
        return self.call("POST", method, params).data

    def call(
        self,
        verb: str,
        method: str,
        params: dict[str, Any],
        *,
        once: bool = False,
        retry_connections: bool = True,
    ) -> Reply:
        """Send one request; raise from :mod:`mmframe.errors` on failure.

        Retried on connection errors, timeouts, 5xx and 429, unless ``once=True``: a write
        that must not be repeated (key rotation) is sent exactly once.
        ``retry_connections=False`` (a GET) retries 5xx and 429 answers alone: a connection
        that fails, times out or breaks is raised at once (the command line's first request).
        """
        data, attempts = self.fetch(
            verb, method, params, plain, once=once, retry_connections=retry_connections
        )
        return Reply(data, attempts)

    def fetch(
        self,
        verb: str,
        method: str,
        params: dict[str, Any],
        parse: Parse[T],
        *,
        once: bool = False,
        retry_connections: bool = True,
    ) -> tuple[T, int]:
        """Like :meth:`call`, but ``parse(body, decode)`` reads the answer's bytes.

        ``decode(envelope)`` is the plain way: it maps a parsed JSON envelope to its
        ``data`` or raises the API's error. A parser may take a faster road for the common
        case and fall back to it. Returns (what ``parse`` returned, requests sent).
        """
        fields = request_fields(verb, method, params)  # checked before any request or key
        how = (once, retry_connections)
        if self.transport.on_pool():
            return self._fetch(verb, method, fields, parse, how)
        # Off the pool the request still runs on it, so that close() frees this caller at
        # once, as it frees a concurrent read: the caller waits, watching the session.
        return self.wait(self.submit(self._fetch, verb, method, fields, parse, how))

    def _fetch(
        self,
        verb: str,
        method: str,
        fields: dict[str, str],
        parse: Parse[T],
        how: tuple[bool, bool],
    ) -> tuple[T, int]:
        """Send with the key; ``how``: (once, retry_connections), as :meth:`call` takes them."""
        payload = {**fields, "apikey": self._apikey}
        once, connections = how
        response, raw, sent = self.transport.exchange(
            verb, method, payload, once=once, caller=self, retry_connections=connections
        )
        try:
            return answer(f"{verb} {method}", response, raw, sent, parse), sent
        except InvalidAPIKey as exc:
            if not (self.listed and self.sub_key):
                raise
            raise InvalidAPIKey(exc.message, method=exc.method, attempts=sent,
                                advice=LISTED_REFUSED.format(self.username)) from None  # fmt: skip

    def wait(self, future: Future[T]) -> T:
        """``future``'s result, or :class:`SessionClosed` soon after the session closes."""
        try:
            while True:
                try:
                    return future.result(timeout=0.25)
                except TimeoutError:
                    self.check_open()
                except CancelledError:
                    self.check_open()
                    raise
        finally:
            future.cancel()

    def pause(self, seconds: float) -> None:
        """Wait ``seconds`` (a poll's wait); as a retry's wait, it raises
        :class:`~mmframe.errors.SessionClosed` as soon as the session's pool closes."""
        self.check_open()
        self.transport.pause(seconds)

    # --- concurrency ---------------------------------------------------------------------

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run ``fn(*args)`` on the shared worker pool."""
        self.check_open()
        try:
            return self.transport.executor.submit(fn, *args)
        except RuntimeError:  # closed between the check and the submit: say it as closed
            self.check_open()
            raise

    @property
    def workers(self) -> int:
        """Requests this session's pool sends at once."""
        return self.transport.max_workers

    def map(
        self, fn: Callable[[T], R], items: Iterable[T], *, each: Callable[[], object] | None = None
    ) -> list[R]:
        """``[fn(item) for item in items]`` on the shared pool: results in the items' order.

        ``each()`` is called as each item finishes (a progress bar's ``update``).
        """
        listed = list(items)
        results: dict[int, R] = {}
        for (i, _item), value in self.map_unordered(lambda pair: fn(pair[1]), enumerate(listed)):
            results[i] = value
            if each is not None:
                each()
        return [results[i] for i in range(len(listed))]

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R]]:
        """Yield ``(item, fn(item))`` as each finishes on the shared pool.

        Called from one of the pool's own workers it runs inline instead: waiting on the
        pool from inside it could deadlock once every worker waits.
        """
        if self.transport.on_pool():
            yield from ((item, fn(item)) for item in items)
            return
        # Each future puts itself on a queue as it ends: as_completed re-arms a waiter on
        # every pending future at each wake (a million-row read has 2,000), under their locks.
        ended: queue.SimpleQueue[Future[R]] = queue.SimpleQueue()
        futures: dict[Future[R], T] = {}
        for item in items:
            future = self.submit(fn, item)
            futures[future] = item
            future.add_done_callback(ended.put)
        try:
            for _ in range(len(futures)):
                future = self._next_ended(ended)
                if future.cancelled():
                    self.check_open()
                yield futures[future], future.result()
        finally:
            for future in futures:
                future.cancel()

    def _next_ended(self, ended: queue.SimpleQueue[Future[R]]) -> Future[R]:
        """The next future to end; waking now and then to notice close(): a request in
        flight may take its whole timeout to end, and the caller must hear at once."""
        while True:
            try:
                return ended.get(timeout=0.25)
            except queue.Empty:
                self.check_open()

    # --- accounts (see .directory) -------------------------------------------------------

    def list_accounts(self, *, progress: Bar | None = None) -> Listing:
        """Every account of a master key as the API lists it, remembered for
        :meth:`for_account` (the one read of the account list)."""
        listing = self.directory.read(self, progress=progress)
        self._learn_username()
        return listing

    def account_keys(self, *, refresh: bool = False) -> dict[str, tuple[str, str]]:
        """username (lower-cased) → (username, key) for every account of a master key.
        The keys are secrets, as :meth:`credentials`' is: never print or log them."""
        if not self.directory.known or refresh:
            try:
                self.list_accounts()
            except InvalidAPIKey as exc:
                raise InvalidAPIKey(
                    "listing accounts needs the master account's key",
                    method=exc.method,
                    attempts=exc.attempts,
                    advice="",  # a sub-account's key may be right: for its own account
                ) from None
        return self.directory.keys

    def sees(self, *, fresh: bool = False) -> list[str] | None:
        """Every account this key reads: a master's account list (the master included; read
        again with ``fresh``), or None for a sub-account key, which reads its own only. Asked
        once per session (the list answers a sub-account key 451, as it does a wrong key)."""
        if self.sub_key:
            return None
        try:
            known = self.account_keys(refresh=fresh)
        except InvalidAPIKey:
            self.sub_key = True
            return None
        return [name for name, _key in known.values()]

    def remember_accounts(self, rows: list[dict[str, Any]]) -> None:
        """Keep the keys of a master's account list (raw API rows) for :meth:`for_account`."""
        self.directory.remember(rows)
        self._learn_username()

    def _learn_username(self) -> None:
        """A master key's session learns its username from the account list."""
        if self.username is None:
            self.username = self.directory.master
            self.listed = self.username is not None

    def forget_accounts(self, gone: Iterable[str] = ()) -> None:
        """Drop the cached account directory (after creates), and the sessions of ``gone``.

        The next :meth:`for_account` or :meth:`account_keys` reads the directory again.
        """
        self.directory.forget(gone)

    def identity(self) -> str:
        """Who this key acts as: the username, learned from the directory for a master key.

        The API tells no sub-account key its username (only a master lists accounts): such
        a key's account is "this key's account" until a username is given (``username=``,
        or a report's ``accounts``). Never anything derived from the key: the name goes into
        frames, journals and reports that are shared.
        """
        if self.username is None:
            try:
                self.account_keys()
            except InvalidAPIKey:
                return OWN_ACCOUNT
        return str(self.username).lower()

    def for_account(self, username: str) -> Session:
        """A session acting as ``username``, with the key the master's account list holds.

        A name missing from the cached directory makes it read the directory once more
        (the account may have been created since).

        Raises
        ------
        KeyError
            When ``username`` is not in the master's account list.
        ValueError
            For a master key whose ``username=`` its account list names otherwise.
        """
        if self.username and not self.listed and self.sees() is not None:
            self.directory.confirm_master(self.username)  # a master key named otherwise
        if self._is(username):
            return self
        if username.lower() not in self.account_keys():
            self.account_keys(refresh=True)
        name, key = self.directory.entry(username)
        if self._is(name):
            return self
        sub = self.directory.session(
            name,
            lambda: Session(self.url, key, username=name, transport=self.transport),
            usable=lambda sub: not sub.closed,  # a sub-session its user closed is not reused
        )
        sub.cache, sub.cache_roots = self.cache, self.cache_roots  # the master's, shared
        sub.sub_key = sub.listed = True  # the master's list gave key and name
        return sub

    def _is(self, username: str) -> bool:
        """Whether ``username`` is this session's own account."""
        return bool(self.username) and username.lower() == str(self.username).lower()

    def switch_key(self, username: str, apikey: str, *, old: str | None = None) -> None:
        """After a rotation: every session of this master holding the old key moves on.

        ``old`` names the rotated key, so the master's own session switches even when its
        username was never learned.
        """
        register(apikey)
        if self._is(username) or (old is not None and self._apikey == old):
            self.replace_apikey(apikey)
        self.directory.switch(username, apikey)

    def close(self) -> None:
        """Close the session; calls after it, or still running, raise ``SessionClosed``.

        A master's session also closes the pool and workers it shares with its
        sub-account sessions (they close with it); closing a sub-account session closes
        only that session and leaves the shared pool to its owner.
        """
        self._closed = True
        if self._owns_transport:
            self.transport.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
