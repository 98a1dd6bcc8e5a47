"""The command-line page's usage lines on a phone (issue 33, fourth review B14): at 390 px
they broke inside option names ("[-" / "-allow-remote]", "{error-" / "before,...}"), so a
reader could not tell the option as typed. A line may wrap, but only between options."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

#: Each word of each usage block ("[--allow-remote]", "{error-before,reset-after}]") that
#: is drawn over more than one line: none, where a line breaks only at spaces.
BROKEN = r"""() => {
  const found = [];
  for (const pre of document.querySelectorAll('article pre')) {
    if (!pre.innerText.startsWith('usage:')) continue;
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    const nodes = []; let node;
    while ((node = walker.nextNode())) nodes.push(node);
    const joined = nodes.map(n => n.data).join('');
    for (const m of joined.matchAll(/\S+/g)) {
      const range = document.createRange();
      let at = 0, started = false;
      for (const n of nodes) {
        const end = at + n.data.length;
        if (!started && m.index < end) { range.setStart(n, m.index - at); started = true; }
        if (started && m.index + m[0].length <= end) {
          range.setEnd(n, m.index + m[0].length - at); break;
        }
        at = end;
      }
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                            .map(r => Math.round(r.top)));
      if (tops.size > 1) found.push(m[0]);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_a_usage_line_breaks_only_between_options(browser, served, width):
    with open_page(browser, served + "cli.html", width) as (page, _elsewhere, _problems):
        assert page.locator("article pre", has_text="usage:").count() >= 2
        assert page.evaluate(BROKEN) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
