"""Notebook widgets: explore suppression trends, and remediate rows without writing code.

Both are thin shells over the loaders, charts and writes. Their state is kept on
attributes (``.counts``, ``.frame``, ``.figure``, ``.plan``, ``.result``) so they can be
driven and checked headless: set a control's ``.value``, call a button's ``.click()``.
"""

from __future__ import annotations

import html
import io
import threading
from typing import Any

import ipywidgets as w
import pandas as pd

from . import charts
from .client import Session, resolve
from .loaders import read_suppression_counts, read_suppressions
from .loaders.common import targets
from .loaders.suppressions import first_time
from .redact import scrub
from .writes import activate

__all__ = ["RemediationPanel", "SuppressionExplorer"]

FREQS = {"day": "D", "week": "W", "month": "MS"}
_WIDE = {"description_width": "initial"}  # labels in full, never "Preview (dry r…"


def _figure() -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(11, 4.5))


def png(figure: Any) -> bytes:
    """The figure as PNG bytes: an image any front end shows, in any kernel state.

    ``display(figure)`` needs IPython's figure formatter, which exists only once pyplot
    has drawn something: a fresh kernel would show ``<Figure size ...>`` as text.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return buffer.getvalue()


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


def _error_html(exc: BaseException) -> str:
    text = html.escape(f"{type(exc).__name__}: {scrub(str(exc))}")
    return f"<span style='color:#b00020'><b>error</b> {text}</span>"


class SuppressionExplorer(w.VBox):
    """Date range, frequency, grouping and account controls driving a live trend chart.

    The chart redraws on its own when a control changes (after ``debounce`` seconds of
    quiet), with a progress bar and errors shown inside the widget. Nothing is read
    before the widget is displayed (or :meth:`refresh` is called): then the account list,
    and, unless ``start``/``end`` were given, the data's own range (its oldest
    suppression) up to today. ``Load rows`` reads the suppressions of the selected period
    into :attr:`frame`.

    Parameters
    ----------
    session
        A master session (its accounts fill the account list); default: the last connect().
    start, end
        The initial range (default: the data's own, up to today).
    debounce
        Seconds of quiet after a change before the chart is redrawn.
    """

    def __init__(
        self,
        session: Session | None = None,
        *,
        start: str | None = None,
        end: str | None = None,
        debounce: float = 0.4,
    ) -> None:
        self.session = resolve(session)
        self.debounce = debounce
        today = pd.Timestamp.now(tz="UTC").normalize()
        self._range_given = start is not None or end is not None
        first = pd.Timestamp(start) if start else today - pd.DateOffset(years=1)
        last = pd.Timestamp(end) if end else today + pd.Timedelta(days=1)
        self.start = w.DatePicker(description="from", value=first.date(), style=_WIDE)
        self.end = w.DatePicker(description="to", value=last.date(), style=_WIDE)
        self.freq = w.Dropdown(description="per", options=list(FREQS), value="day")
        self.by = w.Dropdown(
            description="by", options=["none", "account", "reason", "domain"], value="account"
        )
        self.account = w.Dropdown(description="account", options=["all"], value="all")
        self.period = w.Dropdown(description="period", options=[])
        self.refresh_button = w.Button(description="Refresh", icon="refresh")
        self.load_button = w.Button(description="Load rows", icon="download")
        self.image = w.Image(format="png", layout=w.Layout(width="100%", max_width="1100px"))
        self.progress = w.IntProgress(
            value=0, min=0, max=1, description="reading", style=_WIDE,
            layout=w.Layout(visibility="hidden"),
        )  # fmt: skip
        self.status = w.HTML()
        self.counts: pd.DataFrame | None = None
        self.frame: pd.DataFrame | None = None
        self.figure: Any = None
        self.error: BaseException | None = None
        self.renders = 0  # charts drawn so far
        self._started = False
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self.refresh_button.on_click(lambda _b: self._quietly(self.refresh))
        self.load_button.on_click(lambda _b: self._quietly(self.load_rows))
        for control in (self.start, self.end, self.freq, self.by, self.account):
            control.observe(self._changed, names="value")
        controls = w.HBox([self.start, self.end, self.freq])
        picks = w.HBox([self.by, self.account, self.refresh_button])
        rows = w.HBox([self.period, self.load_button])
        super().__init__([controls, picks, self.progress, self.image, rows, self.status])

    # --- life cycle -------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Displayed: read and draw now (in the background), not at construction."""
        if not self._started:
            self._schedule(0.0)
        return super()._repr_mimebundle_(**kwargs)

    def _changed(self, _change: dict[str, Any]) -> None:
        if self._started:
            self._schedule(self.debounce)

    def _schedule(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(delay, self._quietly, args=(self.refresh,))
        self._timer.daemon = True
        self._timer.start()

    def _quietly(self, action: Any) -> None:
        """Run a callback's work; an error is shown in the widget (callbacks have no cell)."""
        try:
            action()
        except Exception as exc:
            self.error = exc
            self.status.value = _error_html(exc)

    def _start(self) -> None:
        """First use: the account list and, unless given, the data's own date range."""
        names = [name for name, _key in self.session.account_keys().values()]
        with self.account.hold_trait_notifications():
            self.account.options = ["all", *names]
        if not self._range_given:
            oldest = first_time(targets(self.session, "all"))
            if oldest is not None:
                self._quiet_set(self.start, oldest.date())
        self._started = True

    def _quiet_set(self, control: Any, value: Any) -> None:
        control.unobserve(self._changed, names="value")
        control.value = value
        control.observe(self._changed, names="value")

    def _accounts(self) -> str | list[str]:
        return "all" if self.account.value == "all" else [str(self.account.value)]

    # --- work ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the counts (or rows, for reason/domain) and redraw the chart."""
        with self._lock:
            self.status.value = "<i>loading …</i>"
            self.progress.value, self.progress.layout.visibility = 0, "visible"
            try:
                if not self._started:
                    self._start()
                self._draw()
                self.error = None
            finally:
                self.progress.layout.visibility = "hidden"

    def _draw(self) -> None:
        freq, unit = FREQS[str(self.freq.value)], str(self.freq.value)
        by = None if self.by.value == "none" else str(self.by.value)
        start, end = str(self.start.value), str(self.end.value)
        shown = WidgetBar(self.progress)
        self.counts = read_suppression_counts(
            start, end, freq=freq, accounts=self._accounts(), session=self.session, progress=shown
        )
        data = self.counts
        if by in ("reason", "domain"):
            data = read_suppressions(
                start, end, accounts=self._accounts(), session=self.session, progress=shown
            )
        if by is None and "account" in data.columns:
            data = data.groupby(level=0).agg({"count": "sum", "is_complete": "all"})
        self.figure = _figure()
        ax = self.figure.subplots()
        charts.plot_suppression_trend(data, by=by, freq=freq, ax=ax)
        who = "all accounts" if self.account.value == "all" else str(self.account.value)
        ax.set_title(f"Suppressions per {unit}, {who}, {start} to {end}")
        self.image.value = png(self.figure)
        self.renders += 1
        self._periods()
        self.status.value = f"{int(self.counts['count'].sum()):,} suppressions"

    def _periods(self) -> None:
        assert self.counts is not None
        totals = self.counts.groupby(level=0)["count"].sum()
        options = [(f"{start:%Y-%m-%d}", start) for start in totals.index]
        spikes = charts.find_spikes(totals)
        self.period.options = options
        if options:
            self.period.value = spikes["start"].iloc[0] if len(spikes) else options[-1][1]

    def load_rows(self) -> pd.DataFrame:
        """Read the suppressions of the selected period into :attr:`frame`."""
        start = pd.Timestamp(self.period.value)
        end = start + pd.tseries.frequencies.to_offset(FREQS[str(self.freq.value)])
        self.frame = read_suppressions(start, end, accounts=self._accounts(), session=self.session)
        self.status.value = f"loaded {len(self.frame):,} rows of {start:%Y-%m-%d} into .frame"
        return self.frame


def _counts_table(frame: pd.DataFrame, column: str) -> str:
    counts = frame[column].astype(str).value_counts().head(8)
    table = counts.rename_axis(column).reset_index(name="rows")
    return table.to_html(index=False, formatters={"rows": "{:,}".format})


class RemediationPanel(w.VBox):
    """Counts, a dry-run preview, and an "Activate N rows" button behind a confirm box.

    :attr:`plan` holds the dry run, :attr:`result` the result frame of the activation;
    the preview's line (:attr:`plan_summary`) and the outcome's (:attr:`summary`) are
    shown apart, so a preview after applying never hides what was applied.
    """

    def __init__(
        self, frame: pd.DataFrame, session: Session | None = None, *, journal: str | None = None
    ) -> None:
        self.rows = frame
        self.session = resolve(session)
        self.journal = journal
        self.plan: pd.DataFrame | None = None
        self.result: pd.DataFrame | None = None
        tables = [c for c in ("account", "domain", "reason") if c in frame.columns]
        self.counts = w.HTML(
            "".join(
                f"<div style='display:inline-block;margin-right:2em'><b>{c}</b>"
                f"{_counts_table(frame, c)}</div>"
                for c in tables
            )
        )
        auto = w.Layout(width="auto")
        self.full = w.Checkbox(
            description="also reactivate the recipients", value=True, style=_WIDE, layout=auto
        )
        self.preview_button = w.Button(description="Preview (dry run)", icon="search", layout=auto)
        self.confirm = w.Checkbox(
            description=f"I have checked these {len(frame):,} rows", style=_WIDE, layout=auto
        )
        self.activate_button = w.Button(
            description=f"Activate {len(frame):,} rows",
            button_style="danger",
            disabled=True,
            layout=auto,
        )
        self.progress = w.IntProgress(value=0, min=0, max=1, description="batches", style=_WIDE)
        self.plan_summary = w.HTML()
        self.summary = w.HTML()
        self.preview_button.on_click(lambda _b: self.preview())
        self.activate_button.on_click(self._on_activate)
        self.confirm.observe(self._confirmed, names="value")
        super().__init__(
            [
                self.counts,
                w.HBox([self.full, self.preview_button]),
                w.HBox([self.confirm, self.activate_button]),
                self.progress,
                self.plan_summary,
                self.summary,
            ]
        )

    def _on_activate(self, _button: w.Button) -> None:
        if not self.confirm.value or self.result is not None:
            self.summary.value = "tick the confirm box first (each panel activates once)"
            return
        self.apply()

    def _confirmed(self, change: dict[str, Any]) -> None:
        self.activate_button.disabled = not change["new"] or self.result is not None

    def preview(self) -> pd.DataFrame:
        """Dry run: what activating would change, row by row; sends no write."""
        self.plan = activate(
            self.rows, full=self.full.value, dry_run=True, session=self.session, progress=False
        )
        self.plan_summary.value = _summary_html("Preview (dry run)", self.plan)
        return self.plan

    def apply(self) -> pd.DataFrame:
        """Activate the rows (only once the confirm box is ticked)."""
        if not self.confirm.value:
            raise RuntimeError("tick the confirm box first")
        self.activate_button.disabled = True

        def advance(done: int, total: int) -> None:
            self.progress.max, self.progress.value = total, done

        self.result = activate(
            self.rows,
            full=self.full.value,
            confirm=True,
            journal=self.journal,
            verify=True,
            session=self.session,
            progress=False,
            on_batch=advance,
        )
        journal = f" (journal: {html.escape(str(self.journal))})" if self.journal else ""
        self.summary.value = _summary_html(f"Applied{journal}", self.result)
        return self.result


def _summary_html(title: str, result: pd.DataFrame) -> str:
    """``title: planned: 347, unchanged: 2`` in words, every status with rows."""
    counts = result["status"].value_counts()
    parts = ", ".join(f"{status}: {n:,}" for status, n in counts.items())
    return f"<b>{html.escape(title)}</b> &nbsp; {parts}"
