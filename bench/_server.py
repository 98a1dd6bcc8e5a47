"""Run the emulator as its own process for a benchmark, as a remote server would be."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import requests

#: The admin routes' credential of the last emulator started here.
_admin_headers: dict[str, str] = {}


@contextmanager
def emulator_process(*options: str) -> Iterator[tuple[str, str, str]]:
    """Yield (api url, master key, admin url) of ``python -m mmframe.emulator OPTIONS``."""
    command = [sys.executable, "-m", "mmframe.emulator", "--port", "0", *options]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            env = dict(process.stdout.readline().strip().split("=", 1) for _ in range(3))
            url = env["MMFRAME_URL"]
            _admin_headers["Authorization"] = f"Bearer {env['MMFRAME_ADMIN_TOKEN']}"
            yield url, env["MMFRAME_APIKEY"], url.replace("/rest/json", "/_emulator")
        finally:
            process.terminate()
            process.wait(timeout=30)


def configure(admin_url: str, **settings: object) -> None:
    """Change the running emulator's settings (latency, faults, ...)."""
    requests.post(
        f"{admin_url}/settings", json=settings, headers=_admin_headers, timeout=30
    ).raise_for_status()


def reset_stats(admin_url: str) -> None:
    """Forget the running emulator's request statistics."""
    requests.post(f"{admin_url}/stats", headers=_admin_headers, timeout=30).raise_for_status()


def stats(admin_url: str) -> dict[str, object]:
    """The running emulator's request statistics."""
    return dict(requests.get(f"{admin_url}/stats", headers=_admin_headers, timeout=30).json())
