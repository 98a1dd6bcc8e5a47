"""Shared fixtures: real emulators on free loopback ports (see mmframe.emulator.fixtures)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from mmframe.emulator import Emulator

pytest_plugins = ["mmframe.emulator.fixtures"]

Call = Callable[..., tuple[int, dict[str, Any]]]


def call_api(
    emulator: Emulator, verb: str, method: str, *, key: str | None = "master", **params: Any
) -> tuple[int, dict[str, Any]]:
    """Send one raw request; returns (HTTP status, the envelope's ``response``)."""
    if key == "master":
        key = emulator.master_apikey
    if key is not None:
        params["apikey"] = key
    url = f"{emulator.url}/{method}"
    if verb == "GET":
        response = requests.get(url, params=params, timeout=30)
    else:
        response = requests.request(verb, url, data=params, timeout=30)
    assert response.headers["content-type"] == "application/json"
    assert "content-length" in response.headers
    body = response.json()["response"]
    assert body["status"] == response.status_code
    return response.status_code, body


@pytest.fixture
def api(emulator: Emulator) -> Call:
    """``api(verb, method, key=..., **params)`` against the ``emulator`` fixture."""

    def call(verb: str, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        return call_api(emulator, verb, method, **params)

    return call


@pytest.fixture(scope="session")
def demo_emulator(seeded_copy) -> Emulator:
    """One read-only ``demo`` emulator for the session (tests must not write to it)."""
    emulator = Emulator("demo", port=0, db=seeded_copy("demo")).start()
    yield emulator  # type: ignore[misc]
    emulator.stop()


@pytest.fixture(autouse=True)
def _quiet_progress(monkeypatch):
    """Progress bars off by default in tests (tests of the bars turn them on)."""
    monkeypatch.setenv("MMFRAME_PROGRESS", "0")


@pytest.fixture
def demo_session(demo_emulator):
    """A fresh master session on the shared, read-only demo emulator."""
    import mmframe as mm

    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as session:
        yield session


@pytest.fixture
def session(emulator):
    """A master session on a fresh ``empty`` emulator (free to write to)."""
    import mmframe as mm

    with mm.Session(emulator.url, emulator.master_apikey) as session:
        yield session


@pytest.fixture
def nobody_url() -> Iterator[str]:
    """An API URL on a loopback port nobody listens on: bound here and never listened on,
    so a connection is refused, and no other process can take the port meanwhile (a fixed
    port such as 9 may be anyone's on a shared machine)."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}/rest/json"


def usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """The last line of the usage error ``mmframe argv`` exits with (status 2), before any
    request: the line a user reads."""
    from mmframe import cli

    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 2 and err.startswith("usage: "), err
    return err.strip().splitlines()[-1]
