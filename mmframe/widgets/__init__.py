"""Notebook widgets: explore suppression trends, and remediate rows without writing code.

Both are thin shells over the loaders, charts and writes. Their state is kept on
attributes (``.counts``, ``.frame``, ``.figure``, ``.plan``, ``.result``) so they can be
driven and checked headless: set a control's ``.value``, call a button's ``.click()``.
"""

from __future__ import annotations

from .explorer import SuppressionExplorer
from .panel import RemediationPanel

__all__ = ["RemediationPanel", "SuppressionExplorer"]
