"""What the widgets share: a figure as PNG, a progress bar the loaders drive, errors shown
inside a widget, and the tables of counts."""

from __future__ import annotations

import base64
import html
import io
from typing import Any

import ipywidgets as w
import pandas as pd

from ..redact import scrub

#: Labels in full, never "Preview (dry r…".
WIDE = {"description_width": "initial"}


def figure() -> Any:
    """A 6.4 x 3.6 inch matplotlib figure, made without pyplot (no global state): at 90
    dpi about 570 px, shown whole in a notebook and at two thirds on a 390 px phone."""
    from matplotlib.figure import Figure

    return Figure(figsize=(6.4, 3.6), layout="constrained")


def png(figure: Any) -> bytes:
    """The figure as PNG bytes: an image any front end shows, in any kernel state.

    ``display(figure)`` needs IPython's figure formatter, which exists only once pyplot
    has drawn something: a fresh kernel would show ``<Figure size ...>`` as text.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return buffer.getvalue()


def with_picture(bundle: Any, picture: bytes | None) -> Any:
    """A widget's display ``bundle`` with ``picture`` as its ``image/png``.

    Jupyter shows the live widget (its view is the richest type); a renderer without a
    kernel (GitHub, nbviewer, the docs site) shows the picture instead of the widget's
    ``VBox(children=...)`` text.
    """
    if isinstance(bundle, dict) and picture:
        return {**bundle, "image/png": base64.b64encode(picture).decode("ascii")}
    return bundle


class WidgetBar:
    """A tqdm-like bar the loaders can drive, shown as the widget's own progress bar."""

    def __init__(self, bar: w.IntProgress) -> None:
        self.bar = bar
        self._total = 0.0  # the widget's max is at least 1; the loaders' total may be 0

    @property
    def total(self) -> float:
        return self._total

    @total.setter
    def total(self, value: float | None) -> None:
        self._total = float(value or 0)
        self.bar.max = max(1, int(self._total))

    def update(self, n: float = 1) -> None:
        self.bar.value = min(self.bar.max, self.bar.value + int(n))

    def refresh(self) -> None:
        return None


def error_html(exc: BaseException) -> str:
    text = html.escape(f"{type(exc).__name__}: {scrub(str(exc))}")
    return f"<span style='color:#b00020'><b>error</b> {text}</span>"


def counts_table(frame: pd.DataFrame, column: str) -> str:
    counts = frame[column].astype(str).value_counts().head(8)
    table = counts.rename_axis(column).reset_index(name="rows")
    return table.to_html(index=False, formatters={"rows": "{:,}".format})
