"""The suppression explorer: date range, frequency, grouping and account controls driving a
live trend chart."""

from __future__ import annotations

import inspect
import threading
from typing import Any

import ipywidgets as w
import pandas as pd

from .. import charts
from ..client import Session, resolve
from ..client.checks import CacheSetting, check_cache
from ..dates import DateLike, now_utc, to_utc
from ..loaders import read_suppression_counts, read_suppressions
from ..loaders.common import targets
from ..loaders.suppressions import first_time, last_time
from .shared import WIDE, WidgetBar, error_html, figure, png, with_picture

FREQS = {"day": "D", "week": "W", "month": "MS"}


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
        The initial range (default: the data's own), read as the loaders read a date:
        year first (a slashed date is refused as ambiguous), UTC unless an offset follows.
    as_of
        The time taken as now: the default end, and what ``is_complete`` compares with.
    debounce
        Seconds of quiet after a change before the chart is redrawn.
    cache
        The rows' reads' cache (see :func:`mmframe.read_suppressions`; None: the
        session's); the counts drawn always ask the server.

    Notes
    -----
    Displayed once its chart is drawn (call :meth:`refresh` first), the widget carries the
    chart as a picture: renderers without a kernel (GitHub, nbviewer, a docs site) show it.
    """

    def __init__(
        self,
        session: Session | None = None,
        *,
        start: str | None = None,
        end: str | None = None,
        as_of: DateLike = None,
        debounce: float = 0.4,
        cache: CacheSetting = None,
    ) -> None:
        check_cache(cache)
        self.cache = cache
        self.session = resolve(session)
        self.debounce = debounce
        self.as_of = to_utc(as_of, "as_of")
        today = now_utc(as_of).normalize()
        self._range_given = start is not None or end is not None
        # Read as every loader reads a date (year first, UTC): pd.Timestamp guessed that
        # "01/11/2026" was January 11th and drew ten months.
        first = to_utc(start, "start") or today - pd.DateOffset(years=1)
        last = to_utc(end, "end") or today
        self.start = w.DatePicker(description="from", value=first.date(), style=WIDE)
        self.end = w.DatePicker(description="to", value=last.date(), style=WIDE)
        self.freq = w.Dropdown(description="per", options=list(FREQS), value="day")
        self.by = w.Dropdown(
            description="by", options=["none", "account", "reason", "domain"], value="account"
        )
        self.account = w.Dropdown(description="account", options=["all"], value="all")
        self.period = w.Dropdown(description="period", options=[])
        self.refresh_button = w.Button(description="Refresh", icon="refresh")
        self.load_button = w.Button(description="Load rows", icon="download")
        # At its own size (never stretched blurry), narrower on a narrow screen.
        self.image = w.Image(format="png", layout=w.Layout(width="auto", max_width="100%"))
        self.progress = w.IntProgress(
            value=0, min=0, max=1, description="reading", style=WIDE,
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
        """Displayed: read and draw now (in the background), not at construction. A chart
        drawn already goes with it, for renderers without a kernel."""
        if not self._started:
            self._schedule(0.0)
        return with_picture(super()._repr_mimebundle_(**kwargs), bytes(self.image.value))

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
            # The words first: whoever sees ``error`` set finds them said (a test did not).
            self.status.value = error_html(exc)
            self.error = exc

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
                start, end, accounts=self._accounts(), session=self.session, progress=shown,
                cache=self.cache,
            )  # fmt: skip
        if by is None and "account" in data.columns:
            data = data.groupby(level=0).agg({"count": "sum", "is_complete": "all"})
        self.figure = figure()
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
        self.frame = read_suppressions(
            start, end, accounts=self._accounts(), session=self.session, cache=self.cache
        )
        self.status.value = f"loaded {len(self.frame):,} rows of {start:%Y-%m-%d} into .frame"
        return self.frame


# The docs and help() would read the signature of ipywidgets' metaclass (*args, **kwargs).
SuppressionExplorer.__signature__ = inspect.signature(SuppressionExplorer)
