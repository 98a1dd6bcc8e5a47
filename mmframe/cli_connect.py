"""How the ``mmframe`` command reaches the API, and each way that fails told in one line.

The URL and the key come from ``--url``/``--apikey`` or ``MMFRAME_URL``/``MMFRAME_APIKEY``;
one probe request checks both before anything is read. A 5xx or 429 answer to it is retried
as every read's is (a server failing for a moment must not fail the command); a connection
that fails is told at once (retrying it would keep the user waiting in silence for a host
that is not there). Its failures name what was used (the host; the key masked, never
whole) and say what to do.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the client (and requests) load when a command connects, not for --help
    from .client import Session
    from .errors import APIError, TransportError

#: Seconds to wait for a connection: a host slower than this to accept one is not there
#: (requests' advice: just over a multiple of 3 s, TCP's first retransmission).
CONNECT_TIMEOUT = 3.05
#: Seconds to wait for an answer once connected: large reads take their time.
READ_TIMEOUT = 30.0
#: What every MM API URL ends with.
API_PATH = "/rest/json"
#: The request that checks the URL and the key: cheap, and answered to any account's key.
PROBE = "accounts/xheaders"


class CannotConnect(ValueError):
    """The command line's URL or key cannot be used; the message says what to do."""


@dataclass(frozen=True)
class Endpoint:
    """Where a command connects: the URL and the key, and where each was given."""

    url: str
    apikey: str = field(repr=False)  # a secret: never in a repr
    url_from: str  # "--url" or "MMFRAME_URL"
    key_from: str  # "--apikey" or "MMFRAME_APIKEY"

    @property
    def host(self) -> str:
        """``host:port`` of the URL (no user name or password)."""
        parts = urllib.parse.urlsplit(self.url)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.hostname or ''}{port}"


def endpoint(url: str | None, apikey: str | None) -> Endpoint:
    """The URL and key given on the command line, else in the environment.

    Raises
    ------
    CannotConnect
        One of them is given nowhere.
    """
    for option, given in (("--url", url), ("--apikey", apikey)):
        if given is not None and not given.strip():  # not the environment's, silently
            variable = "MMFRAME_" + option.removeprefix("--").upper()
            raise CannotConnect(
                f"{option} is empty (an unset shell variable?): give it a value, or leave "
                f"it out to use {variable}"
            )
    found_url = url or os.environ.get("MMFRAME_URL")
    found_key = apikey or os.environ.get("MMFRAME_APIKEY")
    if not found_url:
        raise CannotConnect(
            "no API URL: give --url or set MMFRAME_URL (such as http://127.0.0.1:8025/rest/json)"
        )
    if not found_key:
        raise CannotConnect(
            "no API key: set MMFRAME_APIKEY (or give --apikey, which other users of the "
            "machine can see) to the key of an account"
        )
    url_from = "--url" if url else "MMFRAME_URL"
    _refuse_a_key_in(found_url, url_from)
    _refuse_no_scheme(found_url, url_from, found_key)
    return Endpoint(found_url, found_key, url_from, "--apikey" if apikey else "MMFRAME_APIKEY")


def _refuse_a_key_in(url: str, url_from: str) -> None:
    """A URL carrying ``apikey=`` is refused in the command's words (the client's own
    message names its Python argument); the key is registered, so no message shows it."""
    from .redact import register

    query = urllib.parse.urlsplit(url).query
    keys = [
        v for n, v in urllib.parse.parse_qsl(query, keep_blank_values=True) if n.lower() == "apikey"
    ]
    if keys:
        for key in keys:
            register(key)
        raise CannotConnect(
            f"the URL of {url_from} carries an API key: set MMFRAME_APIKEY (or give --apikey) "
            "to the key, and give the URL without it"
        )


def _refuse_no_scheme(url: str, url_from: str, key: str) -> None:
    """A URL lacking only ``http://`` is shown with it (no key looks like a host and a
    port); any other value without a scheme is left to the client, which never shows it."""
    from .client.checks import without_scheme

    if not url.startswith(("http://", "https://")) and url != key and without_scheme(url):
        raise CannotConnect(
            f"{url_from} {url} has no http:// or https://: try {_as_given(url_from)}http://"
            f"{url} (https:// where the API is served over TLS)"
        )


def _as_given(url_from: str) -> str:
    """How a URL is given where it came from: ``--url `` or ``MMFRAME_URL=``."""
    return "--url " if url_from == "--url" else "MMFRAME_URL="


def masked(key: str) -> str:
    """What a message may show of a key: its first and last two characters and its length
    when it is long (a guess would still need every character between), else its length."""
    if len(key) >= 16:
        return f"{key[:2]}…{key[-2:]} ({len(key)} characters)"
    return f"of {len(key)} characters"


def open_session(where: Endpoint) -> Session:
    """A session on ``where`` whose probe answered; closed again when the probe fails.

    Raises
    ------
    CannotConnect
        No connection, a refused key, or a URL that is not the API (with what to do).
    """
    from .client import Session
    from .errors import (
        InvalidAPIKey,
        MalformedAnswer,
        NotFound,
        RateLimited,
        ServerError,
        TransportError,
    )

    session = Session(where.url, where.apikey, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
    problem: CannotConnect | None = None
    try:
        session.call("GET", PROBE, {}, retry_connections=False)
    except InvalidAPIKey as exc:
        problem = CannotConnect(_refused(where, exc))
    except TransportError as exc:
        problem = CannotConnect(_unreachable(where, exc))
    except (NotFound, MalformedAnswer) as exc:
        problem = CannotConnect(_not_the_api(where, exc))
    except (ServerError, RateLimited) as exc:
        problem = CannotConnect(_failing(where, exc))
    except BaseException:
        session.close()
        raise
    if problem is not None:
        session.close()
        raise problem  # outside the except blocks: no urllib3 error kept as the context
    return session


def _refused(where: Endpoint, exc: APIError) -> str:
    return (
        f"{where.host} refused the key {masked(where.apikey)} from {where.key_from} "
        f"({exc.status} {exc.message}): set MMFRAME_APIKEY (or give --apikey) to the key "
        "of an account of this API"
    )


def _unreachable(where: Endpoint, exc: TransportError) -> str:
    text = str(exc).lower()
    if exc.kind == "timeout":
        why = f"it accepted a connection but did not answer within {READ_TIMEOUT:g} s"
    elif _plain_http(where, text):
        plain = "http://" + where.url.removeprefix("https://")
        return (
            f"cannot reach {where.host} over https:// (the server there speaks no TLS: is it "
            f"http://?): try {_as_given(where.url_from)}{plain}"
        )
    elif exc.kind == "read":
        why = "the connection broke before the answer"
    elif "refused" in text:
        why = "connection refused"
    elif "name or service not known" in text or "getaddrinfo" in text or "nodename" in text:
        why = "no such host name"
    elif "timed out" in text:
        why = f"no connection within {CONNECT_TIMEOUT:g} s"
    else:
        why = "no connection"
    return (
        f"cannot reach {where.host} ({why}): check {where.url_from} and that the API (or "
        "mmframe emulator) runs there"
    )


def _plain_http(where: Endpoint, text: str) -> bool:
    """Whether an https:// URL's TLS handshake met a server speaking plain HTTP: its
    answer is no TLS record (OpenSSL: "wrong version number"), unlike a refused certificate."""
    return where.url.startswith("https://") and "ssl" in text and "certificate" not in text


def _failing(where: Endpoint, exc: APIError) -> str:
    """A server that answered, but a failure every time it was asked (5xx, or 429)."""
    said = (
        f"{where.host} answered GET {PROBE} with {exc.status} {exc.message} "
        f"{exc.attempts} times in a row"
    )
    if exc.status == 429:
        return (
            f"{said} (it limits how often it is asked): try again later, when fewer "
            "requests are sent to it with this API's keys"
        )
    return (
        f"{said} (the server is failing): try again later, and if it goes on, tell whoever "
        f"runs the API at {where.host}"
    )


def _not_the_api(where: Endpoint, exc: APIError) -> str:
    said = f"{where.host} gave no API answer to GET {PROBE} (HTTP {exc.status})"
    suggested = api_url(where.url)
    if suggested is not None:
        return (
            f"{said}: the API's URL ends in {API_PATH}; try {_as_given(where.url_from)}{suggested}"
        )
    return f"{said}: is {where.url_from} an MM API (such as http://127.0.0.1:8025{API_PATH})?"


def api_url(url: str) -> str | None:
    """The URL to try for ``url`` that does not end in ``/rest/json``, else None.

    The path keeps what comes before the API's (a prefix a proxy serves it under): ``/rest``
    and ``/rest/`` become ``/rest/json``, ``/`` or none ``/rest/json``, a method's URL
    (``/rest/json/accounts``) its base; the query is dropped (a base URL has none).
    """
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    if path.endswith(API_PATH):
        return None
    if API_PATH + "/" in path:
        path = path[: path.index(API_PATH + "/") + len(API_PATH)]
    elif path.endswith("/rest"):
        path += API_PATH.removeprefix("/rest")
    else:
        path += API_PATH
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
