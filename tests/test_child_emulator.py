"""The demo's emulator as a child process: it serves, stops with its parent's pipe, and a
child that fails to start is one clear error."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests

from mmframe.child_emulator import child_emulator
from tests.waiting import wait_for


def test_the_child_serves_and_is_stopped_on_leaving():
    calls = []
    with child_emulator("--seed", "empty", meanwhile=lambda: calls.append(1)) as (url, key):
        answer = requests.get(f"{url}/senders", params={"apikey": key}, timeout=10).json()
        assert answer["response"]["status"] == 200
    assert calls == [1]
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/senders", params={"apikey": key}, timeout=10)


def test_the_emulator_stops_when_its_stdin_closes():
    # What stops the demo's child when the demo dies, a kill included: its end of the pipe.
    command = [sys.executable, "-m", "mmframe.emulator", "--port", "0", "--seed", "empty"]
    with subprocess.Popen(
        [*command, "--stop-with-stdin"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as child:  # fmt: skip
        lines = [child.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("MMFRAME_URL=")
        assert child.poll() is None  # serving
        child.stdin.close()
        wait_for(lambda: child.poll() is not None, timeout=30)
    assert child.returncode == 0


def test_a_child_that_cannot_start_is_one_error_naming_why():
    with pytest.raises(RuntimeError) as raised, child_emulator("--seed", "no-such-seed"):
        pass
    message = str(raised.value)
    assert "before it served" in message
    assert "no-such-seed" in message  # argparse's own line: invalid choice


def test_sigterm_stops_the_demo_in_one_line_and_its_emulator_with_it(tmp_path):
    """The 48th review: SIGTERM on ``mmframe demo`` printed nothing and left the cursor
    mid-bar. It unwinds as Ctrl-C does: one line, exit 143, the child emulator stopped."""
    import os
    import signal
    from pathlib import Path

    env = {**os.environ, "MMFRAME_SEED_CACHE": "0"}  # it seeds: seconds to be stopped in
    with subprocess.Popen(
        [sys.executable, "-m", "mmframe.cli", "demo", "--out", str(tmp_path / "out")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    ) as demo:  # fmt: skip
        assert "starting the embedded emulator" in demo.stdout.readline()
        wait_for(lambda: _children(demo.pid), timeout=60)
        (child,) = _children(demo.pid)
        demo.send_signal(signal.SIGTERM)
        _out, err = demo.communicate(timeout=60)
    assert demo.returncode == 128 + signal.SIGTERM
    assert err.strip().splitlines()[-1] == "error: terminated", err
    wait_for(lambda: not Path(f"/proc/{child}").exists(), timeout=30)


def _children(parent: int) -> list[int]:
    """The processes whose parent is ``parent`` (read from /proc: Linux)."""
    from pathlib import Path

    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found
