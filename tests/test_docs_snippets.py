"""The examples of the documentation's pages run as written (issue 29.18: the replay
example needed a range and frames it never made; the X-header filter named an account
that reports on no X-headers).

Each ```python block of a page below runs, in order, in one namespace per page holding
what the guide assumes by then (``mm`` and ``pd`` imported, and a default session on the
demo data, as Getting started connects one), in a folder of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import mmframe as mm
from mmframe import client
from mmframe.emulator import Emulator

DOCS = Path(__file__).parents[1] / "docs"
#: Pages whose examples run as written. A page of fragments (``mm.widgets...(s)``) is not
#: here; a new page of runnable examples joins the list.
PAGES = ["emulator.md", "guide/reports.md"]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def blocks(page: str) -> list[str]:
    """The ```python blocks of a page, in order."""
    return BLOCK.findall((DOCS / page).read_text())


@pytest.mark.parametrize("page", PAGES)
def test_the_examples_of_a_page_run_as_written(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # what an example writes ("history/") lands here
    monkeypatch.setattr(client, "_default", None)
    found = blocks(page)
    assert found, f"{page} has no python example"
    with Emulator(seed="demo") as source:
        session = mm.connect(source.url, apikey=source.master_apikey)
        try:
            namespace = {"mm": mm, "pd": pd}
            for number, code in enumerate(found, start=1):
                exec(compile(code, f"{page}, example {number}", "exec"), namespace)  # our own docs
        finally:
            session.close()
