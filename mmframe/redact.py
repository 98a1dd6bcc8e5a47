"""Keep API keys out of every text mmframe or its libraries show: messages, reprs, logs.

GET requests carry the key in the query string, so any URL is scrubbed before it is shown,
and urllib3's debug log (which prints request URLs with their query) is filtered. A URL's
password (``https://user:password@host``) is a secret too: masked wherever a URL is shown.
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "***"
_QUERY_KEY = re.compile(r"(apikey=)[^&\s'\"]+", re.IGNORECASE)
#: ``scheme://user:password@``: the password runs to the last ``@`` before the path (an
#: unencoded ``@`` in a password is how urllib reads it too).
_PASSWORD = re.compile(r"([a-z][a-z0-9+.-]*://[^/?#\s:@]*:)[^/?#\s]*(@)", re.IGNORECASE)
_known: set[str] = set()
_lock = threading.Lock()


def register(key: str) -> None:
    """Remember a key so that :func:`scrub` removes it wherever it appears.

    Strings shorter than eight characters are not keys (masking them would garble text).
    """
    if len(key) >= 8:
        with _lock:
            _known.add(key)


def scrub(text: str) -> str:
    """``text`` with every ``apikey=`` value, URL password and known key masked."""
    text = _QUERY_KEY.sub(rf"\g<1>{MASK}", text)
    text = _PASSWORD.sub(rf"\g<1>{MASK}\g<2>", text)
    with _lock:  # the longest first: a known key inside a longer one must not leave its rest
        keys = sorted(_known, key=len, reverse=True)
    for key in keys:
        if key in text:
            text = text.replace(key, MASK)
    return text


def hint(key: str) -> str:
    """What may be shown of a key: its last four characters."""
    return f"…{key[-4:]}" if key else ""


class ApiKey:
    """A key handed to the caller: its repr and str show only the last four characters.

    ``reveal()`` gives the whole key, for a secret store; nothing else prints it.
    """

    __slots__ = ("_key",)

    def __init__(self, key: str) -> None:
        register(key)
        self._key = key

    def reveal(self) -> str:
        """The whole key."""
        return self._key

    @property
    def hint(self) -> str:
        """The last four characters, as ``…01ef``."""
        return hint(self._key)

    def __repr__(self) -> str:
        return f"ApiKey('{self.hint}')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other._key == self._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __reduce__(self) -> tuple[type[ApiKey], tuple[str]]:
        return ApiKey, (MASK,)  # never pickled whole


class ScrubFilter(logging.Filter):
    """Rewrites a log record's message with :func:`scrub` (arguments folded in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


#: Loggers that print request URLs; a logger's filters do not apply to its children,
#: so each one is named.
URL_LOGGERS = ("urllib3.connectionpool", "urllib3.util.retry", "urllib3.connection", "mmframe")


def install_log_filter() -> None:
    """Attach :class:`ScrubFilter` to every logger that prints URLs (idempotent)."""
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubFilter) for f in logger.filters):
            logger.addFilter(ScrubFilter())
