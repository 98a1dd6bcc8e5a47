"""A real browser (Debian's chromium, driven by playwright) and a headless JupyterLab.

Playwright never downloads a browser here: it drives the system's ``chromium`` (or
``MMFRAME_CHROMIUM``). Run these tests alone with ``pytest -m browser``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.waiting import wait_for

#: Chromium as root in a sandbox-less container, with no traffic of its own.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Where screenshots go when ``MMFRAME_SCREENSHOTS`` names a folder (docs/, for the guide).
SHOTS = os.environ.get("MMFRAME_SCREENSHOTS")
ROOT = Path(__file__).parents[2]


def chromium_path() -> str:
    path = os.environ.get("MMFRAME_CHROMIUM") or shutil.which("chromium")
    if not path:
        raise RuntimeError(
            "the browser tests need Debian's chromium (apt-get install chromium) or "
            "MMFRAME_CHROMIUM=/path/to/chromium"
        )
    return path


def screenshot(page: Any, name: str, **options: Any) -> None:
    """Save a screenshot to ``MMFRAME_SCREENSHOTS`` when set."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), **options)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=ARGS)
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """JupyterLab, headless on 127.0.0.1 with a token, its kernels pointed at an emulator."""
    from mmframe.emulator import Emulator

    root = tmp_path_factory.mktemp("lab")
    emulator = Emulator("demo", port=0).start()
    # No "get Jupyter news?" prompt over the widgets (a user setting, in a folder of ours).
    notification = root / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    port, token = _free_port(), secrets.token_hex(16)
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "MMFRAME_URL": emulator.url,
        "MMFRAME_APIKEY": emulator.master_apikey,
        "MMFRAME_PROGRESS": "0",
        "MPLBACKEND": "Agg",
        "JUPYTER_CONFIG_DIR": str(root / ".jupyter"),
        "JUPYTER_RUNTIME_DIR": str(root / ".runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
    }
    command = [
        str(bin_dir / "jupyter"), "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
        f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    log = (root / "lab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)

    def up() -> bool:
        try:
            url = f"http://127.0.0.1:{port}/api/status?token={token}"
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            assert server.poll() is None, (root / "lab.log").read_text()
            return False

    wait_for(up, timeout=120, every=0.2)
    yield {"root": root, "url": f"http://127.0.0.1:{port}", "token": token, "emulator": emulator}
    server.terminate()
    server.wait(timeout=30)
    log.close()
    emulator.stop()


def run_notebook(browser: Any, lab: dict[str, Any], name: str, cells: list[str]) -> Any:
    """Write a notebook of ``cells``, open it in JupyterLab, run every cell; the page."""
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, lab["root"] / f"{name}.ipynb")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # A workspace of its own, reset: only this notebook open, so "Run All Cells" runs it.
    page.goto(f"{lab['url']}/lab/workspaces/{name}/tree/{name}.ipynb?reset&token={lab['token']}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    # Run only once the kernel is up: a "Run All Cells" before that does nothing.
    page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle")).wait_for(timeout=120_000)

    def started() -> bool:
        return page.locator(".jp-InputPrompt", has_text="[1]").count() > 0

    for _attempt in range(3):
        page.get_by_text("Run", exact=True).first.click()
        page.get_by_text("Run All Cells", exact=True).click()
        try:
            wait_for(started, timeout=20)
            break
        except TimeoutError:
            page.keyboard.press("Escape")
    return page


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log on the test's output."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site: ``MMFRAME_DOCS_HTML``, or a fresh build."""
    given = os.environ.get("MMFRAME_DOCS_HTML")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("docs") / "html"
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]
    done = subprocess.run([*command, str(ROOT / "docs"), str(out)], capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    return out


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The site over HTTP on a free loopback port, as a host would serve it."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@contextlib.contextmanager
def open_page(browser: Any, url: str, width: int) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A page at ``width``, with the requests it made off the site and its errors."""
    page = browser.new_page(viewport={"width": width, "height": 860})
    elsewhere: list[str] = []
    problems: list[str] = []
    site_root = url.split("/", 3)[:3]
    page.on(
        "request",
        lambda r: None if r.url.split("/", 3)[:3] == site_root else elsewhere.append(r.url),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(url)
        page.wait_for_load_state("load")
        yield page, elsewhere, problems
    finally:
        page.close()
