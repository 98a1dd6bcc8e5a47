"""The last resort of a chart's spike labels: numbers at the spikes, their words in a key
under the chart.

On a phone's narrow plot a label may find no place clear of the others anywhere near its
spike, however tall the figure grows (a label as wide as the plot; six to eight adjacent
days of a 76-character account): it was left where its last try put it, past the plot's
edge and over the others. Then each label becomes its number, which finds a place beside
its dot, and its words are written in full under the chart (and its legend), one entry a
number, wrapped to the figure's width: the figure grows by the key's height.
"""

from __future__ import annotations

import re
from typing import Any

from ..spike_marks import WORDS

#: The key's text, found by this id (a figure holds one key at most).
KEY_ID = "spike-key"
#: Inches between the key and the figure's edges, and between it and the chart above.
MARGIN = 0.1
#: The widest a key's line starts at, in characters (fewer until it fits the figure).
WIDEST = 60


def entry(number: int, text: str) -> list[str]:
    """A label's words as one entry of the key: its number, then its lines joined (a name's
    second half, from its ``@``, to its first, with a space the key may wrap at)."""
    parts: list[str] = []
    for line in text.split("\n"):
        if line.startswith("@") and parts:
            parts[-1] += " " + line
        elif line.strip():
            parts.append(line.strip())
    return [f"{number}  " + ", ".join(parts)]


def key_out(drawn: Any, labels: list[Any], height: float, font: float) -> Any:
    """Turn each of ``labels`` into its number and write their words in a key under the
    chart, the figure ``height`` inches tall before it grows by the key; returns the key's
    text (its id :data:`KEY_ID`)."""
    entries = [entry(n, WORDS.get(label, label.get_text())) for n, label in enumerate(labels, 1)]
    for n, label in enumerate(labels, 1):
        label.set_text(str(n))
        label.set_fontsize(font)
        label.set_bbox(None)
    drawn.set_figheight(height)
    key = drawn.text(MARGIN, MARGIN, "", fontsize=font, ha="left", va="bottom",
                     transform=drawn.dpi_scale_trans, gid=KEY_ID)  # fmt: skip
    key.set_in_layout(False)
    _wrap_to_width(drawn, key, entries)
    tall = key.get_window_extent(drawn._get_renderer()).height / drawn.dpi + 2 * MARGIN
    drawn.set_figheight(height + tall)
    engine = drawn.get_layout_engine()
    if engine is not None:  # the chart and its legend keep the band over the key
        engine.set(rect=(0, tall / (height + tall), 1, 1 - tall / (height + tall)))
    drawn.draw_without_rendering()
    return key


def _wrap_to_width(drawn: Any, key: Any, entries: list[list[str]]) -> None:
    """The key's entries wrapped, their later lines indented, fewer characters a line until
    the text fits the figure's width."""
    room = drawn.bbox.width - 2 * MARGIN * drawn.dpi
    for width in range(WIDEST, 11, -2):
        lines = [wrap(line, width) for lines in entries for line in lines]
        key.set_text("\n".join(lines))
        if key.get_window_extent(drawn._get_renderer()).width <= room:
            return


def wrap(text: str, width: int, indent: str = "   ") -> str:
    """``text`` in lines of ``width`` characters at most, the later ones indented, broken
    between words, else before a name's ``@`` or ``.`` (as the page breaks names), else
    anywhere (a part longer than a line)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if not word:  # a second space (after an entry's number) is kept
            line += " "
            continue
        parts = [p for p in re.split(r"(?=[@.])", word) if p]
        for i, part in enumerate(parts):
            joined = line + part if i else (f"{line} {part}" if line else part)
            if len(joined) <= width or not line.strip():
                line = joined
                continue
            lines.append(line)
            line = indent + part
            while len(line) > width:  # a part longer than a line breaks anywhere
                lines.append(line[:width])
                line = indent + line[width:]
    lines.append(line)
    return "\n".join(lines)


def entries_of(key: Any) -> dict[int, str]:
    """The key's words per number, each entry's lines joined (what a reader of the chart
    reads for that number)."""
    found: dict[int, str] = {}
    number = None
    for line in key.get_text().split("\n"):
        head, _, rest = line.partition("  ")
        if head.isdigit() and not line.startswith(" "):
            number = int(head)
            found[number] = rest
        elif number is not None:
            found[number] += " " + line.strip()
    return found
