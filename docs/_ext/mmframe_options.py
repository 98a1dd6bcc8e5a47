"""The keyword options in the docs, read from :mod:`mmframe.options` (where each is declared
once, with its type, default and meaning), never copied by hand.

- The ``mmframe-options`` directive: every declaration as a table of its options.
- :func:`fill_parameters` (on ``autodoc-process-docstring``, before numpydoc): each option
  a function takes gets its entry in the function's Parameters section, with its type,
  default and meaning; a ``**options`` entry is replaced by them, and an option the
  docstring documents by name (where a function says more) keeps that text.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from typing import Any, ClassVar, Literal, get_args, get_origin, get_type_hints

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from mmframe import options

#: The declarations a reader meets in signatures, from the narrowest.
GROUPS = (
    "SessionOptions",
    "AccountOptions",
    "ReadOptions",
    "FilterOptions",
    "EventOptions",
    "BounceOptions",
    "EngagementOptions",
    "ReportOptions",
    "LazyReadOptions",
    "LazyReportOptions",
    "WriteOptions",
    "ActivateOptions",
)
#: numpydoc's section headers: where the Parameters section ends, or goes before.
SECTIONS = (
    "Parameters", "Returns", "Yields", "Receives", "Other Parameters", "Raises", "Warns",
    "Warnings", "See Also", "Notes", "References", "Examples", "Attributes", "Methods",
)  # fmt: skip


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
                lines += [f"      * - ``{name}``", f"        - ``{options.DEFAULTS[name]!r}``",
                          f"        - {options.MEANING[name]}"]  # fmt: skip
            lines.append("")
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source="mmframe.options"), 0, container)
        return list(container.children)


def type_text(hint: Any) -> str:
    """A type as numpydoc writes it: ``str or None``, ``{'raise', 'warn'}``."""
    origin, args = get_origin(hint), get_args(hint)
    if hint is None or hint is type(None):
        return "None"
    if origin is Literal:
        return "{" + ", ".join(repr(a) for a in args) + "}"
    if origin in (types.UnionType, typing.Union):
        parts = [type_text(a) for a in args if a is not type(None)]
        return " or ".join(parts + ["None"] * (type(None) in args))
    if isinstance(hint, list):  # a Callable's arguments
        return "[" + ", ".join(type_text(a) for a in hint) + "]"
    if origin is not None:
        return f"{type_text(origin)}[{', '.join(type_text(a) for a in args)}]"
    if isinstance(hint, type):
        module = hint.__module__.split(".")[0]
        return (
            hint.__qualname__
            if module in ("builtins", "collections", "mmframe")
            else f"{module}.{hint.__qualname__}"
        )
    return str(hint)


def taken(function: Callable[..., Any]) -> list[str]:
    """The shared options ``function`` takes: keyword-only parameters with a declared
    option's name, type and default (a same-named parameter of its own is not one)."""
    try:
        signature = inspect.signature(function, eval_str=True)
    except (TypeError, ValueError, NameError):
        return []
    hints = _types()
    return [
        p.name
        for p in signature.parameters.values()
        if p.kind is p.KEYWORD_ONLY
        and p.name in hints
        and p.annotation == hints[p.name]
        and p.default == options.DEFAULTS[p.name]
    ]


def _types() -> dict[str, Any]:
    """Each option's declared type, by name."""
    found: dict[str, Any] = {}
    for declaration in options.DECLARATIONS:
        found.update({name: kind for name, (kind, _opt) in options.declared(declaration).items()})
    return found


def _headers(lines: list[str]) -> list[int]:
    """Where each numpydoc section starts (its title's line)."""
    return [
        i
        for i in range(len(lines) - 1)
        if lines[i].strip() in SECTIONS
        and set(lines[i + 1].strip()) == {"-"}
        and not lines[i].startswith(" ")
    ]


def _entries(lines: list[str], start: int, end: int) -> dict[str, tuple[int, int]]:
    """The Parameters entries between ``start`` and ``end``: each name, and its lines."""
    firsts = [i for i in range(start, end) if lines[i].strip() and not lines[i].startswith(" ")]
    found = {}
    for n, first in enumerate(firsts):
        last = firsts[n + 1] if n + 1 < len(firsts) else end
        while last > first + 1 and not lines[last - 1].strip():
            last -= 1
        for name in lines[first].split(" : ")[0].split(","):
            found[name.strip()] = (first, last)
    return found


def fill_parameters(
    app: Sphinx | None, what: str, name: str, obj: Any, _options: Any, lines: list[str]
) -> None:
    """Write the entry of each option ``obj`` takes into its Parameters section (in place).

    Each entry is ``name : type, default value`` and the option's meaning, from its
    declaration. Connected to ``autodoc-process-docstring`` ahead of numpydoc, which then
    renders the section as for any hand-written entry.
    """
    if what not in ("function", "method", "class") or not callable(obj):
        return
    _typed(obj, lines)
    if what == "class":
        return
    headers = _headers(lines)
    section = next((i for i in headers if lines[i].strip() == "Parameters"), None)
    end = min([i for i in headers if section is not None and i > section] or [len(lines)])
    documented = _entries(lines, section + 2, end) if section is not None else {}
    missing = [n for n in taken(obj) if n not in documented]
    if not missing:
        return
    block = []
    for option in missing:
        kind, default = type_text(_types()[option]), options.DEFAULTS[option]
        block += [f"{option} : {kind}, default {default!r}", f"    {options.MEANING[option]}"]
    if "**options" in documented:
        first, last = documented["**options"]
        lines[first:last] = block
    elif section is not None:
        last = end
        while last > section + 2 and not lines[last - 1].strip():
            last -= 1
        lines[last:last] = block
    else:
        at = headers[0] if headers else len(lines)
        lead = [""] if at and lines[at - 1].strip() else []
        lines[at:at] = [*lead, "Parameters", "----------", *block, ""]


def _typed(obj: Any, lines: list[str]) -> None:
    """Give each hand-written Parameters entry without a type (``frame``) its type and
    default from the signature (``frame : pandas.DataFrame``), in place; an entry naming
    several parameters of different types (``path, start, end``) becomes one entry each,
    sharing the description."""
    try:
        signature = inspect.signature(obj, eval_str=True)
    except (TypeError, ValueError, NameError):
        try:
            signature = inspect.signature(obj)
        except (TypeError, ValueError):
            return
    headers = _headers(lines)
    section = next((i for i in headers if lines[i].strip() == "Parameters"), None)
    if section is None:
        return
    end = min([i for i in headers if i > section] or [len(lines)])
    hints = _hints(obj)
    entries = sorted(set(_entries(lines, section + 2, end).values()), reverse=True)
    for first, last in entries:  # from the last, so the earlier ones keep their place
        if " : " in lines[first] or lines[first].lstrip().startswith("*"):
            continue
        names = [n.strip() for n in lines[first].split(",")]
        found = [signature.parameters.get(n) for n in names]
        if not all(found):
            continue
        typed = [_entry(p, hints) for p in found if p is not None]
        if None in typed:
            continue
        if len(set(t.split(" : ", 1)[1] for t in typed if t)) == 1:
            lines[first] = f"{lines[first].rstrip()} : {str(typed[0]).split(' : ', 1)[1]}"
            continue
        text = lines[first + 1 : last]
        lines[first:last] = [line for t in typed for line in (str(t), *text)]


def _entry(parameter: inspect.Parameter, hints: dict[str, Any]) -> str | None:
    """``name : type, default value`` of a parameter (None: it has no annotation)."""
    hint = hints.get(parameter.name, parameter.annotation)
    if hint is inspect.Parameter.empty:
        return None
    text = f"{parameter.name} : {type_text(hint)}"
    if parameter.default is not inspect.Parameter.empty:
        text += f", default {parameter.default!r}"
    return text


def _hints(obj: Any) -> dict[str, Any]:
    """``obj``'s annotations evaluated (a string one stays as written where it cannot be:
    a name imported for type checkers only)."""
    try:
        return get_type_hints(obj.__init__ if inspect.isclass(obj) else obj)
    except Exception:  # any failure leaves the annotations as written
        return {}


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive, and fill the options in before numpydoc reads docstrings."""
    app.add_directive("mmframe-options", OptionsTable)
    app.connect("autodoc-process-docstring", fill_parameters, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
