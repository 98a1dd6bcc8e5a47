"""The documentation site as a reader sees it, in Chromium: on a phone, served over HTTP.

``MMFRAME_DOCS_HTML`` names a site already built (``.ci/run`` builds it first, with
``-W``); without it the site is built here, which takes a minute or two.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parents[2]
PAGES = [
    "index.html",
    "api/generated/mmframe.read_suppressions.html",
    "notebooks/03_bulk_remediation.html",
]


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
def _open(browser: Any, url: str, width: int) -> Iterator[tuple[Any, list[str], list[str]]]:
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


@pytest.mark.parametrize("path", PAGES)
def test_a_phone_reads_the_page_without_scrolling_sideways(browser, served, path):
    with _open(browser, served + path, 390) as (page, elsewhere, problems):
        assert elsewhere == [] and problems == []  # the site carries its own fonts and code
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"{path} is {wide} px wide on a 390 px screen"
        heading = page.locator("h1").first  # whole: a long API name wraps, never cut off
        assert heading.is_visible()
        assert heading.evaluate("h => h.scrollWidth <= h.clientWidth"), heading.inner_text()
        screenshot(page, "docs-" + Path(path).stem + "-390")


def test_the_api_page_of_read_suppressions_documents_its_parameters(browser, served):
    with _open(browser, served + PAGES[1], 1280) as (page, _elsewhere, _problems):
        text = page.locator("article").inner_text()
        for part in ("Parameters", "start, end", "Returns", "Examples", "suppressed_at"):
            assert part in text, part


def test_the_notebook_page_shows_what_the_code_did(browser, served):
    with _open(browser, served + PAGES[2], 1280) as (page, _elsewhere, _problems):
        text = page.locator("article").inner_text()
        # Outputs computed at build time: the storm's account, and the 335 rows it fixed.
        assert re.search(
            r"news@example\.com, 2026-06-09: \d+ suppressions, 335 to reactivate", text
        )
        charts = page.evaluate("[...document.images].filter(i => i.naturalWidth > 0).length")
        assert charts >= 1


def test_the_search_box_finds_activate(browser, served):
    with _open(browser, served + "index.html", 390) as (page, _elsewhere, problems):
        page.locator(".search-button__button:visible").first.click()  # a phone shows the button
        box = page.locator("#pst-search-dialog input[name='q']")
        box.fill("activate")
        box.press("Enter")
        page.wait_for_url(re.compile(r"search\.html\?q=activate"))
        results = page.locator("#search-results li a")
        results.first.wait_for(timeout=30_000)
        targets = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert any("mmframe.activate.html" in target for target in targets), targets
        assert problems == []


def test_no_page_holds_an_api_key(site):
    # Keys are 32 hex characters; the notebooks ran with a master key in hand.
    key = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")
    for page in site.rglob("*.html"):
        assert not key.search(page.read_text(encoding="utf-8")), page
