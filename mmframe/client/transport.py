"""The transport: connection pools, the retry policy, worker threads, and sending one request.

A session and its sub-account sessions share one :class:`Transport`. Every request is sent
with urllib3's :class:`~urllib3.util.Retry` mounted on the adapter (connection errors,
timeouts, 5xx and 429 with ``Retry-After``, exponential backoff with jitter, a token from
the shared throttle per retry); a connection that breaks mid-body is retried here. What
requests and urllib3 raise is translated into :mod:`mmframe.errors` in one place,
:meth:`Transport.exchange`, and never carries the URL (a GET's URL holds the key).
GETs are sent straight to the adapter's urllib3 pool (:mod:`mmframe.client.direct`): the
same pool, policy, proxies and TLS settings, without requests' per-request CPU.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import urllib.parse
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, Self

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from ..errors import MMError, SessionClosed, TransportError
from ..redact import scrub
from ..throttle import Throttle
from .direct import DirectGet
from .envelope import parse_retry_after

log = logging.getLogger("mmframe")
#: Marks the transport's worker threads (to run nested fan-outs inline, not deadlock).
_worker = threading.local()
Timeout = float | tuple[float, float]
#: The body is read after urllib3's retry loop has returned, so a connection that breaks
#: mid-body surfaces here and is retried by :meth:`Transport.exchange` itself.
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


def retry_policy(retries: int) -> ThrottledRetry:
    """Up to ``retries`` retries of connection errors, timeouts, 5xx and 429, backing off
    exponentially with jitter (0.2 s doubling, at most 10 s), or as ``Retry-After`` says."""
    return ThrottledRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        allowed_methods=frozenset({"GET", "POST"}),
        status_forcelist=frozenset({429, 500, 502, 503, 504}),
        backoff_factor=0.2,
        backoff_jitter=0.2,
        backoff_max=10.0,
        respect_retry_after_header=True,
        raise_on_status=False,
    )


class Response(Protocol):
    """What the transport reads of an answer: a ``requests.Response`` or its stand-in
    (:class:`mmframe.client.direct.Answered`)."""

    status_code: int
    raw: Any

    @property
    def headers(self) -> Mapping[str, str]: ...

    def close(self) -> None: ...


class Caller(Protocol):
    """Who sends a request (a session): it says whether it is still open, and names itself."""

    def check_open(self) -> None: ...


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
    _adapter: HTTPAdapter | None = None
    _direct: DirectGet | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closed: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        retry = retry_policy(self.retries)
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
        self._adapter = adapter
        self._direct = DirectGet(self.http, adapter, self.url, self.timeout)
        #: The same policy for a request that retries only what the server answered (5xx,
        #: 429): a connection that fails or breaks is told at once (see ``exchange``).
        self._answers_only = retry.new(connect=0, read=0)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._closed.is_set()

    def pause(self, seconds: float) -> None:
        """Wait ``seconds``; :class:`SessionClosed` as soon as the transport closes."""
        _pause(seconds, self._closed)

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

    def exchange(
        self,
        verb: str,
        method: str,
        payload: dict[str, str],
        *,
        once: bool,
        caller: Caller,
        retry_connections: bool = True,
    ) -> tuple[Response, bytes, int]:
        """Send one request and read its whole body: (response, body, requests sent).

        Retried as the policy says, unless ``once``; a body cut short is sent again here.
        ``retry_connections=False`` (GETs) retries 5xx and 429 answers as the policy says,
        but tells a connection that fails, times out or breaks at once: a check that a host
        is there must not keep its user waiting, in silence, for a host that is not.
        Raises :class:`TransportError` (no answer) or :class:`SessionClosed` (``caller``
        was closed meanwhile), each raised outside the ``except`` blocks: requests'
        exceptions print the URL (the key of a GET included), and raising inside would
        keep them as ``__context__``, where tracebacks and pickles find them.
        """
        name = f"{verb} {method}"
        sent = 0
        retries = self.retries if retry_connections and not once else 0
        while True:
            caller.check_open()
            self.throttle.acquire()
            failure: MMError | None = None
            try:
                response = self._send(
                    verb, method, payload, once=once, answers=not retry_connections
                )
                sent += _attempts(response)
                return response, _read_body(response), sent
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
                failure = SessionClosed(f"the session {caller!r} was closed during {name}")
            caller.check_open()  # a call cut short by close() says so
            raise failure

    def _send(
        self, verb: str, method: str, payload: dict[str, str], *, once: bool, answers: bool
    ) -> Response:
        """Send; ``answers``: a GET retries only what the server answered."""
        url = f"{self.url}/{method}"
        log.debug("%s %s", verb, method)
        direct = self._direct
        if verb == "GET" and not once and direct and self.http.get_adapter(url) is self._adapter:
            policy = self._answers_only if answers else None
            return direct.get(method, payload, policy)  # the same pool and policy, less CPU
        # Streamed, so the body is read in one go (_read_body), not in 10 KiB chunks
        # (each chunk is a GIL hand-off among the workers; most of a big page's cost).
        # No redirects: requests would send the key (and re-post the form) to any host.
        http = self.once if once else self.http
        if verb == "GET":
            return http.get(
                url, params=payload, timeout=self.timeout, stream=True, allow_redirects=False
            )
        return http.post(
            url,
            data=form(payload),
            headers=_FORM,
            timeout=self.timeout,
            stream=True,
            allow_redirects=False,
        )

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


_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
#: Text the form encoding keeps as it is, and the two characters every address list has.
_PLAIN = re.compile(r"[A-Za-z0-9_.~@,-]*")


def form(payload: dict[str, str]) -> str:
    """``payload`` as an urlencoded form body, as ``urllib.parse.urlencode(payload,
    safe="@,")`` writes it.

    "@" and "," mean nothing in a form body (only "&", "=", "+" and "%" do) and RFC 3986
    allows both in a query, so an address list goes as written: quoted, a write of 1,000
    addresses made the server unquote 2,000 escapes, in Python for most servers. urlencode
    quotes byte by byte in Python, so plain text is written as it is; anything else goes
    through urlencode.
    """
    parts = []
    for name, value in payload.items():
        if _PLAIN.fullmatch(value) and _PLAIN.fullmatch(name):
            parts.append(f"{name}={value}")
        else:
            parts.append(urllib.parse.urlencode({name: value}, safe="@,"))
    return "&".join(parts)


def _read_body(response: Response) -> bytes:
    """The whole body in one read; the connection goes back to the pool."""
    try:
        return bytes(response.raw.read(decode_content=True))
    finally:
        response.close()


def _attempts(response: Response) -> int:
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
