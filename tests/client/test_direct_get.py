"""GETs go straight to urllib3's pool (mmframe.client.direct): the same requests, less CPU.

The read path's GETs skip requests' session machinery; these tests hold that they still go
out as requests would send them (target, headers, proxies), fail as requests would, and
that the shortcut is really taken (a read that quietly went back through requests would
lose a third of a large read's client CPU, and no other test would notice).
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest
import requests
import urllib3
from urllib3 import exceptions as u3

import mmframe as mm
from mmframe.client.direct import as_requests_error


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every GET with an empty suppression page, noting what was asked."""

    seen: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def do_GET(self) -> None:
        self.seen.append((self.path, dict(self.headers)))
        body = b'{"response":{"status":200,"message":"OK","data":{"count":0}}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Forwarder(http.server.BaseHTTPRequestHandler):
    """A plain HTTP proxy: takes absolute-form targets and fetches them."""

    seen: ClassVar[list[str]] = []
    #: Its own requests go straight to the server (the test sets HTTP_PROXY to itself).
    onward = requests.Session()
    onward.trust_env = False

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self._answer(self.onward.get(self.path, timeout=30))

    def do_POST(self) -> None:
        self.seen.append(self.path)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        kind = {"Content-Type": self.headers["Content-Type"]}
        self._answer(self.onward.post(self.path, data=body, headers=kind, timeout=30))

    def _answer(self, answer: requests.Response) -> None:
        self.send_response(answer.status_code)
        self.send_header("Content-Type", answer.headers.get("Content-Type", "text/plain"))
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    def log_message(self, *args: object) -> None:
        pass


def _serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def recorder() -> Iterator[str]:
    Recorder.seen = []
    yield from _serve(Recorder)


@pytest.fixture
def proxy() -> Iterator[str]:
    Forwarder.seen = []
    yield from _serve(Forwarder)


def test_a_get_goes_out_as_requests_would_send_it(recorder):
    key = "k" * 32
    with mm.Session(f"{recorder}/rest/json", key, retries=0) as session:
        session.get("suppressions/count", startdate="2026-01-01T00:00:00")
        direct_path, direct_headers = Recorder.seen[-1]
        plain = requests.Session()
        plain.get(
            f"{recorder}/rest/json/suppressions/count",
            params={"startdate": "2026-01-01T00:00:00", "apikey": key},
            timeout=30,
        )
        plain_path, plain_headers = Recorder.seen[-1]
    assert sorted(direct_path.split("?")[1].split("&")) == sorted(
        plain_path.split("?")[1].split("&")
    )
    assert direct_path.split("?")[0] == plain_path.split("?")[0]
    for name in ("User-Agent", "Accept-Encoding", "Accept", "Connection"):
        assert direct_headers.get(name) == plain_headers.get(name), name


def test_reads_never_go_through_requests_session_machinery(emulator, monkeypatch):
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        session.post("suppressions", emailaddress=["a@example.com", "b@example.com"])

        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("a read's GET went through requests.Session.request")

        monkeypatch.setattr(session.transport.http, "request", refuse)
        frame = mm.read_suppressions(session=session, progress=False)
    assert sorted(frame["email"]) == ["a@example.com", "b@example.com"]


def test_a_mounted_adapter_still_answers_gets(emulator):
    class Counting(requests.adapters.HTTPAdapter):
        sent = 0

        def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
            Counting.sent += 1
            return super().send(request, **kwargs)

    with mm.Session(emulator.url, emulator.master_apikey) as session:
        session.transport.http.mount("http://", Counting())
        assert session.get("suppressions/count")["count"] == 0
    assert Counting.sent >= 1


def test_a_proxy_from_the_environment_carries_the_reads(emulator, proxy, monkeypatch):
    for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("http_proxy", proxy)
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        session.post("suppressions", emailaddress=["a@example.com"])
        frame = mm.read_suppressions(session=session, progress=False)
    assert list(frame["email"]) == ["a@example.com"]
    reads = [target for target in Forwarder.seen if "/suppressions?" in target]
    assert reads and all(target.startswith(emulator.url) for target in reads)


def _max_retry(reason: Exception) -> u3.MaxRetryError:
    return u3.MaxRetryError(urllib3.HTTPConnectionPool("h"), "/x", reason)


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (_max_retry(u3.ConnectTimeoutError("slow")), requests.exceptions.ConnectTimeout),
        (_max_retry(u3.NewConnectionError(None, "refused")), requests.exceptions.ConnectionError),
        (_max_retry(u3.ResponseError("too many 503")), requests.exceptions.RetryError),
        (_max_retry(u3.ProxyError("proxy", OSError())), requests.exceptions.ProxyError),
        (_max_retry(u3.SSLError("bad cert")), requests.exceptions.SSLError),
        (u3.ReadTimeoutError(None, "/x", "slow"), requests.exceptions.ReadTimeout),
        (u3.ProtocolError("reset"), requests.exceptions.ConnectionError),
        (u3.ClosedPoolError(None, "closed"), requests.exceptions.ConnectionError),
        (ConnectionResetError(), requests.exceptions.ConnectionError),
    ],
)
def test_urllib3_errors_become_what_requests_adapter_raises(raised, expected):
    mapped = as_requests_error(raised)
    assert type(mapped) is expected


def test_a_connect_failure_still_names_its_kind_and_no_key(nobody_url):
    key = "s3cr3t" * 6
    with (
        mm.Session(nobody_url, key, retries=0, timeout=1) as session,
        pytest.raises(mm.errors.TransportError) as refused,
    ):
        session.get("suppressions/count")
    assert refused.value.kind == "connect"
    assert key not in str(refused.value) and key not in repr(refused.value)
