"""The emulator as its own process, and its state across restarts with a database file."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from mmframe.emulator import Emulator
from tests.conftest import call_api
from tests.waiting import wait_for


@contextmanager
def _launch(command, stop=signal.SIGTERM):
    """Run the emulator command; yield its three shell lines as a dict; stop it; check exit 0."""
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            yield dict(process.stdout.readline().strip().split("=", 1) for _ in range(3))
        finally:
            process.send_signal(stop)
            _out, err = process.communicate(timeout=15)
        assert process.returncode == 0, err


@pytest.mark.parametrize(
    "command",
    [
        pytest.param([sys.executable, "-m", "mmframe.emulator"], id="python-m"),
        pytest.param(
            [str(Path(sys.executable).parent / "mmframe"), "emulator"], id="console-script"
        ),
    ],
)
def test_cli_prints_shell_lines_and_serves(command, tmp_path):
    with _launch([*command, "--port", "0", "--seed", "empty", "--latency-ms", "1"]) as env:
        assert set(env) == {"MMFRAME_URL", "MMFRAME_APIKEY", "MMFRAME_ADMIN_TOKEN"}
        assert env["MMFRAME_URL"].startswith("http://127.0.0.1:")
        response = requests.get(
            f"{env['MMFRAME_URL']}/senders", params={"apikey": env["MMFRAME_APIKEY"]}, timeout=10
        )
        assert response.json()["response"]["status"] == 200
        admin = env["MMFRAME_URL"].replace("/rest/json", "/_emulator/stats")
        assert requests.get(admin, timeout=10).status_code == 401
        token = {"Authorization": f"Bearer {env['MMFRAME_ADMIN_TOKEN']}"}
        assert requests.get(admin, headers=token, timeout=10).json()["totals"]["requests"] == 1


def test_cli_refuses_a_remote_host_without_the_flag():
    done = subprocess.run(
        [sys.executable, "-m", "mmframe.emulator", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--allow-remote" in done.stderr


def test_cli_rejects_bad_options():
    done = subprocess.run(
        [sys.executable, "-m", "mmframe.emulator", "--fault-rate", "3", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "fault_rate" in done.stderr


@pytest.mark.clock
def test_state_survives_a_restart_with_db(tmp_path):
    db = tmp_path / "mm.sqlite"
    with Emulator("empty", db=db) as first:
        key = first.master_apikey
        call_api(first, "POST", "suppressions", emailaddress="kept@x.com")
        call_api(first, "POST", "senders", emailaddress="s@x.com")
    with Emulator("demo", db=db) as second:  # an existing database is not re-seeded
        assert second.master_apikey == key
        rows = call_api(second, "GET", "suppressions")[1]["data"]["suppressions"]
        assert [r["emailaddress"] for r in rows] == ["kept@x.com"]
        assert call_api(second, "GET", "senders")[1]["data"]["senders"] == [
            {"emailaddress": "s@x.com"}
        ]


@pytest.mark.clock
def test_delayed_writes_are_kept_over_a_restart(tmp_path):
    db = tmp_path / "mm.sqlite"
    with Emulator("empty", db=db, propagation_delay=60) as first:
        call_api(first, "POST", "suppressions", emailaddress="late@x.com")
    with Emulator("empty", db=db) as second:
        assert call_api(second, "GET", "suppressions/count")[1]["data"]["count"] == 1


def test_cli_db_survives_process_restart(tmp_path):
    db = str(tmp_path / "cli.sqlite")
    command = [
        sys.executable,
        "-m",
        "mmframe.emulator",
        "--port",
        "0",
        "--seed",
        "empty",
        "--db",
        db,
    ]
    for expected in (0, 1):
        with _launch(command, stop=signal.SIGINT) as env:
            params = {"apikey": env["MMFRAME_APIKEY"]}
            count = requests.get(
                f"{env['MMFRAME_URL']}/suppressions/count", params=params, timeout=10
            ).json()["response"]["data"]["count"]
            assert count == expected
            requests.post(
                f"{env['MMFRAME_URL']}/suppressions",
                timeout=10,
                data={**params, "emailaddress": "x@y.com"},
            )


def test_stop_finishes_a_request_in_flight_and_closes_idle_connections():
    """``stop()`` wakes the server at once (no 0.1 s polls, issue 31) and is still graceful:
    a request being answered gets its answer, an idle kept-alive connection is closed."""
    emulator = Emulator("empty", port=0).start()
    idle = requests.Session()
    assert call_api(emulator, "GET", "accounts")[0] == 200
    assert idle.get(f"{emulator.url}/accounts", params={"apikey": emulator.master_apikey},
                    timeout=30).status_code == 200  # fmt: skip
    emulator.configure(latency_ms=300)
    answered: dict[str, int] = {}
    reader = threading.Thread(
        target=lambda: answered.update(status=call_api(emulator, "GET", "accounts")[0])
    )
    reader.start()
    wait_for(lambda: emulator.stats()["methods"]["GET accounts"]["requests"] == 3)
    url = emulator.url
    emulator.stop()
    reader.join(timeout=30)
    assert answered == {"status": 200}
    with pytest.raises(requests.ConnectionError):
        idle.get(f"{url}/accounts", timeout=5)
