"""GETs sent straight to the transport's urllib3 pool, past requests' session machinery.

A read of a million rows is 2,000 GETs on two cores shared with whatever serves them.
requests spends about 0.45 ms of CPU on each (merging settings, cookies, hooks, building
a ``Response``), urllib3 alone about 0.2 ms: on such a read the difference was 0.6 s of
CPU, more than the pages' parse. So a GET goes to the very pool, retry policy, proxy and
TLS settings requests would have used (taken from the adapter once), and only the
sending is done here; what urllib3 raises is turned into what requests' adapter raises,
so the caller handles one set of errors whichever way a request went.
"""

from __future__ import annotations

import threading
import urllib.parse
from typing import Any

import requests
import urllib3
from requests import exceptions as rq
from requests.adapters import HTTPAdapter
from urllib3 import exceptions as u3


class Answered:
    """The parts of a ``requests.Response`` the transport reads, over urllib3's answer."""

    __slots__ = ("headers", "raw", "status_code")

    def __init__(self, raw: urllib3.BaseHTTPResponse) -> None:
        self.raw = raw
        self.status_code = raw.status
        self.headers = raw.headers

    def close(self) -> None:
        """Close the answer and hand its connection back, as ``Response.close`` does."""
        self.raw.close()
        self.raw.release_conn()


class DirectGet:
    """Sends GETs for one base URL through ``adapter``'s pool, as ``http`` would send them.

    Parameters
    ----------
    http
        The session whose headers, proxies and TLS settings apply.
    adapter
        The adapter mounted for the base URL (its pool and retry policy are used).
    url
        The API's base URL.
    timeout
        Seconds, or (connect, read) seconds.
    """

    def __init__(
        self,
        http: requests.Session,
        adapter: HTTPAdapter,
        url: str,
        timeout: float | tuple[float, float],
    ) -> None:
        self.http, self.adapter, self.url = http, adapter, url
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        self.timeout = urllib3.Timeout(connect=connect, read=read)
        self._lock = threading.Lock()
        self._pool: Any = None
        self._base = ""

    def _connection(self) -> tuple[Any, str]:
        """The pool and the request target's prefix (a proxy takes the whole URL)."""
        if self._pool is not None:  # set once, never unset: no lock on a read's every GET
            return self._pool, self._base
        with self._lock:
            if self._pool is None:
                probe = requests.Request("GET", f"{self.url}/probe").prepare()
                verify, proxies = self.http.verify, self.http.proxies
                try:
                    pool = self.adapter.get_connection_with_tls_context(probe, verify, proxies)
                except u3.LocationValueError as exc:
                    raise rq.InvalidURL(exc) from None
                self.adapter.cert_verify(pool, self.url, verify, None)  # type: ignore[no-untyped-call]
                self._base = self.adapter.request_url(probe, proxies).removesuffix("/probe")
                self._pool = pool
            return self._pool, self._base

    def get(self, method: str, payload: dict[str, str], retries: Any = None) -> Answered:
        """Send ``GET method?payload``; the body is left to read (streamed).

        ``retries``: a urllib3 ``Retry`` for this request instead of the adapter's.
        """
        pool, base = self._connection()
        target = f"{base}/{method}?{urllib.parse.urlencode(payload)}"
        try:
            raw = pool.urlopen(
                "GET",
                target,
                headers=dict(self.http.headers),
                retries=self.adapter.max_retries if retries is None else retries,
                timeout=self.timeout,
                redirect=False,  # a redirect would carry the key to another host
                assert_same_host=False,
                preload_content=False,
                decode_content=False,
            )
        except (u3.HTTPError, OSError) as exc:
            failure = as_requests_error(exc)
        else:
            return Answered(raw)
        raise failure  # outside the except: urllib3's error (the URL, the key) is no context


def as_requests_error(exc: Exception) -> rq.RequestException:
    """What requests' adapter raises for urllib3's ``exc`` (as ``HTTPAdapter.send`` maps it)."""
    cause = exc
    if isinstance(exc, u3.MaxRetryError):  # retries spent: the last failure decides
        cause = exc.reason or exc
        if isinstance(cause, u3.ConnectTimeoutError) and not isinstance(
            cause, u3.NewConnectionError
        ):
            return rq.ConnectTimeout(exc)
        if isinstance(cause, u3.ResponseError):
            return rq.RetryError(exc)
    elif isinstance(exc, u3.ReadTimeoutError):
        return rq.ReadTimeout(exc)
    if isinstance(cause, u3.ProxyError):
        return rq.ProxyError(exc)
    if isinstance(cause, u3.SSLError):
        return rq.SSLError(exc)
    return rq.ConnectionError(exc)  # broken connections, a closed pool, socket errors
