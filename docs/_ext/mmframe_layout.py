"""Page layout the theme and myst-nb leave to us: API titles that wrap between the parts
of a name, usage lines that wrap only between words, and notebook pages without the
widgets' saved state.

A title such as ``mmframe.read_suppression_counts`` is one word to the browser; on a phone
it was cut mid-name ("read_suppressi/ons"). A ``<wbr>`` after each dot and underscore
lets it wrap there, and only there.
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

#: The text of a page's title, up to its permalink.
TITLE = re.compile(r"(<h1>)([^<]+)(<a class=\"headerlink\")")


def break_points(title: str) -> str:
    """``title`` with a ``<wbr>`` after each dot and underscore."""
    return re.sub(r"([._])", r"\1<wbr>", title)


def wrap_api_titles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """On each API page, the title may wrap between the parts of the name."""
    if pagename.startswith("api/generated/") and "body" in context:
        context["body"] = TITLE.sub(
            lambda m: m[1] + break_points(m[2]) + m[3], context["body"], count=1
        )


def usage_html(text: str) -> str:
    """A usage block's HTML: each word (``[--allow-remote]``, ``{error-before,stall}]``)
    kept whole in a ``nowrap`` span, so a line wraps at spaces and never at a word's
    hyphens (a browser breaks ``--allow-`` / ``remote`` otherwise)."""
    # argparse's continuation lines are indented to the program's name (17 spaces and
    # more): on a phone that indent alone filled a line. Four spaces say "continued".
    lines = re.sub(r"\n[ \t]+", "\n    ", text)
    words = re.sub(r"(\S+)", r'<span class="word">\1</span>', html.escape(lines))
    return f'<div class="highlight usage"><pre>{words}</pre></div>'


def whole_usage_words(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each ``usage:`` block the argparse directive writes, drawn by :func:`usage_html`."""
    if app.builder.format != "html":
        return
    for block in list(doctree.findall(nodes.literal_block)):
        text = block.astext()
        if text.startswith("usage:"):
            block.replace_self(nodes.raw(text, usage_html(text), format="html"))


def drop_widget_state(app: Sphinx, env: Any) -> None:
    """No widget state on the notebook pages: it only feeds a widget manager loaded from a
    CDN, which the site does not load (it carries its own code); the pages show each
    widget's picture instead. The state is also the bulk of the page."""
    for data in getattr(env, "nb_metadata", {}).values():
        data.get("js_files", {}).pop("ipywidgets_state", None)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", wrap_api_titles)
    app.connect("doctree-resolved", whole_usage_words)
    app.connect("env-updated", drop_widget_state)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
