"""HTTP only: one session per API key, the envelope, retries, the shared limits. No pandas.

Every request goes through :meth:`Session.call`: it takes a token from the shared throttle,
sends with urllib3's :class:`~urllib3.util.Retry` mounted on the adapter (connection errors,
timeouts, 5xx and 429 with ``Retry-After``, exponential backoff with jitter), and hands the
answer to :mod:`mmframe.envelope`, which decodes it, checks it against its method's shape
and maps an error status to :mod:`mmframe.errors`. Retrying writes is safe: every MM write
sets a state.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self, TypeVar

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from .envelope import MAX_RETRY_AFTER as MAX_RETRY_AFTER  # documented here (the guide)
from .envelope import Reply, answer, parse_retry_after, plain
from .errors import (
    InvalidAPIKey,
    MMError,
    NoSession,
    SessionClosed,
    TransportError,
)
from .paging import Parse, fetch_all_pages
from .redact import hint, install_log_filter, register, scrub
from .throttle import Throttle

log = logging.getLogger("mmframe")
#: Marks the transport's worker threads (to run nested fan-outs inline, not deadlock).
_worker = threading.local()
T = TypeVar("T")
R = TypeVar("R")
Timeout = float | tuple[float, float]
#: The body is read after urllib3's retry loop has returned, so a connection that breaks
#: mid-body surfaces here and is retried by :meth:`Session.call` itself.
_BODY_ERRORS = (
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
    urllib3.exceptions.HTTPError,  # raw reads raise urllib3's own errors
)


def _pause(seconds: float, closed: threading.Event) -> None:
    """Wait ``seconds``, or raise :class:`SessionClosed` as soon as the session closes."""
    if closed.wait(seconds) if seconds > 0 else closed.is_set():
        raise SessionClosed("the session was closed while a request waited to be retried")


class ThrottledRetry(Retry):
    """urllib3's retry policy, with a token from the shared throttle per retry, waits that a
    closed session cuts short, and ``Retry-After`` read as :func:`parse_retry_after` does."""

    throttle: Throttle | None = None
    closed: threading.Event | None = None

    def new(self, **kw: Any) -> Self:
        fresh = super().new(**kw)
        fresh.throttle, fresh.closed = self.throttle, self.closed
        return fresh

    def get_retry_after(self, response: Any) -> float | None:
        return parse_retry_after(response.headers.get("Retry-After"))

    def sleep(self, response: Any = None) -> None:
        wait = self.get_retry_after(response) if response is not None else None
        if wait is None or not self.respect_retry_after_header:
            wait = self.get_backoff_time()
        _pause(wait, self.closed or threading.Event())
        if self.throttle is not None:
            self.throttle.acquire()


@dataclass
class Transport:
    """What a session and its sub-account sessions share: pool, workers, throttle, options."""

    url: str
    timeout: Timeout
    max_workers: int
    retries: int
    max_addresses: int
    throttle: Throttle
    http: requests.Session = field(default_factory=requests.Session)
    #: For writes that must never be sent twice (key rotation): no retries at all.
    once: requests.Session = field(default_factory=requests.Session)
    _executor: ThreadPoolExecutor | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closed: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        retry = ThrottledRetry(
            total=self.retries,
            connect=self.retries,
            read=self.retries,
            status=self.retries,
            other=0,
            allowed_methods=frozenset({"GET", "POST"}),
            status_forcelist=frozenset({429, 500, 502, 503, 504}),
            backoff_factor=0.2,
            backoff_jitter=0.2,
            backoff_max=10.0,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        retry.throttle, retry.closed = self.throttle, self._closed
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=self.max_workers, max_retries=retry)
        single = HTTPAdapter(pool_connections=1, pool_maxsize=2, max_retries=Retry(0, read=False))
        # requests re-reads proxy variables and ~/.netrc on every request, and stats a CA
        # bundle path on every request even for http:// (together ~2 ms, most of a small
        # request's client cost): read the environment once, here, instead.
        proxies = requests.utils.get_environ_proxies(self.url)
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        for http, mounted in ((self.http, adapter), (self.once, single)):
            http.mount("http://", mounted)
            http.mount("https://", mounted)
            http.proxies = proxies
            http.verify = bundle if bundle and self.url.startswith("https://") else True
            http.trust_env = False

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._closed.is_set()

    @property
    def executor(self) -> ThreadPoolExecutor:
        """The one worker pool of this transport (created on first use)."""
        with self._lock:
            if self.closed:
                raise SessionClosed("the session is closed: open a new one")
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    self.max_workers, "mmframe", initializer=self._mark_worker
                )
            return self._executor

    def _mark_worker(self) -> None:
        _worker.transport = self

    def on_pool(self) -> bool:
        """Whether the calling thread is one of this transport's workers."""
        return getattr(_worker, "transport", None) is self

    def close(self) -> None:
        """Refuse new calls, cancel queued work, and close pooled connections.

        Does not wait for requests in flight: their callers get :class:`SessionClosed`.
        """
        self._closed.set()
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None
        self.http.close()
        self.once.close()


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
    ) -> None:
        if not apikey or not isinstance(apikey, str):
            raise ValueError("apikey must be a non-empty string (or set MMFRAME_APIKEY)")
        if not _encodable(apikey):  # raised here, not by requests: its error holds the key
            raise ValueError(
                "apikey holds a character that cannot be sent (a lone surrogate: text "
                "decoded with errors='surrogateescape'?); the key is not shown"
            )
        register(apikey)
        self._apikey = apikey
        self.username = username
        self._accounts: dict[str, tuple[str, str]] | None = None
        self._subs: dict[str, Session] = {}
        self._closed = False
        #: Whether this session made the transport (and so closes it), or shares its master's.
        self._owns_transport = transport is None
        if transport is None:
            check_url(url, apikey)
            check_int("max_workers", max_workers, low=1)
            check_int("retries", retries, low=0)
            check_int("max_addresses", max_addresses, low=1)
            _check_timeout(timeout)
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

    def call(self, verb: str, method: str, params: dict[str, Any], *, once: bool = False) -> Reply:
        """Send one request; raise from :mod:`mmframe.errors` on failure.

        Retried on connection errors, timeouts, 5xx and 429, unless ``once=True``: a write
        that must not be repeated (key rotation) is sent exactly once.
        """
        data, attempts = self.fetch(verb, method, params, plain, once=once)
        return Reply(data, attempts)

    def fetch(
        self, verb: str, method: str, params: dict[str, Any], parse: Parse[T], *, once: bool = False
    ) -> tuple[T, int]:
        """Like :meth:`call`, but ``parse(body, decode)`` reads the answer's bytes.

        ``decode(envelope)`` is the plain way: it maps a parsed JSON envelope to its
        ``data`` or raises the API's error. A parser may take a faster road for the common
        case and fall back to it. Returns (what ``parse`` returned, requests sent).
        """
        fields = _fields(verb, method, params)  # checked here, before any request or key
        if self.transport.on_pool():
            return self._fetch(verb, method, fields, parse, once)
        # Off the pool the request still runs on it, so that close() frees this caller at
        # once, as it frees a concurrent read: the caller waits, watching the session.
        return self.wait(self.submit(self._fetch, verb, method, fields, parse, once))

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
        _pause(seconds, self.transport._closed)

    def _fetch(
        self, verb: str, method: str, fields: dict[str, str], parse: Parse[T], once: bool
    ) -> tuple[T, int]:
        name = f"{verb} {method}"
        sent = 0
        retries = 0 if once else self.transport.retries
        while True:
            self.check_open()
            self.transport.throttle.acquire()
            # Errors are raised after the except blocks, never inside them: requests'
            # exceptions print the URL (the key of a GET included), and raising inside
            # would keep them as __context__, where tracebacks and pickles find them.
            failure: MMError | None = None
            try:
                response = self._send(verb, method, fields, once=once)
                sent += _attempts(response)
                raw = _read_body(response)
            except _BODY_ERRORS as exc:
                sent += 1
                if sent <= retries:
                    continue
                failure = TransportError(
                    _describe(name, exc), method=name, attempts=sent, kind=_kind(exc)
                )
            except requests.RequestException as exc:
                failure = TransportError(
                    _describe(name, exc), method=name, attempts=sent + retries + 1, kind=_kind(exc)
                )
            except SessionClosed:  # a retry's wait cut short by close()
                failure = SessionClosed(f"the session {self!r} was closed during {name}")
            if failure is not None:
                self.check_open()  # a call cut short by close() says so
                raise failure
            return answer(name, response, raw, sent, parse), sent

    def _send(
        self, verb: str, method: str, fields: dict[str, str], *, once: bool = False
    ) -> requests.Response:
        payload = {**fields, "apikey": self._apikey}
        url = f"{self.url}/{method}"
        log.debug("%s %s", verb, method)
        # stream=True: _read_body takes the body in one read, not requests' 10 KB chunks
        # (each chunk is a GIL hand-off among the workers; most of a big page's cost).
        # No redirects: requests would send the key (and re-post the form) to any host.
        http = self.transport.once if once else self.transport.http
        timeout = self.transport.timeout
        if verb == "GET":
            return http.get(
                url, params=payload, timeout=timeout, stream=True, allow_redirects=False
            )
        return http.post(url, data=payload, timeout=timeout, stream=True, allow_redirects=False)

    # --- concurrency ---------------------------------------------------------------------

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run ``fn(*args)`` on the shared worker pool."""
        self.check_open()
        return self.transport.executor.submit(fn, *args)

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
        futures = {self.submit(fn, item): item for item in items}
        pending = set(futures)
        try:
            while pending:
                try:
                    # Wake now and then to notice close(): a request in flight may take
                    # its whole timeout to end, and the caller must hear at once.
                    for future in as_completed(pending, timeout=0.25):
                        pending.discard(future)
                        if future.cancelled():
                            self.check_open()
                        yield futures[future], future.result()
                except TimeoutError:
                    self.check_open()
        finally:
            for future in futures:
                future.cancel()

    # --- accounts ------------------------------------------------------------------------

    def account_keys(self, *, refresh: bool = False) -> dict[str, tuple[str, str]]:
        """username (lower-cased) → (username, key) for every account of a master key."""
        if self._accounts is None or refresh:
            try:
                rows = fetch_all_pages(self, "accounts", "accounts", 25).rows
            except InvalidAPIKey as exc:
                raise InvalidAPIKey(
                    "listing accounts needs the master account's key",
                    method=exc.method,
                    attempts=exc.attempts,
                ) from None
            self.remember_accounts(rows)
        assert self._accounts is not None
        return self._accounts

    def remember_accounts(self, rows: list[dict[str, Any]]) -> None:
        """Keep the keys of a master's account list (raw API rows) for :meth:`for_account`."""
        self._accounts = {r["username"].lower(): (r["username"], r["apikey"]) for r in rows}
        for _name, key in self._accounts.values():
            register(key)
        if self.username is None:
            self.username = next(
                (r["username"] for r in rows if r.get("usertype") == "Master"), None
            )

    def forget_accounts(self, gone: Iterable[str] = ()) -> None:
        """Drop the cached account directory (after creates), and the sessions of ``gone``.

        The next :meth:`for_account` or :meth:`account_keys` reads the directory again.
        """
        self._accounts = None
        for name in gone:
            self._subs.pop(name.lower(), None)

    def identity(self) -> str:
        """Who this key acts as: the username, learned from the directory for a master key.

        A sub-account key cannot list accounts; it is then named by a fingerprint of the
        key (a hash: the key cannot be recovered from it). Journals use this identity.
        """
        if self.username is None:
            try:
                self.account_keys()
            except InvalidAPIKey:
                digest = hashlib.sha256(self._apikey.encode()).hexdigest()[:16]
                return f"key:{digest}"
        return str(self.username).lower()

    def for_account(self, username: str) -> Session:
        """A session acting as ``username``, with the key the master's account list holds.

        A name missing from the cached directory makes it read the directory once more
        (the account may have been created since).

        Raises
        ------
        KeyError
            When ``username`` is not in the master's account list.
        """
        if self.username and username.lower() == self.username.lower():
            return self
        accounts = self.account_keys()
        if username.lower() not in accounts:
            accounts = self.account_keys(refresh=True)
        if username.lower() not in accounts:
            known = ", ".join(sorted(name for name, _ in accounts.values()))
            raise KeyError(f"no account {username!r} under this master (known: {known})")
        name, key = accounts[username.lower()]
        if self.username and name.lower() == self.username.lower():
            return self
        cached = self._subs.get(name.lower())
        if cached is None or cached.closed:  # a sub-session its user closed is not reused
            self._subs[name.lower()] = Session(
                self.url, key, username=name, transport=self.transport
            )
        return self._subs[name.lower()]

    def switch_key(self, username: str, apikey: str, *, old: str | None = None) -> None:
        """After a rotation: every session of this master holding the old key moves on.

        ``old`` names the rotated key, so the master's own session switches even when its
        username was never learned.
        """
        register(apikey)
        mine = self.username and username.lower() == self.username.lower()
        if mine or (old is not None and self._apikey == old):
            self.replace_apikey(apikey)
        if username.lower() in self._subs:
            self._subs[username.lower()].replace_apikey(apikey)
        if self._accounts is not None and username.lower() in self._accounts:
            self._accounts[username.lower()] = (self._accounts[username.lower()][0], apikey)

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


def check_url(url: object, apikey: str) -> None:
    """``ValueError`` unless ``url`` is an http(s) URL without a key in it; never shows a key.

    A value that is the key itself (arguments swapped) is not echoed, and a URL carrying
    ``apikey=`` is refused (its key registered, so every message masks it). A password in
    the URL is registered too.
    """
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        if not isinstance(url, str):
            raise ValueError(
                f"url must be text starting with http:// or https://, not {type(url).__name__}"
            )
        # Never echoed: a value that is no URL may well be a key of any alphabet passed in
        # the wrong place (arguments swapped, or a key from another service).
        if url == apikey or len(url) >= 16:
            register(url)
        raise ValueError(
            f"url must start with http:// or https://; the value given ({len(url)} "
            "characters) does not and is not shown, in case it is a key (were url and "
            "apikey swapped?)"
        )
    parts = urllib.parse.urlsplit(url)
    if parts.password:  # a secret like the key: masked in any text that holds it
        register(parts.password)
        register(urllib.parse.unquote(parts.password))
    for name, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
        if name.lower() == "apikey":
            register(value)
            raise ValueError(
                f"the URL {scrub(url)!r} carries an API key: pass the key as apikey= (or "
                "MMFRAME_APIKEY) and the URL without it"
            )


def check_int(name: str, value: object, *, low: int) -> None:
    """``TypeError`` unless ``value`` is an int (not a bool); ``ValueError`` below ``low``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, not {value!r}")
    if value < low:
        raise ValueError(f"{name} must be at least {low}, not {value!r}")


def check_number(name: str, value: object, *, positive: bool = False) -> None:
    """``TypeError`` unless ``value`` is a real number; ``ValueError`` if not finite (> 0)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, not {value!r}")
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        sign = "positive" if positive else "non-negative"
        raise ValueError(f"{name} must be a finite {sign} number, not {value!r}")


def _check_timeout(timeout: object) -> None:
    parts = timeout if isinstance(timeout, tuple) else (timeout,)
    if len(parts) not in (1, 2):
        raise ValueError(f"timeout must be seconds or a (connect, read) pair, not {timeout!r}")
    for part in parts:
        check_number("timeout", part, positive=True)


#: A GET parameter's value longer than this is refused before sending: servers and proxies
#: cap a request line near 8 KiB (address lists are batched below it, MAX_QUERY_CHARS).
MAX_FIELD_CHARS = 7_500


def _wire(value: Any) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, list | tuple | set):
        return ",".join(str(v) for v in value)
    return str(value)


def _fields(verb: str, method: str, params: dict[str, Any]) -> dict[str, str]:
    """The request's fields as text, or ``ValueError`` naming the one that cannot be sent
    (checked before the key joins them, so no error or traceback can hold it)."""
    fields = {k: _wire(v) for k, v in params.items() if v is not None}
    for name, text in fields.items():
        if len(text) > MAX_FIELD_CHARS and verb == "GET":
            raise ValueError(
                f"{verb} {method}: {name} is {len(text):,} characters, over the "
                f"{MAX_FIELD_CHARS:,} a request can carry in its URL"
            )
        if not text.isascii() and not _encodable(text):
            raise ValueError(
                f"{verb} {method}: {name} holds a character that cannot be sent (a lone "
                "surrogate: text decoded with errors='surrogateescape'?)"
            )
    return fields


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read_body(response: requests.Response) -> bytes:
    """The whole body in one read; the connection goes back to the pool."""
    try:
        return bytes(response.raw.read(decode_content=True))
    finally:
        response.close()


def _attempts(response: requests.Response) -> int:
    retries = getattr(response.raw, "retries", None)
    return len(retries.history) + 1 if retries is not None else 1


def _kind(exc: Exception) -> str:
    """``connect``, ``timeout`` or ``read``: how a request failed (see TransportError)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connect"
    if isinstance(exc, requests.exceptions.Timeout | urllib3.exceptions.TimeoutError):
        return "timeout"
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps the cause
    if isinstance(
        reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError
    ):
        return "connect"
    if isinstance(reason, urllib3.exceptions.TimeoutError):
        return "timeout"
    return "read"


def _describe(name: str, exc: Exception) -> str:
    return scrub(f"{name}: {type(exc).__name__}: {exc}")


# --- the default session ---------------------------------------------------------------------

_default: Session | None = None


def connect(url: str | None = None, apikey: str | None = None, **options: Any) -> Session:
    """Open a session and make it the default for every function called without ``session=``.

    The session it replaces as the default is closed.

    Parameters
    ----------
    url, apikey
        Default to the ``MMFRAME_URL`` and ``MMFRAME_APIKEY`` environment variables.
    **options
        ``timeout``, ``max_workers``, ``rate_limit``, ``retries``, ``max_addresses``.

    Examples
    --------
    >>> import mmframe as mm
    >>> s = mm.connect("http://127.0.0.1:8025/rest/json", apikey="...")  # doctest: +SKIP
    """
    global _default
    url = url or os.environ.get("MMFRAME_URL")
    apikey = apikey or os.environ.get("MMFRAME_APIKEY")
    if not url:
        raise ValueError("no API URL: pass url= or set MMFRAME_URL")
    if not apikey:
        raise ValueError("no API key: pass apikey= or set MMFRAME_APIKEY")
    fresh = Session(url, apikey, **options)
    if _default is not None:
        _default.close()  # a re-run cell must not leave the old pool and workers behind
    _default = fresh
    return _default


def resolve(session: Session | None) -> Session:
    """``session``, or the default one; ``RuntimeError`` when there is none."""
    if session is not None:
        if not isinstance(session, Session):
            raise TypeError(f"session must be an mmframe Session, not {type(session).__name__}")
        return session
    if _default is None:
        raise NoSession("no session: call mmframe.connect(...) or pass session=")
    return _default
