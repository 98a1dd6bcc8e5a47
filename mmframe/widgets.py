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
from .dates import DateLike, now_utc, to_utc
from .loaders import read_suppression_counts, read_suppressions
from .loaders.common import targets
from .loaders.suppressions import first_time, last_time
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
    before the widget is displayed (or
    :meth:`~mmframe.widgets.SuppressionExplorer.refresh` is called): then the account
    list, and, unless ``start``/``end`` were given, the data's own range: from its oldest
    suppression to the day after its newest (or to ``as_of``), so the lines never fall to
    zero past the data. ``Load rows`` reads the suppressions of the selected period into
    ``frame``.

    Parameters
    ----------
    session
        A master session (its accounts fill the account list); default: the last connect().
    start, end
        The initial range (default: the data's own).
    as_of
        The time taken as now: the default end, and what ``is_complete`` compares with.
    debounce
        Seconds of quiet after a change before the chart is redrawn.
    """

    def __init__(
        self,
        session: Session | None = None,
        *,
        start: str | None = None,
        end: str | None = None,
        as_of: DateLike = None,
        debounce: float = 0.4,
    ) -> None:
        self.session = resolve(session)
        self.debounce = debounce
        self.as_of = to_utc(as_of, "as_of")
        today = now_utc(as_of).normalize()
        self._range_given = start is not None or end is not None
        first = pd.Timestamp(start) if start else today - pd.DateOffset(years=1)
        last = pd.Timestamp(end) if end else today
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
            readers = targets(self.session, "all")
            oldest = first_time(readers)
            if oldest is not None:
                self._quiet_set(self.start, oldest.date())
            newest = last_time(readers) if self.as_of is None else None
            if newest is not None:
                self._quiet_set(self.end, (newest + pd.Timedelta(days=1)).date())
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
        if self.start.value is None or self.end.value is None:
            raise ValueError("pick both dates, “from” and “to”")
        if self.end.value <= self.start.value:
            raise ValueError(f"“to” ({end}) comes before “from” ({start}), or on the same day")
        shown = WidgetBar(self.progress)
        self.counts = read_suppression_counts(
            start,
            end,
            freq=freq,
            accounts=self._accounts(),
            session=self.session,
            progress=shown,
            as_of=self.as_of,
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
        """Read the suppressions of the selected period into ``frame``."""
        start = pd.Timestamp(self.period.value)
        end = start + pd.tseries.frequencies.to_offset(FREQS[str(self.freq.value)])
        self.frame = read_suppressions(start, end, accounts=self._accounts(), session=self.session)
        self.status.value = f"loaded {len(self.frame):,} rows of {start:%Y-%m-%d} into .frame"
        return self.frame


def _counts_table(frame: pd.DataFrame, column: str) -> str:
    counts = frame[column].astype(str).value_counts().head(8)
    table = counts.rename_axis(column).reset_index(name="rows")
    return table.to_html(index=False, formatters={"rows": "{:,}".format})


#: Columns the panel's table shows, when the frame has them (remediation_candidates' too).
_SHOWN = ("account", "email", "suppressed_at", "verdict", "cause", "smtp_status", "evidence")
#: Rows the table draws at most (the filters narrow it; the counts cover every row).
_TABLE_ROWS = 200


class RemediationPanel(w.VBox):
    """The rows to fix with their evidence, a dry-run preview, and an "Activate N rows"
    button behind a confirm box.

    The table shows each row's address and, for a frame from
    :func:`mmframe.remediation_candidates`, its verdict, cause and the servers' words;
    a verdict or cause filter and a search box narrow what it shows (``shown`` rows;
    the activation always covers every row of the frame). ``plan`` holds the dry run,
    ``result`` the result frame of the activation; the preview's line
    (``plan_summary``) and the outcome's (``summary``) are shown apart, so a
    preview after applying never hides what was applied. ``why`` says why the
    button is disabled.
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
        self.why = w.HTML("tick the box once you have checked the rows above")
        self.warning = w.HTML(_warning(frame))
        self.verdict = w.Dropdown(description="verdict", options=_choices(frame, "verdict"))
        self.cause = w.Dropdown(description="cause", options=_choices(frame, "cause"))
        self.search = w.Text(placeholder="address or words of the evidence", layout=auto)
        self.table = w.HTML(layout=w.Layout(max_height="420px", overflow="auto"))
        self.shown = 0
        for control in (self.verdict, self.cause, self.search):
            control.observe(lambda _c: self._draw_table(), names="value")
        self._draw_table()
        self.preview_button.on_click(lambda _b: self.preview())
        self.activate_button.on_click(self._on_activate)
        self.confirm.observe(self._confirmed, names="value")
        super().__init__(
            [
                self.counts,
                self.warning,
                w.HBox([self.verdict, self.cause, self.search]),
                self.table,
                w.HBox([self.full, self.preview_button]),
                w.HBox([self.confirm, self.activate_button]),
                self.why,
                self.progress,
                self.plan_summary,
                self.summary,
            ]
        )

    def filtered(self) -> pd.DataFrame:
        """The rows the filters leave (what the table shows, before its row limit)."""
        rows = self.rows
        for control, column in ((self.verdict, "verdict"), (self.cause, "cause")):
            if column in rows.columns and control.value != "all":
                rows = rows[rows[column].astype(str) == control.value]
        words = str(self.search.value).strip().lower()
        if words:
            text = rows["email"].astype(str).str.lower()
            if "evidence" in rows.columns:
                text = text + " " + rows["evidence"].astype(str).str.lower()
            rows = rows[text.str.contains(words, regex=False).to_numpy()]
        return rows

    def _draw_table(self) -> None:
        rows = self.filtered()
        self.shown = len(rows)
        columns = [c for c in _SHOWN if c in rows.columns]
        head = rows[columns].head(_TABLE_ROWS)
        more = f" (the first {_TABLE_ROWS:,} drawn)" if len(rows) > _TABLE_ROWS else ""
        caption = f"<i>{len(rows):,} of {len(self.rows):,} rows{more}</i>"
        self.table.value = caption + head.to_html(index=False, na_rep="", escape=True)

    def _on_activate(self, _button: w.Button) -> None:
        if not self.confirm.value or self.result is not None:
            self.summary.value = "tick the confirm box first (each panel activates once)"
            return
        self.apply()

    def _confirmed(self, change: dict[str, Any]) -> None:
        self.activate_button.disabled = not change["new"] or self.result is not None
        self._explain()

    def _explain(self) -> None:
        """Say why the button is disabled (nothing when it is enabled)."""
        if self.result is not None:
            self.why.value = (
                "applied: a panel activates its rows once; the outcome is in .result "
                "(make a new panel for other rows)"
            )
        elif not self.confirm.value:
            self.why.value = "tick the box once you have checked the rows above"
        else:
            self.why.value = ""

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
        self._explain()
        return self.result


def _choices(frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame.columns:
        return ["all"]
    return ["all", *sorted(str(v) for v in frame[column].dropna().unique())]


def _warning(frame: pd.DataFrame) -> str:
    """A warning when rows a verdict says to keep or review would be reactivated too."""
    if "verdict" not in frame.columns:
        return ""
    other = frame["verdict"].astype(str).value_counts().drop("reactivate", errors="ignore")
    if not other.sum():
        return ""
    parts = ", ".join(f"{n:,} {verdict}" for verdict, n in other.items() if n)
    return (
        f"<b style='color:#b00'>These rows include {parts}: activating reactivates them "
        "too. Pass frame[frame['verdict'] == 'reactivate'] to fix only those.</b>"
    )


def _summary_html(title: str, result: pd.DataFrame) -> str:
    """``title: planned: 347, unchanged: 2`` in words, every status with rows."""
    counts = result["status"].value_counts()
    parts = ", ".join(f"{status}: {n:,}" for status, n in counts.items())
    return f"<b>{html.escape(title)}</b> &nbsp; {parts}"
