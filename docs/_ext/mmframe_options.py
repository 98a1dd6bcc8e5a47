"""The ``mmframe-options`` directive: every keyword option, its default and its meaning,
read from :mod:`mmframe.options` (where each is declared once), never copied by hand."""

from __future__ import annotations

from typing import Any, ClassVar, get_type_hints

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from mmframe import options

#: The declarations a reader meets in signatures, from the narrowest.
GROUPS = (
    "ReadOptions",
    "FilterOptions",
    "BounceOptions",
    "EngagementOptions",
    "LazyReadOptions",
    "WriteOptions",
)


class OptionsTable(SphinxDirective):
    """Each declaration of :data:`GROUPS` as a class entry holding a table of its options."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        lines = []
        for group in GROUPS:
            declared = getattr(options, group)
            lines += [f".. py:class:: {group}", "", f"   {(declared.__doc__ or '').strip()}", ""]
            lines += ["   .. list-table::", "      :header-rows: 1", "      :widths: 20 20 60", ""]
            lines += ["      * - option", "        - default", "        - meaning"]
            for name in get_type_hints(declared):
                default = options.DEFAULTS[name]
                lines += [f"      * - ``{name}``", f"        - ``{default!r}``",
                          f"        - {options.MEANING[name]}"]  # fmt: skip
            lines.append("")
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source="mmframe.options"), 0, container)
        return list(container.children)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("mmframe-options", OptionsTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
