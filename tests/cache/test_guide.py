"""What docs/guide/cache.md says about which functions take ``cache=`` is what their
signatures say (adv34 defect 11: it said every ``read_*``, and four lookups refuse it)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import mmframe as mm
from mmframe import widgets

GUIDE = Path(__file__).parents[2] / "docs" / "guide" / "cache.md"
READERS = ("read_", "iter_", "export_", "count_")


def _takes_cache(function: object) -> bool:
    return "cache" in inspect.signature(function).parameters  # type: ignore[arg-type]


def _named(text: str) -> set[str]:
    """The functions ``text`` names in backticks (``mm.report`` as ``report``)."""
    return {name.removeprefix("mm.") for name in re.findall(r"`(mm\.\w+|\w+)`", text)}


def test_the_guide_names_exactly_the_functions_that_take_cache():
    guide = GUIDE.read_text(encoding="utf-8")
    bullet = guide[guide.index("- `cache=` is a read option") :]
    bullet = bullet[: bullet.index("\n- ")]
    takers, lookups = bullet.split("The lookups", 1)
    lookups = lookups[: lookups.index("do not take it")]
    public = [n for n in mm.__all__ if n.startswith(READERS)]
    taking = {n for n in public if _takes_cache(getattr(mm, n))} | {"report"}
    taking |= {n for n in widgets.__all__ if _takes_cache(getattr(widgets, n))}
    assert _named(takers) == taking
    assert _named(lookups) == {n for n in public if not _takes_cache(getattr(mm, n))}
    assert "mmframe.dask" in takers
