"""The documentation site as a reader sees it, in Chromium: on a phone, served over HTTP.

``MMFRAME_DOCS_HTML`` names a site already built (``.ci/run`` builds it first, with
``-W``); without it the site is built here (70 to 106 s on 2 shared cores).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import open_page as _open
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

PAGES = [
    "index.html",
    "api/generated/mmframe.read_suppressions.html",
    "notebooks/03_bulk_remediation.html",
]


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
        # Outputs computed at build time: the storm's account, and the 300 rows it fixed
        # (3 of the storm's 335 complained to promo@example.org, 20 opted out on another
        # account, 12 more were called dead there: review).
        assert re.search(
            r"news@example\.com, 2026-06-09: \d+ suppressions, 300 to reactivate", text
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
