"""mmframe: the Dyn Message Management email API as typed pandas DataFrames."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
