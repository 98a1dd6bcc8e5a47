"""HTTP only: sessions, the transport, the envelope, the account directory. No pandas.

One job a module:

- :mod:`.transport`: connection pools, the retry policy (urllib3's ``Retry``: connection
  errors, timeouts, 5xx and 429 with ``Retry-After``, exponential backoff with jitter),
  worker threads, and foreign exceptions translated into :mod:`mmframe.errors`;
- :mod:`.envelope`: an answer's bytes to its data, or to the error its status says;
- :mod:`.session`: :class:`Session`, one key on a shared transport;
- :mod:`.directory`: a master key's accounts and their keys, read once and kept;
- :mod:`.checks`: argument checks, before any request.

Here: the default session, which :func:`connect` makes and :func:`resolve` finds. Retrying
writes is safe: every MM write sets a state.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import NoSession
from .envelope import MAX_RETRY_AFTER
from .session import Session

__all__ = ["MAX_RETRY_AFTER", "Session", "connect", "resolve"]

_default: Session | None = None


def connect(url: str | None = None, apikey: str | None = None, **options: Any) -> Session:
    """Open a session and make it the default for every function called without ``session=``.

    The session it replaces as the default is closed.

    Parameters
    ----------
    url, apikey
        Default to the ``MMFRAME_URL`` and ``MMFRAME_APIKEY`` environment variables.
    **options
        ``timeout``, ``max_workers``, ``rate_limit``, ``retries``, ``max_addresses``,
        ``cache`` (the reads' ``cache=`` when a call gives none; default ``MMFRAME_CACHE``)
        and ``username`` (a sub-account key's account: see :class:`Session`).

    Returns
    -------
    Session
        The new default session.

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
