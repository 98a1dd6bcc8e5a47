"""The report as one self-contained HTML page: a Jinja2 template, charts embedded as PNG.

Every data string reaches the page through the template's autoescaping (bounce texts,
X-header values, account and sender names); numbers are written by
:mod:`mmframe.reporting.numbers` only.
"""

from __future__ import annotations

import base64
import functools
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd

from ..charts import fewer_date_ticks
from .evidence import Evidence
from .headline import parts_over
from .headline_fold import ALL_UP_TO, fold
from .labels import place
from .numbers import moment, plural, span
from .two_cores import in_two

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Chart sizes in inches at 100 CSS px an inch: the desktop picture, and the phone's and
#: tablet's (shown by a ``<picture>`` media query up to 1000 px, where the desktop one would
#: shrink to 8-10 px text) at 288 CSS px: the column of a 320 px screen, the smallest in use
#: (its page has 16 px each side), so no phone shrinks it (drawn 320 px wide, it was shown
#: 281.6 px wide there). It is drawn at 2 device pixels a CSS pixel, so a 2x or 3x screen
#: keeps it sharp.
WIDE, NARROW = (10.0, 3.8), (2.88, 3.8)
#: Device pixels a CSS pixel, by size; and the smallest text of each, in points (9 pt at
#: 100 CSS px an inch is 12.5 CSS px: legible at reading distance). The narrow one's is
#: 10.5 pt (14.6 CSS px), as shown on every phone.
DENSITY = {WIDE: 1, NARROW: 2}
SMALLEST = {WIDE: 9.0, NARROW: 10.5}


@dataclass
class Chart:
    """One chart, rendered for a desktop and a phone."""

    name: str
    title: str
    wide: str  # base64 PNG
    narrow: str  # base64 PNG at 2 device pixels a CSS pixel
    #: The smallest text of each rendering, in image pixels (what a check of legibility
    #: scales by the image's size on screen).
    wide_text_px: float = 0.0
    narrow_text_px: float = 0.0
    #: A sentence under the chart: what it draws that no finding judges ("" when none).
    note: str = ""


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mmframe.reporting", "templates"),
        autoescape=True,  # every {{ value }} is escaped, whatever the file's name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["moment"] = moment
    # The range in words that say where it ends, opening a sentence.
    env.filters["span"] = lambda start, end: (lambda said: said[:1].upper() + said[1:])(
        span(start, end)
    )
    env.filters["plural"] = plural
    env.filters["name_parts"] = name_parts
    return env


#: A part of a name longer than this may break anywhere: kept whole, it would run off a phone.
LONGEST_PART = 24


def name_parts(name: str) -> list[tuple[str, bool]]:
    """``name`` (an account's) cut before each "@" and ".", where the page lets it break:
    each part is kept whole (a hyphen breaks nowhere) unless it is longer than
    :data:`LONGEST_PART`, e.g. a 64-character mailbox name (the flag): that one breaks
    anywhere."""
    return [(part, len(part) > LONGEST_PART) for part in re.split(r"(?=[@.])", name) if part]


def chart(name: str, title: str, draw: Callable[[Any], object], folder: Path | None) -> Chart:
    """Draw with ``draw(ax)`` twice (desktop, phone); save the desktop PNG in ``folder``."""
    return charts([(name, title, draw)], folder)[0]


def charts(
    plans: Sequence[tuple[str, str, Callable[[Any], object]]],
    folder: Path | None,
    *,
    fork: bool = False,
) -> list[Chart]:
    """Each ``(name, title, draw)`` plan's chart, as :func:`chart` draws it; with ``fork``,
    the renderings shared with a forked child (:func:`.two_cores.in_two`: the same
    pictures, on two cores)."""
    # Each plan's two sizes in turn, the other one first every other plan: every other
    # rendering goes to the child, so each process draws some of each size.
    order = [(k, size) for k in range(len(plans))
             for size in ((WIDE, NARROW) if k % 2 == 0 else (NARROW, WIDE))]  # fmt: skip
    jobs = [functools.partial(_render, plans[k][2], plans[k][1], size) for k, size in order]
    done = dict(zip(order, in_two(jobs, fork=fork), strict=True))
    drawn = []
    for k, (name, title, _draw) in enumerate(plans):
        (wide, wide_px), (narrow, narrow_px) = done[k, WIDE], done[k, NARROW]
        if folder is not None:
            (folder / f"{name}.png").write_bytes(wide)
        wide_text, narrow_text = (base64.b64encode(png).decode() for png in (wide, narrow))
        drawn.append(Chart(name, title, wide_text, narrow_text, wide_px, narrow_px))
    return drawn


def _render(
    draw: Callable[[Any], object], title: str, size: tuple[float, float]
) -> tuple[bytes, float]:
    """One rendering: its PNG, and its smallest text in image pixels."""
    from matplotlib.text import Text

    drawn = figure(draw, title, size)
    texts = [t for t in drawn.findobj(Text) if t.get_visible() and t.get_text().strip()]
    buffer = io.BytesIO()
    drawn.savefig(buffer, format="png")
    least = min((float(t.get_fontsize()) for t in texts), default=SMALLEST[size])
    return buffer.getvalue(), least * drawn.dpi / 72


def figure(draw: Callable[[Any], object], title: str, size: tuple[float, float]) -> Figure:
    """The chart ``draw(ax)`` makes, laid out for ``size`` (:data:`WIDE` or :data:`NARROW`)
    with no text under that size's smallest."""
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    narrow, floor = size == NARROW, SMALLEST[size]
    drawn = Figure(figsize=size, dpi=100 * DENSITY[size], layout="constrained")
    ax = drawn.subplots()
    draw(ax)
    # Centred on the figure, wrapped: over a plot moved aside by its axis labels or its
    # legend, a long title ran past the figure's edge ("pressions per day, ...").
    ax.set_title("")
    drawn.suptitle(_wrap(title, TITLE_LINE[size]), fontsize=floor + 2)
    ax.tick_params(labelsize=floor + 1)
    rows, under = _legend_off_the_data(ax, narrow=narrow, font=floor)
    if under:  # the legend and the title stack under and over the plot: the figure grows
        lines = _wrap(title, TITLE_LINE[size]).count("\n") + 1
        # A phone's figure has room for two of each; a desktop's for its plot only.
        extra = max(rows - 2, 0) + max(lines - 2, 0) if narrow else rows + lines - 1
        drawn.set_figheight(size[1] + extra * ROW)
    texts = [t for t in drawn.findobj(Text) if t.get_visible() and t.get_text().strip()]
    for text in texts:  # a label the plot drew "small" would fall under the floor
        text.set_fontsize(max(float(text.get_fontsize()), floor))
    for annotation in ax.texts:  # labels placed inside the plot: the layout never shrinks it
        annotation.set_in_layout(False)
    # Each step below leaves the figure laid out as it stands (the labels inside the plot
    # are out of the layout), so the next measures without drawing it again.
    _ticks_apart(drawn, ax)
    _labels_inside(drawn, ax)
    place(drawn, ax, drawn_already=True)
    return drawn


def _labels_inside(drawn: Figure, ax: Any) -> None:
    """Slide each label that sticks out of the plot's frame back in: a spike near an edge
    of a phone's narrow plot has no room for its label on either side. The figure is laid
    out already (:func:`_ticks_apart` ends on a draw)."""
    from matplotlib.text import Annotation

    frame = ax.get_window_extent()
    room = 3 * drawn.dpi / 72  # 3 points from the frame
    for label in ax.texts:
        box = label.get_window_extent()
        if not isinstance(label, Annotation) or box.width + 2 * room > frame.width:
            continue
        shift = max(frame.x0 + room - box.x0, 0.0) - max(box.x1 + room - frame.x1, 0.0)
        dx, dy = label.xyann
        label.xyann = (dx + shift * 72 / drawn.dpi, dy)  # offset points


#: The most date ticks tried on an axis, fewer until no two labels touch.
MOST_TICKS = (8, 6, 5, 4, 3)


def _ticks_apart(drawn: Figure, ax: Any) -> None:
    """Fewer date ticks until their labels stand apart: a phone's axis read
    "Apr0815 22May0815 22Jun" with a tick a week. Ends with the figure drawn as it stands."""
    for most in (None, *MOST_TICKS):  # None: as drawn
        if most is not None and not fewer_date_ticks(ax, most):
            return  # no dates on this axis
        drawn.draw_without_rendering()
        boxes = sorted(
            (t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()),
            key=lambda box: box.x0,
        )
        gap = 4 * drawn.dpi / 72  # 4 points between two labels
        if all(a.x1 + gap < b.x0 for a, b in pairwise(boxes)):
            return


#: The height a legend row or a title line takes on a phone, in inches (10.5 pt and its
#: spacing): the phone's figure grows by one for each past the two it has room for.
ROW = 0.25


def _wrap(title: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(title, width))


#: A title's longest line, in characters, by size.
TITLE_LINE = {WIDE: 100, NARROW: 26}
#: The longest name a desktop's legend holds beside the plot: a longer one (88 characters)
#: squeezed the plot to a quarter of the figure, so the legend goes under it.
BESIDE = 40


def _legend_off_the_data(ax: Any, *, narrow: bool, font: float) -> tuple[int, bool]:
    """The legend beside the plot (below it on a phone, or past :data:`BESIDE` characters
    a name), never over a line; its rows, and whether it is under the plot."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return 0, False
    longest = max(len(str(label)) for label in labels)
    if not narrow and longest > BESIDE:
        # Columns as many as fit the figure's width (a character about 0.6 em wide).
        across = max(1, int(WIDE[0] * 72 / (0.6 * font * longest + 3 * font)))
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.12),
                  ncol=across, fontsize=font, frameon=False)  # fmt: skip
        return -(-len(labels) // across), True
    if narrow:
        names: list[str] = [_name_lines(str(label)) for label in labels]
        lines = sum(name.count("\n") + 1 for name in names)
        return (lines if _one_column(ax, handles, names, font) else -(-lines // 2)), True
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize=font, frameon=False)  # fmt: skip
    return len(labels), False


def _one_column(ax: Any, handles: list[Any], names: list[str], font: float) -> bool:
    """A phone's legend under its plot, in two columns where two fit the figure's width as
    drawn, else one (whether it is one): a legend wider than the figure collapses the plot
    to a sliver, and two 12-character names side by side ("news@acme.io", "tiny@acme.io")
    were 662 of its 576 pixels, though their characters seemed to fit."""
    for columns in (2, 1):
        legend = ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.22),
                           ncol=columns, fontsize=font, frameon=False)  # fmt: skip
        if columns == 1 or len(names) < 2:
            break
        drawn = ax.get_figure()
        if legend.get_window_extent(drawn._get_renderer()).width <= 0.95 * drawn.bbox.width:
            break
    return columns == 1 or len(names) < 2


#: The longest legend line on a phone, in characters (10.5 pt beside its line's sample).
LEGEND_LINE = 24


def _name_lines(label: str) -> str:
    """``label`` in lines of at most :data:`LEGEND_LINE` characters where it can be: broken
    at spaces, then before an ``@`` (an account's name and a domain apart)."""
    import textwrap

    lines: list[str] = []
    for line in textwrap.wrap(label, LEGEND_LINE, break_long_words=False) or [label]:
        at = line.find("@")
        long = len(line) > LEGEND_LINE and at > 0
        lines += [line[:at], line[at:]] if long else [line]
    return "\n".join(lines)


def table(frame: pd.DataFrame) -> dict[str, Any]:
    """A frame as the template's table: column names, rows of text, and whether each
    column is text (aligned left; figures right, their digits in line: the thirteenth
    review, R5, read the verdict table's right-aligned "cause" as odd)."""
    rows = [[("" if pd.isna(v) else str(v)) for v in row] for row in frame.itertuples(index=False)]
    return {
        "columns": [str(c) for c in frame.columns],
        "rows": rows,
        "text": [not _figures([row[i] for row in rows]) for i in range(len(frame.columns))],
    }


#: A figure as the page prints one: ``1,234``, ``-5``, ``1.98%``, ``+266%``.
FIGURE = re.compile(r"[+\-\u2212]?\d[\d,]*(\.\d+)?%?")
#: What a figures column may hold where it has no figure.
NO_FIGURE = {"", "-", "\u2013", "\u2014", "n/a"}


def _figures(values: list[str]) -> bool:
    """Whether a column holds figures (and placeholders for none), one at least."""
    said = [v.strip() for v in values if v.strip() not in NO_FIGURE]
    return bool(said) and all(FIGURE.fullmatch(v) for v in said)


def write(
    evidence: Evidence,
    charts_: list[Chart],
    out: Path,
    *,
    title: str,
    extra: list[Any],
    instead: list[str] | None = None,
) -> Path:
    """Render ``report.html`` into ``out``; return its path. ``instead``: sentences where
    charts are not drawn (no suppressions in the range)."""
    heads = evidence.headlines
    page = (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            evidence=evidence,
            findings=[
                {
                    "finding": f,
                    "tables": [(name, table(frame)) for name, frame in f.tables],
                }
                for f in evidence.findings
            ],
            charts=charts_,
            # Each image's CSS width: a desktop image shown after a phone's took its density
            # (2x) in Chromium, at half its width (twenty-fourth review, I3).
            css_width={"wide": round(WIDE[0] * 100), "narrow": round(NARROW[0] * 100)},
            instead=instead or [],
            extra=extra,
            headlines=fold(heads),
            all_up_to=ALL_UP_TO,
            parts_over=parts_over(heads, evidence.findings),
            senders_tables={
                name: table(frame) if len(frame) else None
                for name, frame in (
                    ("accounts", evidence.senders.accounts),
                    ("to_fix", evidence.senders.to_fix),
                )
            },
        )
    )
    path = out / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
