"""Notebook widgets: explore suppression trends, and remediate rows without writing code.

Both are thin shells over the loaders, charts and writes. Their state is kept on
attributes (``.counts``, ``.frame``, ``.figure``, ``.plan``, ``.result``) so they can be
driven and checked headless: set a control's ``.value``, call a button's ``.click()``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as w
import pandas as pd

from . import charts
from .client import Session, resolve
from .loaders import read_suppression_counts, read_suppressions
from .writes import activate

__all__ = ["RemediationPanel", "SuppressionExplorer"]

FREQS = {"day": "D", "week": "W", "month": "MS"}


def _figure() -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(11, 4.5))


def _show(output: w.Output, figure: Any) -> None:
    from IPython.display import display

    output.clear_output(wait=True)
    with output:
        display(figure)


class SuppressionExplorer(w.VBox):
    """Date range, frequency, grouping and account controls driving a live trend chart.

    ``Load rows`` reads the suppressions of the selected period into :attr:`frame`.

    Parameters
    ----------
    session
        A master session (its accounts fill the account list); default: the last connect().
    start, end
        The initial range.
    """

    def __init__(
        self, session: Session | None = None, *, start: str = "2024-10-31", end: str = "2026-10-31"
    ) -> None:
        self.session = resolve(session)
        names = [name for name, _key in self.session.account_keys().values()]
        self.start = w.DatePicker(description="from", value=dt.date.fromisoformat(start))
        self.end = w.DatePicker(description="to", value=dt.date.fromisoformat(end))
        self.freq = w.Dropdown(description="per", options=list(FREQS), value="day")
        self.by = w.Dropdown(
            description="by", options=["none", "account", "reason", "domain"], value="account"
        )
        self.account = w.Dropdown(description="account", options=["all", *names], value="all")
        self.period = w.Dropdown(description="period", options=[])
        self.refresh_button = w.Button(description="Refresh", icon="refresh")
        self.load_button = w.Button(description="Load rows", icon="download")
        self.status = w.HTML()
        self.output = w.Output()
        self.counts: pd.DataFrame | None = None
        self.frame: pd.DataFrame | None = None
        self.figure: Any = None
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.load_button.on_click(lambda _b: self.load_rows())
        controls = w.HBox([self.start, self.end, self.freq])
        picks = w.HBox([self.by, self.account, self.refresh_button])
        rows = w.HBox([self.period, self.load_button])
        super().__init__([controls, picks, self.output, rows, self.status])
        self.refresh()

    def _accounts(self) -> str | list[str]:
        return "all" if self.account.value == "all" else [str(self.account.value)]

    def refresh(self) -> None:
        """Read the counts (or rows, for reason/domain) and redraw the chart."""
        freq = FREQS[str(self.freq.value)]
        by = None if self.by.value == "none" else str(self.by.value)
        start, end = str(self.start.value), str(self.end.value)
        self.counts = read_suppression_counts(
            start, end, freq=freq, accounts=self._accounts(), session=self.session
        )
        data = self.counts
        if by in ("reason", "domain"):
            data = read_suppressions(start, end, accounts=self._accounts(), session=self.session)
        if by is None and "account" in data.columns:
            data = data.groupby(level=0).agg({"count": "sum", "is_complete": "all"})
        self.figure = _figure()
        charts.plot_suppression_trend(data, by=by, freq=freq, ax=self.figure.subplots())
        self._periods(freq)
        self.status.value = f"{int(self.counts['count'].sum()):,} suppressions"
        _show(self.output, self.figure)

    def _periods(self, freq: str) -> None:
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
    counts = frame[column].astype(str).value_counts().head(8).rename("rows")
    return counts.to_frame().to_html()


class RemediationPanel(w.VBox):
    """Counts, a dry-run preview, and an "Activate N rows" button behind a confirm box.

    :attr:`plan` holds the dry run, :attr:`result` the result frame of the activation.
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
        self.full = w.Checkbox(description="also reactivate the recipients", value=True)
        self.preview_button = w.Button(description="Preview (dry run)", icon="search")
        self.confirm = w.Checkbox(description=f"I have checked these {len(frame):,} rows")
        self.activate_button = w.Button(
            description=f"Activate {len(frame):,} rows", button_style="danger", disabled=True
        )
        self.progress = w.IntProgress(value=0, min=0, max=1, description="batches")
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
        self.summary.value = _summary_html("plan", self.plan)
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
        self.summary.value = _summary_html("result", self.result)
        return self.result


def _summary_html(title: str, result: pd.DataFrame) -> str:
    counts = result["status"].value_counts()
    cells = "".join(f"<td><b>{status}</b>: {n:,}</td>" for status, n in counts.items())
    return f"<table><tr><td>{title}</td>{cells}</tr></table>"
