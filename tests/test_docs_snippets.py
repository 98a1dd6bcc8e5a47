"""The examples of the documentation's pages run as written (issue 29.18: the replay
example needed a range and frames it never made; the X-header filter named an account
that reports on no X-headers).

Each ```python block of a page below runs, in order, in one namespace per page holding
what the guide assumes by then (``mm`` and ``pd`` imported, and a default session on the
demo data, as Getting started connects one; ``MMFRAME_URL`` and ``MMFRAME_APIKEY`` set as
the emulator prints them), in a folder of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import mmframe as mm
from mmframe import client

DOCS = Path(__file__).parents[1] / "docs"
#: Every page with python examples but those of :data:`LEFT_OUT`.
PAGES = [
    "index.md",
    "emulator.md",
    "guide/reports.md",
    "guide/writing.md",
    "guide/scale-out.md",
    "guide/cache.md",
    "guide/deliverability.md",
    "guide/charts-widgets.md",
    "guide/reading.md",
]
#: Pages whose examples cannot run here, and why.
LEFT_OUT = {"getting-started.md": "it connects to a service of yours (mm.example.net)"}
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
pytestmark = [pytest.mark.slow, pytest.mark.clock]  # a demo emulator per page: seconds each


def blocks(page: str) -> list[str]:
    """The ```python blocks of a page, in order."""
    return BLOCK.findall((DOCS / page).read_text())


@pytest.mark.parametrize("page", PAGES)
def test_the_examples_of_a_page_run_as_written(page, tmp_path, monkeypatch, make_emulator):
    monkeypatch.chdir(tmp_path)  # what an example writes ("history/") lands here
    monkeypatch.setattr(client, "_default", None)
    found = blocks(page)
    assert found, f"{page} has no python example"
    source = make_emulator("demo")
    # As `python -m mmframe.emulator` prints them, for a page that connects itself.
    monkeypatch.setenv("MMFRAME_URL", source.url)
    monkeypatch.setenv("MMFRAME_APIKEY", source.master_apikey)
    mm.connect()
    try:
        namespace = {"mm": mm, "pd": pd}
        for number, code in enumerate(found, start=1):
            exec(compile(code, f"{page}, example {number}", "exec"), namespace)  # our own docs
    finally:
        client.resolve(None).close()  # the default session, whichever example made it


def test_every_page_with_examples_is_run_or_says_why_not():
    found = {
        str(page.relative_to(DOCS))
        for page in DOCS.rglob("*.md")
        if not page.relative_to(DOCS).parts[0].startswith("_")
        and blocks(str(page.relative_to(DOCS)))
    }
    assert found == set(PAGES) | set(LEFT_OUT)
