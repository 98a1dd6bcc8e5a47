"""Argument checks before any request: numbers, the URL, and a request's fields as sent.

Each raises ``TypeError`` or ``ValueError`` naming the argument, and never shows a key: a
value that may be one is registered with :mod:`mmframe.redact` and left out of the message.
"""

from __future__ import annotations

import math
import os
import re
import urllib.parse
from typing import Any

from ..redact import register, scrub

#: A GET parameter's value longer than this is refused before sending: servers and proxies
#: cap a request line near 8 KiB (address lists are batched below it, MAX_QUERY_CHARS).
MAX_FIELD_CHARS = 7_500


def check_int(name: str, value: object, *, low: int) -> None:
    """``TypeError`` unless ``value`` is an int (not a bool); ``ValueError`` below ``low``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, not {value!r}")
    if value < low:
        raise ValueError(f"{name} must be at least {low}, not {value!r}")


#: What ``cache=`` takes: True (the per-user folder), a folder, or None/False (off).
CacheSetting = bool | str | os.PathLike[str] | None


def check_cache(value: object) -> None:
    """``TypeError`` unless ``value`` is None, True/False or a folder (text or a path);
    ``ValueError`` for empty text (it would be the current folder, unasked)."""
    if value is None or isinstance(value, bool):
        return
    if not isinstance(value, str | os.PathLike):
        raise TypeError(f"cache must be True, False, None or a folder, not {value!r}")
    if not os.fspath(value):
        raise ValueError("cache must name a folder, not ''")


#: The words of ``MMFRAME_CACHE`` that name no folder (in any case): the per-user folder,
#: or off. Few on purpose: any other value is a folder, so one named ``yes`` or ``off`` can
#: be chosen (``./true`` names a folder called ``true``).
CACHE_ON, CACHE_OFF = ("1", "true"), ("", "0", "false")


def cache_from_env() -> CacheSetting:
    """``MMFRAME_CACHE`` as a ``cache=`` setting: "1" or "true" (any case) for the per-user
    folder; "0", "false", empty, blank or unset for off; any other value a folder (its surrounding
    blanks dropped)."""
    text = os.environ.get("MMFRAME_CACHE", "").strip()
    if text.lower() in CACHE_OFF:
        return None
    if text.lower() in CACHE_ON:
        return True
    return text


def check_number(name: str, value: object, *, positive: bool = False) -> None:
    """``TypeError`` unless ``value`` is a real number; ``ValueError`` if not finite (> 0)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, not {value!r}")
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        sign = "positive" if positive else "non-negative"
        raise ValueError(f"{name} must be a finite {sign} number, not {value!r}")


def check_timeout(timeout: object) -> None:
    """``ValueError`` unless ``timeout`` is positive seconds or a ``(connect, read)`` pair."""
    parts = timeout if isinstance(timeout, tuple) else (timeout,)
    if len(parts) not in (1, 2):
        raise ValueError(f"timeout must be seconds or a (connect, read) pair, not {timeout!r}")
    for part in parts:
        check_number("timeout", part, positive=True)


def check_apikey(apikey: object) -> None:
    """``ValueError`` unless ``apikey`` is non-empty text that can be sent; never shows it."""
    if not apikey or not isinstance(apikey, str):
        raise ValueError("apikey must be a non-empty string (or set MMFRAME_APIKEY)")
    if not encodable(apikey):  # raised here, not by requests: its error holds the key
        raise ValueError(
            "apikey holds a character that cannot be sent (a lone surrogate: text "
            "decoded with errors='surrogateescape'?); the key is not shown"
        )


#: A URL that lacks only its scheme: a host (with dots, ``localhost`` or ``[IPv6]``), then a
#: port, a path into the API (``/rest``), or both. No key has that shape, so it is shown.
_BARE_URL = re.compile(
    r"(?:localhost|[\w-]+(?:\.[\w-]+)+|\[[0-9a-f:.]+\])"
    r"(?::\d{1,5}(?:/\S*)?|/(?:\S*/)?rest(?:/\S*)?)",
    re.IGNORECASE,
)


def without_scheme(url: str) -> bool:
    """Whether ``url`` is an API URL without its ``http://``, such as
    ``127.0.0.1:8025/rest/json`` or ``mm.example.com/rest/json``."""
    return _BARE_URL.fullmatch(url) is not None


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
        if url != apikey and without_scheme(url):
            raise ValueError(
                f"url {url!r} has no http:// or https://: try 'http://{url}' (https:// where "
                "the API is served over TLS)"
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


def _wire(value: Any) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, list | tuple | set):
        return ",".join(str(v) for v in value)
    return str(value)


def request_fields(verb: str, method: str, params: dict[str, Any]) -> dict[str, str]:
    """The request's fields as text, or ``ValueError`` naming the one that cannot be sent
    (checked before the key joins them, so no error or traceback can hold it)."""
    fields = {k: _wire(v) for k, v in params.items() if v is not None}
    for name, text in fields.items():
        if len(text) > MAX_FIELD_CHARS and verb == "GET":
            raise ValueError(
                f"{verb} {method}: {name} is {len(text):,} characters, over the "
                f"{MAX_FIELD_CHARS:,} a request can carry in its URL"
            )
        if not text.isascii() and not encodable(text):
            raise ValueError(
                f"{verb} {method}: {name} holds a character that cannot be sent (a lone "
                "surrogate: text decoded with errors='surrogateescape'?)"
            )
    return fields


def encodable(text: str) -> bool:
    """Whether ``text`` encodes as UTF-8 (no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
