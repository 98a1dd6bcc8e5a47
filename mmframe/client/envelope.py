"""An answer's bytes to its data, or to the error they say: the one boundary where what a
server sent becomes mmframe's (httpx's way). No pandas.

:func:`answer` runs a parser over the body; the parser calls ``decode`` on the JSON
envelope, which maps an error status to :mod:`mmframe.errors` and checks a success against
its method's shape (:mod:`mmframe.answers`). Whatever goes wrong in between (not JSON, a
field missing, of the wrong type or out of range) is raised here as one error naming it,
outside any ``except`` block, so no parser's error (and the data it quotes) rides along.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import urllib3
from urllib3.util import Retry

from .. import answers
from ..answers import Malformed
from ..errors import APIError, MalformedAnswer, RateLimited, error_for
from ..redact import scrub

if TYPE_CHECKING:
    from .transport import Response

T = TypeVar("T")


#: The longest wait a server's ``Retry-After`` buys: a longer one (``3600``) is cut to this,
#: so one answer cannot hold a call for an hour; the retry that follows may be refused again.
MAX_RETRY_AFTER = 60.0


def parse_retry_after(value: str | None) -> float | None:
    """Seconds of a ``Retry-After`` header (``"2"``, ``"1.5"`` or an HTTP date), at most
    :data:`MAX_RETRY_AFTER`; None when absent or unreadable (then backoff decides)."""
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = Retry(0).parse_retry_after(value)
        except urllib3.exceptions.InvalidHeader:
            return None
    if not math.isfinite(seconds):
        return None if math.isnan(seconds) else MAX_RETRY_AFTER
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


@dataclass(frozen=True)
class Reply:
    """A decoded successful answer and how many times the request was sent."""

    data: Any
    attempts: int


def _decoded(name: str, body: Any, *, response: Response, attempts: int) -> Any:
    return _decode(name, body, response, attempts).data


def plain(raw: bytes, decode: Callable[[Any], Any]) -> Any:
    """The plain parse: JSON, then the envelope's data (what :meth:`Session.call` uses)."""
    return decode(json.loads(raw))


def answer(
    name: str,
    response: Response,
    raw: bytes,
    sent: int,
    parse: Callable[[bytes, Callable[[Any], Any]], T],
) -> T:
    """The parsed answer, or the error its status and body say (never a parser's error)."""
    status = response.status_code
    if 300 <= status < 400:
        where = scrub(response.headers.get("Location", "elsewhere"))
        raise APIError(
            f"the API answered a redirect (HTTP {status}) to {where}: connect to that URL "
            "(mmframe follows no redirect, which would carry the key to another host)",
            status=status,
            method=name,
            attempts=sent,
        )
    decode = functools.partial(_decoded, name, response=response, attempts=sent)
    # The one boundary for what an answer holds: every error is raised outside the except
    # blocks, so no parser's error (and the data it quotes) is kept as the context.
    try:
        return parse(raw, decode)
    except Malformed as exc:
        field, problem = exc.field, f"the answer's {exc}"
    except (ValueError, RecursionError):  # json's errors: not JSON, or nested too deep
        field, problem = "JSON", f"the answer is not JSON (HTTP {status}; a proxy's page?)"
    except (TypeError, KeyError, IndexError, AttributeError, OverflowError) as exc:
        # A shape no check foresaw: still the server's fault, told as such.
        field, problem = "data", f"the answer could not be read ({type(exc).__name__}: {exc})"
    if status != 200:
        raise error_for(status)(problem, status=status, method=name, attempts=sent)
    raise MalformedAnswer(scrub(problem), field=field, status=200, method=name, attempts=sent)


def _decode(name: str, body: Any, response: Response, attempts: int) -> Reply:
    """The data of a success, checked against its method's shape (:mod:`mmframe.answers`),
    or the error its envelope says."""
    envelope = body.get("response") if isinstance(body, dict) else None
    http = response.status_code
    if not isinstance(envelope, dict) or not isinstance(envelope.get("status"), int | str):
        if http == 200:
            raise Malformed("response", "envelope is missing (not an MM API answer)")
        raise error_for(http)(
            f"the answer has no response envelope (HTTP {http})",
            status=http,
            method=name,
            attempts=attempts,
        )
    try:
        status = int(envelope["status"])
    except ValueError:
        status = http
    data = envelope.get("data")
    if status == 200:
        verb, _, method = name.partition(" ")
        answers.check(verb, method, data)
        return Reply(data, attempts)
    messages = [scrub(str(m)) for m in data] if isinstance(data, list) else []
    error = error_for(status)(
        scrub(str(envelope.get("message", ""))),
        status=status,
        messages=messages,
        method=name,
        attempts=attempts,
    )
    if isinstance(error, RateLimited):
        error.retry_after = parse_retry_after(response.headers.get("Retry-After"))
    raise error
