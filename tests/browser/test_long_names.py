"""The report of accounts with long names, as a person reads it (issue 33, fourth review).

Six accounts named in 76 to 88 characters, one with a spike of bounces, one over the
complaint limit: the phone's charts are drawn for the box they are shown in, and names
break only before an "@" or a ".", in the headline and in the findings' titles.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.reporting import build
from tests.report import long_names

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with Emulator("empty", port=0) as emulator:
        emulator.replay(**long_names.history())  # type: ignore[arg-type]
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            _evidence, path = build(
                session, tmp_path_factory.mktemp("long"), long_names.START, long_names.END,
                as_of=long_names.END, progress=False,
            )  # fmt: skip
    return path


def _open(browser: Any, path: Path, width: int, scale: int = 2) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


#: Each chart: the CSS pixels it was drawn for (its bitmap at 2 a CSS pixel), the CSS
#: pixels it is shown in, and its smallest text as shown, in CSS pixels.
SHOWN = """
async () => Promise.all([...document.images].map(async i => {
  const bitmap = await createImageBitmap(await (await fetch(i.currentSrc)).blob());
  const shown = i.getBoundingClientRect().width;
  const textPx = Number(i.dataset.narrowTextPx);
  return [i.alt, bitmap.width / 2, shown, textPx * shown / bitmap.width];
}))
"""


@pytest.mark.parametrize("width", [320, 390])
def test_a_phone_shows_each_chart_at_the_size_it_was_drawn_for(browser, report, width):
    # Fourth review A11, B10: drawn 320 px wide, shown 281.6 px wide in a 320 px screen's
    # column: its text shrank by 0.88.
    page = _open(browser, report, width)
    drawn = page.evaluate(SHOWN)
    assert len(drawn) >= 2
    for alt, made_for, shown, text_px in drawn:
        assert abs(made_for - shown) <= 0.5, (alt, made_for, shown)
        assert text_px >= 12, (alt, text_px)
    page.close()


#: Each element's lines after its first: the character before the break, the text after,
#: and whether the break is inside a part of a name too long to keep whole (class "long").
BREAKS = """
selector => [...document.querySelectorAll(selector)].map(el => {
  const breaks = []; let top = null; let before = '';
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box) { before = node.data[i]; continue; }
      const long = node.parentElement.classList.contains('long');
      const after = node.data.slice(i, i + 12);
      if (top !== null && box.top > top + 2) breaks.push([before, after, long]);
      top = box.top; before = node.data[i];
    }
  }
  return [el.innerText, breaks];
})
"""


def _where_names_break(page: Any, selector: str) -> list[tuple[str, str, str]]:
    """The breaks inside a word that are not before an "@" or a "." (the rule for names),
    but in a part of a name too long for a phone (render.LONGEST_PART)."""
    return [
        (text[:40], before, after)
        for text, breaks in page.evaluate(BREAKS, selector)
        for before, after, long in breaks
        if not before.isspace() and after[:1] not in "@. " and not long
    ]


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_names_in_the_headline_and_the_finding_titles_break_only_before_an_at_or_a_dot(
    browser, report, width
):
    # Fourth review B7: a finding's title broke mid-word at 320
    # ("client03@c03.example.ne|t, domain gmail.com"); the headline's names are held to it.
    page = _open(browser, report, width)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    titles = page.evaluate("[...document.querySelectorAll('section.finding h2')].length")
    assert titles >= 2
    assert _where_names_break(page, "section.finding h2") == []
    assert _where_names_break(page, "#headline tbody th") == []
    page.close()


def test_the_summary_s_first_finding_is_on_a_desktop_s_first_screen(browser, report):
    # Fourth review B5: at 1280x800 the Summary heading sat at y=748-790 with not one line
    # of it in view (5 accounts, 41, the demo), though the guide says the first screen
    # holds the headline and the summary.
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    first = page.evaluate(
        "(() => { const s = document.getElementById('summary');"
        " const item = s.querySelector('li') || s.querySelector('p');"
        " return [item.innerText, item.getBoundingClientRect().bottom]; })()"
    )
    assert first[0].startswith(long_names.SPIKY), first  # the first finding, largest first
    assert first[1] <= 800, first
    page.close()


def test_a_domain_drawn_over_the_limit_on_too_few_complaints_is_said_not_judged(browser, report):
    # Fourth review B11: the complaint chart drew domains far over the limit (3.33%) that
    # no sentence mentioned.
    page = _open(browser, report, 1280)
    every = page.evaluate("[...document.querySelectorAll('p.note')].map(p => p.innerText)")
    # The chart's note (the headline has one of its own, on the previous range).
    notes = [n for n in every if n.startswith("Drawn over the 0.3% limit but not judged: ")]
    assert len(notes) == 1, every
    # Each period drawn over the limit, in words (sixth review, defect 8): the small
    # domain's, and gmail.com's one-day first period (1 complaint), though a finding
    # judges gmail.com's other periods.
    small = re.search(re.escape(long_names.SMALL) + r" \(([^)]*)\)", notes[0])
    assert small and "in the week of 2026-03-02" in small.group(1), notes
    # A one-day first period is partial (seventh review, defect 4: only a period the range
    # covers whole is whole).
    assert "gmail.com (2.38% in the period from 2026-03-01 (partial), 1 complaint)" in notes[0], (
        notes
    )
    page.close()
