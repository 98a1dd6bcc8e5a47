"""A scripted HTTP server for odd server behaviour the emulator does not serve (unit tests).

Each request takes the next scripted answer (the last one repeats); every request is
recorded with its path, query and body, so a test can tell what reached the server.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    """One scripted answer: status, headers and a body (a dict is sent as JSON)."""

    status: int = 200
    body: Any = field(default_factory=lambda: {"response": {"status": 200, "data": {}}})
    headers: dict[str, str] = field(default_factory=dict)


class FakeServer:
    """``with FakeServer([Answer(...), ...]) as server:`` then use ``server.url``."""

    def __init__(self, answers: list[Answer]) -> None:
        self.answers = list(answers)
        self.requests: list[dict[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                owner.requests.append({"method": self.command, "path": self.path, "body": body})
                answer = owner.answers[min(len(owner.requests), len(owner.answers)) - 1]
                raw = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body)
                data = raw.encode() if isinstance(raw, str) else raw
                self.send_response(answer.status)
                for name, value in {"Content-Type": "application/json", **answer.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer  # noqa: N815

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rest/json"
        # shutdown() waits for the loop's next poll: 0.5 s by default, at every test's end.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
