"""A hostile server in front of a real one: a ``requests`` transport adapter that sends each
request to the emulator and lets a test rewrite what comes back (the transport seam)."""

from __future__ import annotations

import io
import urllib.parse
from collections.abc import Callable
from typing import Any

import urllib3
from requests.adapters import HTTPAdapter

#: ``rewrite(method, status, body)``: the answer to send instead, or None to keep it.
Rewrite = Callable[[str, int, bytes], tuple[int, bytes] | None]


def method_of(url: str) -> str:
    """``suppressions/count`` from ``http://host:port/rest/json/suppressions/count?...``."""
    path = urllib.parse.urlsplit(url).path
    return path.split("/rest/json/", 1)[1].strip("/")


class Rewriting(HTTPAdapter):
    """Mount on ``session.transport.http``; every answer passes through ``rewrite``."""

    def __init__(self, rewrite: Rewrite, **options: Any) -> None:
        super().__init__(pool_maxsize=16, **options)
        self.rewrite = rewrite

    def send(self, request: Any, **kwargs: Any) -> Any:
        response = super().send(request, **kwargs)
        body = response.raw.read()
        changed = self.rewrite(method_of(request.url), response.status_code, body)
        status, body = changed if changed is not None else (response.status_code, body)
        response.status_code = status
        response.raw = urllib3.HTTPResponse(
            body=io.BytesIO(body),
            preload_content=False,
            status=status,
            headers={"content-type": "application/json", "content-length": str(len(body))},
        )
        return response


def failing(*methods: str, status: int = 503) -> Rewrite:
    """Answer ``status`` to every request of ``methods`` (``count`` ends every count)."""

    def rewrite(method: str, _status: int, _body: bytes) -> tuple[int, bytes] | None:
        if any(method == m or (m == "count" and method.endswith("/count")) for m in methods):
            envelope = f'{{"response": {{"status": {status}, "message": "no", "data": {{}}}}}}'
            return status, envelope.encode()
        return None

    return rewrite


class Scripted(HTTPAdapter):
    """A whole server as a transport adapter: ``answer(method, params)`` gives each answer
    (status and body), and nothing reaches the network. Mount it on a session whose URL
    is anything, such as ``http://hostile.invalid/rest/json``."""

    def __init__(self, answer: Callable[[str, dict[str, str]], tuple[int, bytes]]) -> None:
        super().__init__()
        self.answer = answer
        self.asked: list[str] = []

    def send(self, request: Any, **kwargs: Any) -> Any:
        method = method_of(request.url)
        self.asked.append(method)
        query = urllib.parse.urlsplit(request.url).query
        body = request.body or ""
        form = body.decode() if isinstance(body, bytes) else body
        params = dict(urllib.parse.parse_qsl(query or form))
        status, data = self.answer(method, params)
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(data),
            preload_content=False,
            status=status,
            headers={"content-type": "application/json", "content-length": str(len(data))},
        )
        return self.build_response(request, raw)
