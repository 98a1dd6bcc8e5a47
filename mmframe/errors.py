"""One error tree for everything mmframe raises.

::

    MMError                      every error; .attempts: requests sent for what failed (1)
    ├── NoSession                no session given and none connected (also a RuntimeError)
    ├── TransportError           the request never got an answer; .kind: connect, timeout, read
    ├── SessionClosed            the session was closed (before or while the call ran)
    ├── APIError                 the server answered no; .status .message .messages .method
    │   ├── NotFound             404
    │   ├── RateLimited          429 (.retry_after)
    │   ├── InvalidAPIKey        451
    │   ├── InvalidArguments     452
    │   ├── ObjectExists         453
    │   ├── FeatureNotEnabled    454
    │   ├── ServerError          5xx
    │   └── MalformedAnswer      a 200 answer that breaks its method's shape; .field
    ├── PartialLoadError         a read came back incomplete; .frame and .chunks
    ├── BatchWriteError          some rows of a write failed; .failures
    ├── InvalidRowsError         rows that must not be sent (also a ValueError); .failure_cases
    ├── RequestBudgetError       a call plans more than max_requests (also a ValueError); .planned
    └── ConfirmationRequired     a large or destructive write needs confirm=

Warnings (``on_error="warn"``): PartialLoadWarning (a read), BatchWriteWarning (a write);
CacheWarning (a cache file or manifest not trusted: ignored and rebuilt); EvidenceWarning
(remediation candidates judged without every complaint, opt-out or bounce). All are issued
by :func:`warn` so that they point at the caller's line.

Caller mistakes (bad dates, unknown frequency, invalid addresses) raise ``ValueError``,
``KeyError`` or ``TypeError`` naming the argument, before any request is sent. No message
ever contains an API key.
"""

from __future__ import annotations

import inspect
import os
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


#: The package's folder: frames whose file lies under it are mmframe's own.
_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def find_stack_level() -> int:
    """The ``stacklevel`` that makes a warning point at the first frame outside mmframe.

    pandas' ``find_stack_level``: walk out of the package from the caller of this
    function, so that a warning names the user's line however deep (decorators, the
    accessor, generators) mmframe issued it.
    """
    frame = inspect.currentframe()
    level = 0
    try:
        while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
            frame = frame.f_back
            level += 1
    finally:
        del frame  # a frame held in a local keeps every frame above it alive
    return level


def warn(warning: Warning) -> None:
    """Issue ``warning`` at the caller's line (see :func:`find_stack_level`)."""
    warnings.warn(warning, stacklevel=find_stack_level())


def _rebuild(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    """Unpickle an error: positional message, then its attributes (pandera's pattern)."""
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class _Pickled:
    """Pickles with its attributes (frames included): the message goes positionally, the
    rest is restored as it was, whatever ``__init__`` takes (pandera's pattern)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), (str(self),), dict(self.__dict__))


class MMError(_Pickled, Exception):
    """Base of every mmframe error.

    Attributes
    ----------
    attempts : int
        How many requests were sent for what failed (1 where none was retried).
    """

    attempts: int = 1


class NoSession(MMError, RuntimeError):
    """A call without ``session=`` while no :func:`mmframe.connect` made a default one."""


class TransportError(MMError):
    """No answer: the connection failed, timed out or broke, after every retry.

    Attributes
    ----------
    kind : str
        ``"connect"`` (no connection: refused, unreachable, DNS), ``"timeout"`` (connected,
        but no answer in time) or ``"read"`` (the connection broke before the whole answer).
    method, attempts
        As for :class:`APIError`.
    """

    def __init__(
        self, message: str, *, method: str = "", attempts: int = 1, kind: str = "read"
    ) -> None:
        super().__init__(message)
        self.method = method
        self.attempts = attempts
        self.kind = kind


class SessionClosed(MMError):
    """The session was closed: calls made after, or still running at, ``close()`` raise this."""


class APIError(MMError):
    """The server answered with an error envelope.

    Attributes
    ----------
    status : int
        The envelope's status (equal to the HTTP status).
    message : str
        The envelope's message, e.g. ``"Missing or Invalid Required Fields"``.
    messages : list of str
        Details from ``data`` when it is a list (452 names each invalid field or address).
    method : str
        ``"GET suppressions"`` and the like (never a URL: URLs of GETs carry the key).
    attempts : int
        How many times the request was sent.
    """

    status = 0

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        messages: list[str] | None = None,
        method: str = "",
        attempts: int = 1,
    ) -> None:
        self.status = status if status is not None else type(self).status
        self.message = message
        self.messages = list(messages or [])
        self.method = method
        self.attempts = attempts
        detail = f": {'; '.join(self.messages)}" if self.messages else ""
        super().__init__(f"{method} -> {self.status} {message}{detail}".strip())


class NotFound(APIError):
    """404: unknown method (or wrong verb)."""

    status = 404


class RateLimited(APIError):
    """429: too many requests; ``retry_after`` seconds when the server said."""

    status = 429
    retry_after: float | None = None


#: What a refused key's error adds to the server's words: what to do.
REFUSED = (
    "the server refused this key; give the key of an account of this API "
    "(mm.connect(url, apikey=...), or the MMFRAME_APIKEY environment variable)"
)


#: What a sub-account key from a master's list, refused, adds (its account's name).
LISTED_REFUSED = (
    "the server refused the key the master's account list gave for {} (rotated since?): "
    "session.account_keys(refresh=True) reads the list again"
)


class InvalidAPIKey(APIError):
    """451: the key is missing, unknown, rotated away, or not a master key.

    Its text adds what to do (``advice``: the key was refused, unless said otherwise)."""

    status = 451

    def __init__(self, message: str, *, advice: str = REFUSED, **details: Any) -> None:
        super().__init__(message, **details)
        if advice:
            self.args = (f"{self.args[0]}: {advice}",)


class InvalidArguments(APIError):
    """452: a required field is missing or malformed; ``messages`` says which."""

    status = 452


class ObjectExists(APIError):
    """453: the object already exists (e.g. a username of another master)."""

    status = 453


class FeatureNotEnabled(APIError):
    """454: the account lacks the feature."""

    status = 454


class ServerError(APIError):
    """5xx: the server failed or was unavailable after every retry."""

    status = 500


class MalformedAnswer(APIError):
    """A 200 answer that is not what its method answers: not JSON, or a field missing, null,
    of the wrong type or out of range (a proxy's page, another API, a broken server).

    Not retried and not taken as a partial read: the server's answers cannot be trusted.

    Attributes
    ----------
    field : str
        What broke, as the answer names it: ``"suppressions[3].suppresstime"``,
        ``"count"``, ``"data"`` (the whole answer) or ``"JSON"`` (not JSON at all).
    """

    status = 200

    def __init__(self, message: str, *, field: str, **details: Any) -> None:
        super().__init__(message, **details)
        self.field = field


#: Envelope status → error class; 5xx not listed map to :class:`ServerError`.
STATUS_ERRORS: dict[int, type[APIError]] = {
    404: NotFound,
    429: RateLimited,
    451: InvalidAPIKey,
    452: InvalidArguments,
    453: ObjectExists,
    454: FeatureNotEnabled,
}


def error_for(status: int) -> type[APIError]:
    """The error class for an envelope status."""
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    return ServerError if status >= 500 else APIError


class PartialLoadError(MMError):
    """A read left chunks failed or short after retries.

    Attributes
    ----------
    frame : pandas.DataFrame
        Every row that did load, typed as usual.
    chunks : pandas.DataFrame
        The status of each chunk read, one row each: account, start, end, status, rows,
        expected, attempts, error. A status is ``failed``, ``short``, ``changing`` or
        ``unsent`` (a read of counts that raises sends no more once one has failed for
        good). (``.report`` before 0.1.0: a deprecated alias.)
    """

    def __init__(
        self,
        message: str,
        *,
        frame: pd.DataFrame,
        chunks: pd.DataFrame | None = None,
        report: pd.DataFrame | None = None,
    ) -> None:
        self.chunks: pd.DataFrame = _chunks(chunks, report)
        sent = self.chunks.get("attempts") if self.chunks is not None else None
        attempts = int(sent.sum()) if sent is not None and len(sent) else 1
        super().__init__(message)
        self.attempts = attempts  # every request the read sent, not 1
        self.frame = frame

    @property
    def report(self) -> pd.DataFrame:
        """Deprecated alias of ``chunks`` ("report" names the HTML report)."""
        _deprecated_report()
        return self.chunks


class PartialLoadWarning(_Pickled, UserWarning):
    """Issued instead of :class:`PartialLoadError` with ``on_error="warn"``; has ``.chunks``
    (the status of each chunk read; ``.report``, a deprecated alias)."""

    def __init__(self, message: str, chunks: Any = None, *, report: Any = None) -> None:
        super().__init__(message)
        self.chunks = _chunks(chunks, report)

    @property
    def report(self) -> Any:
        """Deprecated alias of ``chunks`` ("report" names the HTML report)."""
        _deprecated_report()
        return self.chunks


def _chunks(chunks: Any, report: Any) -> Any:
    """The chunk-status frame, given as ``chunks`` or by its deprecated name ``report``."""
    if report is not None:
        warn(DeprecationWarning("report= is deprecated: pass chunks="))
        return report if chunks is None else chunks
    return chunks


def _deprecated_report() -> None:
    warn(DeprecationWarning(".report is deprecated: use .chunks (the status of each chunk read)"))


class BatchWriteWarning(_Pickled, UserWarning):
    """Issued when rows of a write failed and ``on_error="warn"``; has ``.failures``."""

    def __init__(self, message: str, failures: Any = None) -> None:
        super().__init__(message)
        self.failures = failures


class CacheWarning(_Pickled, UserWarning):
    """Something in a read cache could not be trusted and was ignored: a missing, truncated
    or damaged period file, or a manifest that is unreadable or records another endpoint or
    schema version. What it held is dropped and read from the server again; the read stays
    exact."""


class EvidenceWarning(UserWarning):
    """:func:`mmframe.remediation_candidates` judged rows ``reactivate`` without every
    complaint, opt-out or bounce (one not given, read from a start or for fewer accounts
    than the key sees, or with no loader record of its read, as ``pd.concat`` of reads
    gives): an address that complained, opted out or was called dead where it was not read
    could be among them. The message names what is missing and the reads that give it all."""


class BatchWriteError(MMError):
    """Some rows of a bulk write failed (a write's default, ``on_error="raise"``).

    Nothing is lost: the error holds the write's whole record.

    Attributes
    ----------
    result : pandas.DataFrame
        The whole result frame, as the write would have returned it: every input row
        (same index), each marked ``ok``, ``failed``, ``unchanged`` or ``skipped``.
    failures : pandas.DataFrame
        The failed rows of ``result``, with their ``error``.
    """

    def __init__(self, message: str, *, failures: pd.DataFrame, result: pd.DataFrame) -> None:
        super().__init__(message)
        self.failures = failures
        self.result = result


class InvalidRowsError(MMError, ValueError):
    """Rows that must not reach the server; ``failure_cases`` has one row per problem.

    ``failure_cases`` columns: ``index`` (the row's label), ``column``, ``value``,
    ``problem`` (a reason code: ``missing``, ``invalid_address``, ``missing_account``,
    ``invalid_value``, ``required_on_create``, ``duplicate``) and ``detail`` (in words).
    It pickles with its frame, as every mmframe error does.
    """

    def __init__(self, message: str, failure_cases: pd.DataFrame) -> None:
        super().__init__(message)
        self.failure_cases = failure_cases


class RequestBudgetError(MMError, ValueError):
    """A call plans more requests than its ``max_requests``: refused before it sends them.

    Attributes
    ----------
    planned : int
        The requests it plans at least.
    max_requests : int
        The most it was allowed.
    what : str
        How they multiply, in words (periods, accounts, pages): what to narrow.
    """

    def __init__(self, message: str, *, planned: int, max_requests: int, what: str) -> None:
        super().__init__(message)
        self.planned = planned
        self.max_requests = max_requests
        self.what = what


class ConfirmationRequired(MMError):
    """A write of many rows, or any delete, was called without ``confirm=``."""

    def __init__(self, message: str, *, summary: dict[str, Any]) -> None:
        super().__init__(message)
        self.summary = summary
