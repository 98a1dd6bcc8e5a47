"""Checks that fail the docs build (with ``-W``): a public name missing from the API
reference, and an internal link or anchor that leads nowhere."""

from __future__ import annotations

import importlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Modules whose ``__all__`` the API reference must cover, name by name.
PUBLIC_MODULES = (
    "mmframe", "mmframe.analysis", "mmframe.cache", "mmframe.dask", "mmframe.emulator",
)  # fmt: skip


def public_names() -> dict[str, object]:
    """Every ``module.name`` the reference must document, with what it names."""
    names: dict[str, object] = {}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        names |= {f"{module_name}.{name}": getattr(module, name) for name in module.__all__}
    return names


def undocumented(documented: set[str]) -> list[str]:
    """The public names missing from ``documented`` (full names, ``mmframe.triage``).

    A name re-exported by two modules (``mmframe.analysis.triage`` is ``mmframe.triage``)
    is documented once, under either; a string (``__version__``) only under its own name.
    """
    names = public_names()
    seen = {id(value) for name, value in names.items() if name in documented}
    return [
        name
        for name, value in names.items()
        if name not in documented and (isinstance(value, str) or id(value) not in seen)
    ]


def check_reference(app: Sphinx, env: Any) -> None:
    """Warn for each public name the Python domain does not hold."""
    for name in undocumented(set(env.get_domain("py").objects)):
        logger.warning("public name %s is missing from the API reference", name)


class _Links(HTMLParser):
    """The hrefs, srcs and ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value is None:
                continue
            if key == "id" or (key == "name" and tag == "a"):
                self.ids.add(value)
            elif (key == "href" and tag in ("a", "link")) or (key == "src" and tag == "img"):
                self.links.append(value)


def _parse(path: Path, cache: dict[Path, _Links]) -> _Links:
    if path not in cache:
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        cache[path] = parser
    return cache[path]


def _has(target: Path, parts: SplitResult, cache: dict[Path, _Links]) -> bool:
    """Whether the page ``target`` holds the link's anchor."""
    return unquote(parts.fragment) in _parse(target, cache).ids


def check_links(app: Sphinx, exception: Exception | None) -> None:
    """Warn for each relative link to a missing file, or to an anchor its page lacks."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    cache: dict[Path, _Links] = {}
    for page in sorted(out.rglob("*.html")):
        if page.relative_to(out).parts[0] == "_static":
            continue  # the theme's own templates, not pages
        for link in _parse(page, cache).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            where = page.relative_to(out)
            if not target.exists():
                logger.warning("%s: broken link %s", where, link)
            elif parts.fragment and target.suffix == ".html" and not _has(target, parts, cache):
                logger.warning("%s: link %s names an anchor its page lacks", where, link)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register both checks."""
    app.connect("env-check-consistency", check_reference)
    app.connect("build-finished", check_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
