"""The ``mmframe`` command fails in one line: ``error: ...`` on stderr and exit 1 (2 for a
usage error), whatever raised, for every sub-command; never a traceback, never a key."""

from __future__ import annotations

import functools
import os
import subprocess
import sys

import pytest

from mmframe import cli
from tests.conftest import call_api
from tests.waiting import ManualClock

KEY = "0123456789abcdef0123456789abcdef"


def _fails_in_one_line(capsys, argv, *, code=1):
    status = cli.main(argv)
    err = capsys.readouterr().err
    assert status == code, err
    lines = err.splitlines()  # progress lines may come first; the failure is the last one
    assert lines[-1].startswith("error: ") and err.endswith("\n"), err
    assert sum("error" in line for line in lines) == 1, err
    assert "Traceback" not in err and KEY not in err
    return lines[-1]


@pytest.fixture
def env(monkeypatch, emulator):
    monkeypatch.setenv("MMFRAME_URL", emulator.url)
    monkeypatch.setenv("MMFRAME_APIKEY", emulator.master_apikey)
    return emulator


@pytest.mark.clock
def test_report_into_a_file_says_so_before_any_read(capsys, env, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("not a folder")
    err = _fails_in_one_line(capsys, ["report", "--no-progress", "--out", str(taken)])
    assert str(taken) in err and "not a folder" in err
    assert "GET suppressions/count" not in env.stats()["methods"]  # nothing was read


@pytest.mark.clock
def test_report_into_a_folder_below_a_file(capsys, env, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("not a folder")
    err = _fails_in_one_line(capsys, ["report", "--no-progress", "--out", str(taken / "sub")])
    assert str(taken) in err


@pytest.mark.clock
def test_report_that_cannot_write_its_page(capsys, env, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "report.html"))

    monkeypatch.setattr("mmframe.reporting.write", refuse)
    err = _fails_in_one_line(capsys, ["report", "--no-progress", "--out", str(tmp_path)])
    assert "Permission denied" in err and "report.html" in err


def test_demo_into_a_file(capsys, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("not a folder")
    err = _fails_in_one_line(capsys, ["demo", "--out", str(taken)])
    assert "not a folder" in err


def test_export_into_a_file(capsys, env, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("not a folder")
    argv = ["export", "suppressions", "--start", "2026-01-01", "--end", "2026-02-01"]
    err = _fails_in_one_line(capsys, [*argv, "--out", str(taken), "--no-progress"])
    assert str(taken) in err


@pytest.mark.parametrize(
    ("raised", "shown"),
    [
        pytest.param(
            RuntimeError("first line\nsecond line"), "RuntimeError: first line", id="runtime"
        ),
        pytest.param(KeyError("no column 'x'"), "no column 'x'", id="keyerror"),
        pytest.param(OSError(28, "No space left on device"), "No space left", id="oserror"),
        pytest.param(RuntimeError(f"GET x?apikey={KEY}"), "apikey=***", id="key-scrubbed"),
        pytest.param(RuntimeError(f"the key {KEY} leaked"), "the key *** leaked", id="known-key"),
        pytest.param(RuntimeError(), "RuntimeError", id="no-message"),
    ],
)
def test_anything_raised_is_one_line_and_scrubbed(
    capsys, env, tmp_path, monkeypatch, raised, shown
):
    from mmframe.redact import register

    register(KEY)

    def boom(*args, **kwargs):
        raise raised

    monkeypatch.setattr("mmframe.reporting.build", boom)
    err = _fails_in_one_line(capsys, ["report", "--out", str(tmp_path)])
    assert shown in err


@pytest.mark.parametrize(
    ("raised", "code", "said"),
    [(KeyboardInterrupt(), 130, "interrupted"), (RuntimeError("deep\ndown"), 1, "deep")],
    ids=["interrupt", "bug"],
)
@pytest.mark.parametrize("command", ["demo", "report", "export", "emulator", "cache"])
def test_every_command_fails_in_one_line(
    capsys, env, tmp_path, monkeypatch, command, raised, code, said
):
    def interrupted(*args, **kwargs):
        raise raised

    for target in (
        "mmframe.demo.run",
        "mmframe.reporting.build",
        "mmframe.export.export_suppressions",
        "mmframe.emulator.__main__.serve",
        "mmframe.cache.info",
    ):
        monkeypatch.setattr(target, interrupted)
    argv = {
        "demo": ["demo", "--out", str(tmp_path)],
        "report": ["report", "--out", str(tmp_path)],
        "export": ["export", "suppressions", "--start", "2026-01-01", "--end", "2026-02-01",
                   "--out", str(tmp_path)],
        "emulator": ["emulator", "--port", "0"],
        "cache": ["cache", "info", "--path", str(tmp_path)],
    }[command]  # fmt: skip
    err = _fails_in_one_line(capsys, argv, code=code)
    assert said in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["report", "--no-such-option"])
    assert caught.value.code == 2


def test_the_console_script_prints_no_traceback(tmp_path, nobody_url):
    taken = tmp_path / "taken"
    taken.write_text("not a folder")
    env = {**os.environ, "MMFRAME_URL": nobody_url, "MMFRAME_APIKEY": KEY}
    done = subprocess.run(
        [sys.executable, "-m", "mmframe.cli", "demo", "--out", str(taken)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr


# --- Every failure a user meets first (issue 33.11): one line, a status, no key, a hint ----

#: A key the emulator does not know: long enough that a mask of it is no copy of it.
WRONG = "wr0ngk3y5ecret00deadbeef00c0ffee"


def _closed_port() -> int:
    """A loopback port nobody listens on (bound, then closed again)."""
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        return int(free.getsockname()[1])


def _clean_env(**given: str) -> dict[str, str]:
    """This process's environment without MMFRAME_* (the case sets its own), bars off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MMFRAME_")}
    return {**env, "MMFRAME_PROGRESS": "0", **given}


_EXPORT = ["export", "suppressions", "--start", "2026-01-01", "--end", "2026-01-02"]
_REPORT = ["report", "--start", "2026-01-01", "--end", "2026-01-02"]


def _error_case(name, emulator, failing):
    """``(argv, env, key that must not show, words the hint must hold)`` of a case;
    ``failing()`` starts an emulator that answers every API request 503 (error-before)."""
    url, master = emulator.url, emulator.master_apikey
    base = url.removesuffix("/rest/json")
    nowhere = f"http://127.0.0.1:{_closed_port()}/rest/json"
    masked = [WRONG[:2], WRONG[-2:], "MMFRAME_APIKEY", "--apikey"]
    return {
        "report-wrong-key-option": (
            [*_REPORT, "--url", url, "--apikey", WRONG], {}, WRONG, [*masked, "--apikey"]),
        "report-wrong-key-env": (
            _REPORT, {"MMFRAME_URL": url, "MMFRAME_APIKEY": WRONG}, WRONG, masked),
        "report-short-wrong-key": (  # too short to show any of it: its length only
            [*_REPORT, "--url", url, "--apikey", "sh0rtk3y99"], {}, "sh0rtk3y99",
            ["key of 10 characters", "MMFRAME_APIKEY", "--apikey"]),
        "export-wrong-key-option": (
            [*_EXPORT, "--url", url, "--apikey", WRONG], {}, WRONG, masked),
        "export-wrong-key-env": (
            _EXPORT, {"MMFRAME_URL": url, "MMFRAME_APIKEY": WRONG}, WRONG, masked),
        "report-unreachable": (
            [*_REPORT, "--url", nowhere, "--apikey", master], {}, master,
            [nowhere.split("/")[2], "--url"]),
        "export-unreachable": (
            _EXPORT, {"MMFRAME_URL": nowhere, "MMFRAME_APIKEY": master}, master,
            [nowhere.split("/")[2], "MMFRAME_URL"]),
        "report-no-api-path": (
            [*_REPORT, "--url", base, "--apikey", master], {}, master, [f"{base}/rest/json"]),
        "export-no-api-path": (
            [*_EXPORT, "--url", base + "/", "--apikey", master], {}, master,
            [f"{base}/rest/json"]),
        "report-no-url": (
            _REPORT, {"MMFRAME_APIKEY": master}, master, ["--url", "MMFRAME_URL"]),
        "export-no-url": (
            _EXPORT, {"MMFRAME_APIKEY": master}, master, ["--url", "MMFRAME_URL"]),
        "report-no-key": (
            [*_REPORT, "--url", url], {}, master, ["--apikey", "MMFRAME_APIKEY"]),
        "export-no-key": (
            _EXPORT, {"MMFRAME_URL": url}, master, ["--apikey", "MMFRAME_APIKEY"]),
    }[name] if "server-failing" not in name else _server_failing(name, failing())  # fmt: skip


def _server_failing(name, down):
    """The cases of a server that answers, but 503 to everything (adv33g defect 9)."""
    argv = _REPORT if name.startswith("report") else _EXPORT
    host = down.url.split("/")[2]
    env = {"MMFRAME_URL": down.url, "MMFRAME_APIKEY": down.master_apikey}
    return argv, env, down.master_apikey, [host, "503", "try again later"]


@pytest.mark.parametrize(
    "case",
    [
        "report-wrong-key-option", "report-wrong-key-env", "report-short-wrong-key",
        "export-wrong-key-option",
        "export-wrong-key-env", "report-unreachable", "export-unreachable",
        "report-no-api-path", "export-no-api-path", "report-no-url", "export-no-url",
        "report-no-key", "export-no-key",
        "report-server-failing", "export-server-failing",
    ],
)  # fmt: skip
def test_every_error_is_one_line_without_the_key_and_with_a_hint(
    emulator, make_emulator, tmp_path, case
):
    failing = functools.partial(make_emulator, fault_rate=1.0, fault_mode="error-before")
    argv, env, key, hints = _error_case(case, emulator, failing)
    done = subprocess.run(
        [sys.executable, "-m", "mmframe.cli", *argv, "--out", str(tmp_path / "out")],
        env=_clean_env(**env), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    said = done.stdout + done.stderr
    assert done.returncode == 1, said
    assert done.stdout == "" and done.stderr.startswith("error: "), said
    assert done.stderr.count("\n") == 1 and done.stderr.endswith("\n"), said
    assert key not in said and "Traceback" not in said and "urllib3" not in said, said
    if key == WRONG:  # shown as its first and last two characters, no more
        assert WRONG[:3] not in said and WRONG[-3:] not in said, said
    missing = [h for h in hints if h not in done.stderr]
    assert not missing, (missing, said)


def test_version_is_the_package_version(capsys):
    import mmframe

    with pytest.raises(SystemExit) as caught:
        cli.main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"mmframe {mmframe.__version__}\n"


def test_the_emulator_says_it_is_seeding_before_it_seeds(monkeypatch, capsys):
    # Issue 33.11: the emulator said nothing for the 10 s the demo dataset takes to seed.
    from mmframe.emulator import __main__ as served

    said = []

    def seeding(args):  # the slow part: what had been said by then
        said.append(capsys.readouterr().err)
        raise OSError("stopped here")

    monkeypatch.setattr(served, "emulator_from_args", seeding)
    assert served.main(["--port", "0"]) == 2
    assert said[0].startswith("seeding the demo dataset"), said


def test_the_emulator_says_where_it_listens(tmp_path):
    import signal

    env = _clean_env()
    served = subprocess.Popen(
        [sys.executable, "-m", "mmframe.emulator", "--port", "0", "--seed", "empty"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        url = served.stdout.readline().strip().removeprefix("MMFRAME_URL=")
        served.send_signal(signal.SIGINT)
        _out, err = served.communicate(timeout=60)
    finally:
        served.kill()
    assert served.returncode == 0, err
    assert err == f"serving at {url} (Ctrl-C stops it)\n"  # the empty seed takes no time


#: What ``mmframe --help`` never loads (issue 33.11: 3.7 s under load, nearly all imports).
HEAVY_FOR_HELP = {"pandas", "numpy", "matplotlib", "jinja2", "pyarrow", "starlette", "uvicorn"}


@pytest.mark.parametrize("how", ["console-script", "python-m"])
@pytest.mark.parametrize(
    "asked",
    [["--help"], ["--version"], ["cache", "--help"], ["cache", "clear", "--help"]],
    ids=["help", "version", "cache-help", "cache-clear-help"],
)
def test_help_and_version_load_nothing_heavy(tmp_path, how, asked):
    # Measured by the modules imported (-X importtime lists each), never by the time.
    script = tmp_path / "mmframe"  # named as the console script pip writes
    script.write_text("import sys\nfrom mmframe.cli import main\nsys.exit(main())\n")
    run = [str(script)] if how == "console-script" else ["-m", "mmframe.cli"]
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *run, *asked], env=_clean_env(),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "report" in done.stdout or "mmframe " in done.stdout
    loaded = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if "|" in line}
    tops = {name.split(".")[0] for name in loaded}
    assert not tops & HEAVY_FOR_HELP, sorted(tops & HEAVY_FOR_HELP)


def test_python_m_mmframe_is_the_command():
    done = subprocess.run(
        [sys.executable, "-m", "mmframe", "--version"], env=_clean_env(), capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.startswith("mmframe "), done.stderr


def test_an_endpoints_repr_holds_no_key(monkeypatch):
    from mmframe.cli_connect import endpoint

    monkeypatch.delenv("MMFRAME_URL", raising=False)
    monkeypatch.delenv("MMFRAME_APIKEY", raising=False)
    secret = "k3y-that-must-never-show-0123456789"
    assert secret not in repr(endpoint("http://127.0.0.1:9/rest/json", secret))


# --- The one pre-flight request meets a failing server (adv33g defect 9) -----------------


def _failing(make_emulator, how):
    """An emulator whose every API answer is a 503 (error-before) or a 429 (a rate limit
    on a clock that stands still: once its one-request burst is spent, it never refills)."""
    if how == "503":
        return make_emulator(fault_rate=1.0, fault_mode="error-before")
    limited = make_emulator(rate_limit=1, clock=ManualClock())
    assert call_api(limited, "GET", "senders")[0] == 200  # the burst, spent
    return limited


@pytest.mark.parametrize("how", ["503", "429"])
def test_the_probe_is_retried_as_every_read_is(capsys, make_emulator, monkeypatch, tmp_path, how):
    # A server that fails for a moment: one 503 to the probe failed the whole command.
    down = _failing(make_emulator, how)
    down_key = down.master_apikey
    waits = []

    def pause(seconds, closed):  # a retry's wait, on no clock: the server is back after two
        waits.append(seconds)
        if len(waits) == 2:
            down.configure(fault_rate=0.0, rate_limit=None)

    monkeypatch.setattr("mmframe.client.transport._pause", pause)
    argv = [*_EXPORT, "--url", down.url, "--out", str(tmp_path), "--no-progress"]
    monkeypatch.setenv("MMFRAME_APIKEY", down_key)
    assert cli.main(argv) == 0, capsys.readouterr().err
    probe = down.stats()["methods"]["GET accounts/xheaders"]["statuses"]
    assert probe == {how: 2, "200": 1}
    if how == "429":
        assert waits == [1.0, 1.0]  # each as long as Retry-After asked, nothing shorter


@pytest.mark.parametrize("how", ["503", "429"])
@pytest.mark.parametrize("command", ["report", "export"])
def test_a_server_failing_past_every_retry_is_one_line_with_what_to_do(
    capsys, make_emulator, monkeypatch, tmp_path, how, command
):
    down = _failing(make_emulator, how)
    waits = []
    monkeypatch.setattr(
        "mmframe.client.transport._pause", lambda seconds, closed: waits.append(seconds)
    )
    monkeypatch.setenv("MMFRAME_URL", down.url)
    monkeypatch.setenv("MMFRAME_APIKEY", down.master_apikey)
    argv = [*(_REPORT if command == "report" else _EXPORT), "--out", str(tmp_path)]
    err = _fails_in_one_line(capsys, [*argv, "--no-progress"])
    statuses = down.stats()["methods"]["GET accounts/xheaders"]["statuses"]
    assert statuses == {how: 6} and len(waits) == 5, (statuses, waits)  # the readers' 5 retries
    host = down.url.split("/")[2]
    assert host in err and how in err and "6 times" in err and "try again later" in err, err
    assert down.master_apikey not in err and "apikey" not in err.lower(), err


def test_a_host_that_is_not_there_is_told_at_once(capsys, monkeypatch, tmp_path, nobody_url):
    # The probe retries what a server answered, not a connection nobody accepts: that would
    # keep the user waiting in silence for a host that is not there.
    waits = []
    monkeypatch.setattr(
        "mmframe.client.transport._pause", lambda seconds, closed: waits.append(seconds)
    )
    monkeypatch.setenv("MMFRAME_URL", nobody_url)
    monkeypatch.setenv("MMFRAME_APIKEY", KEY)
    err = _fails_in_one_line(capsys, [*_REPORT, "--out", str(tmp_path), "--no-progress"])
    assert "connection refused" in err and waits == [], (err, waits)
