"""The report of a master key that sees many accounts, as a person reads it (issue 33, D8).

Twelve accounts and the master's own, one far over the complaint limit: its row comes
first, the quiet ones fold into one row that says what it holds, the summary is on a
desktop's first screen, and a name breaks only before an "@" or a "." (not at all on a
desktop).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.reporting import build
from tests.report import many

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path]:
    """The accounts the report covers, and the report."""
    with Emulator("empty", port=0) as emulator:
        emulator.replay(**many.history())  # type: ignore[arg-type]  # kinds, never "account"
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            evidence, path = build(
                session, tmp_path_factory.mktemp("many"), many.START, many.END,
                as_of=many.END, progress=False,
            )  # fmt: skip
    return evidence.accounts, path


def _open(browser: Any, path: Path, width: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


#: The headline's rows, shown and folded: each account's name.
ROWS = """
[...document.querySelectorAll('#headline tbody tr')].map(r => r.querySelector('th').innerText)
"""


def test_the_worst_account_comes_first_and_the_summary_is_on_the_first_screen(
    browser: Any, report: tuple[list[str], Path]
) -> None:
    accounts, path = report
    page = _open(browser, path, 1280)
    shown = page.evaluate(
        "[...document.querySelectorAll('#headline tbody tr')].filter(r => r.checkVisibility())"
        ".map(r => r.querySelector('th').innerText)"
    )
    assert shown[0] == many.LOUD  # 20 times over the limit: first, not under 12 quiet rows
    summary = page.evaluate("document.getElementById('summary').getBoundingClientRect().top")
    assert summary < 900, summary  # the guide: "at 1280 px the headline and the summary"
    # What is folded is said where it can be opened, and opening it shows every account.
    fold = page.locator("#headline details summary")
    assert fold.is_visible()
    hidden = len(accounts) - len(shown)
    assert fold.inner_text().startswith(f"The {hidden} other accounts:")
    assert "under the lines" in fold.inner_text()
    fold.click()
    assert sorted(page.evaluate(ROWS)) == sorted(accounts)
    assert len(page.evaluate(ROWS)) == len(accounts)
    assert page.evaluate(
        "[...document.querySelectorAll('#headline tbody tr')].every(r => r.checkVisibility())"
    )
    page.close()


#: Each headline name's lines after its first: the text each starts with.
LINE_STARTS = """
[...document.querySelectorAll('#headline tbody th')].map(th => {
  const starts = []; let top = null;
  const walk = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(), seen = ''; node; node = walk.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box) continue;
      if (top !== null && box.top > top + 2) starts.push(node.data.slice(i));
      top = box.top;
    }
  }
  return [th.innerText, starts];
})
"""


@pytest.mark.parametrize("width", [1280, 390])
def test_account_names_break_only_before_an_at_or_a_dot(
    browser: Any, report: tuple[list[str], Path], width: int
) -> None:
    _accounts, path = report
    page = _open(browser, path, width)
    page.evaluate("document.querySelectorAll('#headline details').forEach(d => d.open = true)")
    for name, starts in page.evaluate(LINE_STARTS):
        if width > 640:
            assert starts == [], (name, starts)  # a desktop has the room: one line
        assert all(s[0] in "@." for s in starts), (name, starts)
    page.close()
