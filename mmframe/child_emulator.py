"""The emulator as a child process of the demo: the server's work runs on another core.

In one process the client and the embedded server share one interpreter lock, so every
request's server half waits for the client's and the other way round; as a child, the
emulator seeds while the parent imports what the report needs, and serves on its own core.
The child stops when its standard input closes (``--stop-with-stdin``): on the parent's
exit, a crash or a kill included, never left serving.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: The lines the emulator prints on stdout once it serves (``python -m mmframe.emulator``).
_LINES = ("MMFRAME_URL", "MMFRAME_APIKEY", "MMFRAME_ADMIN_TOKEN")


@contextmanager
def child_emulator(
    *options: str, meanwhile: Callable[[], object] | None = None
) -> Iterator[tuple[str, str]]:
    """Run ``python -m mmframe.emulator --port 0 OPTIONS`` as a child; yield its API URL and
    master key, and stop it on leaving.

    Parameters
    ----------
    *options
        The emulator's options (``"--seed", "demo"``).
    meanwhile
        Called while the child starts (seeding takes seconds): work that needs no server.

    Raises
    ------
    RuntimeError
        The child exited before it served, with the last line it wrote on stderr.
    """
    command = [sys.executable, "-m", "mmframe.emulator", "--port", "0", "--stop-with-stdin"]
    # stderr goes to a file, not a pipe nobody reads: a full pipe would block the child.
    with (
        tempfile.TemporaryFile("w+") as log,
        subprocess.Popen(  # noqa: S603 - our own module
            [*command, *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        ) as child,
    ):
        assert child.stdin is not None and child.stdout is not None
        served = False
        try:
            if meanwhile is not None:
                meanwhile()
            said = dict(_pair(child.stdout.readline()) for _ in _LINES)
            if set(said) != set(_LINES):
                child.wait(timeout=30)
                log.seek(0)
                last = [line for line in log.read().splitlines() if line.strip()][-1:]
                raise RuntimeError(
                    f"the emulator exited with status {child.returncode} before it served"
                    + (f": {last[0]}" if last else "")
                )
            served = True
            yield said["MMFRAME_URL"], said["MMFRAME_APIKEY"]
        finally:
            _stop(child, served)


def _pair(line: str) -> tuple[str, str]:
    """``NAME=value`` as (name, value); anything else as ("", "")."""
    name, _, value = line.strip().partition("=")
    return (name, value) if name in _LINES else ("", "")


def _stop(child: subprocess.Popen[str], served: bool = True) -> None:
    """Close the child's stdin (it stops), and wait; kill it if it does not within 30 s. A
    child not serving yet (stopped while it seeds: an interrupt, SIGTERM) is terminated: it
    reads its stdin only once it serves, seconds later."""
    assert child.stdin is not None
    child.stdin.close()
    if not served and child.poll() is None:
        child.terminate()
    try:
        child.wait(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
