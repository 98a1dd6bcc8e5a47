"""The remediation panel: the rows to fix with their evidence, filters, a dry run, and an
"Activate N rows" button behind a confirm box.

What is applied is exactly what is shown, confirmed and previewed, or nothing:

- the filters (verdict, cause, words) choose the rows; the table, the confirm box's label,
  the button's label, the preview and the activation all cover those rows, and no other;
- changing a filter unticks the confirm box and drops the preview: the new rows must be
  previewed and confirmed again;
- rows to keep (marked ``keep`` by :func:`mmframe.remediation_candidates`, or, in any
  frame, suppressed for a complaint, an unsubscribe or by hand) and rows the evidence
  condemns anywhere (a ``review`` row whose cause is a complaint, an opt-out, a dead
  mailbox or a hard bounce naming no cause that passes, found on another account or in a
  bounce's words) are never activated unless the separate "also rows to keep" box is
  ticked, told by the frame's columns or, where ``verdict`` or ``cause`` was dropped, by
  the record judging left in its attrs (``mmframe.judged``); while they are shown without it the
  button stays disabled and ``why`` says how many hold what; the warning, the preview and
  the summary name them too;
- rows of a frame never judged (no ``verdict``, no record, none of judging's columns:
  :func:`mmframe.read_suppressions`' frame as it is) that nothing else holds had no
  bounce, complaint or opt-out read: the warning, ``why``, the preview and the summary
  say so, and they are activated only where the separate "also rows not judged" box
  (shown only then) is ticked;
- an error while previewing or applying is shown in the panel, never only in a log.
"""

from __future__ import annotations

import html
import inspect
import warnings
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from ..client import Session, resolve
from ..errors import EvidenceWarning
from ..options import Verdict
from ..writes import activate
from ..writes.verdicts import NEVER_JUDGED
from .panel_held import JUDGE_FIRST, held_words, never_judged, of_them, to_keep, warning
from .shared import WIDE, counts_table, error_html, with_picture

#: Columns the panel's table shows, when the frame has them (remediation_candidates' too).
SHOWN_COLUMNS = ("account", "email", "suppressed_at", "verdict", "cause", "smtp_status", "evidence")
#: Rows the table draws at most (the caption says how many it holds; the counts cover all).
TABLE_ROWS = 200


class RemediationPanel(w.VBox):
    """The rows to fix with their evidence, a dry-run preview, and an "Activate N rows"
    button behind a confirm box; the filters choose the rows every step covers.

    The table shows each row's address and, for a frame from
    :func:`mmframe.remediation_candidates`, its verdict, cause and the servers' words; a
    verdict or cause filter and a search box choose the rows (:meth:`selection`). The
    preview (``plan``, its line in ``plan_summary``) and the activation (``result``, its
    line in ``summary``) cover exactly those rows: a change of filter asks for a new
    preview and a new confirmation. Rows marked ``keep``, and rows whose cause condemns
    the address (a complaint, an opt-out, a dead mailbox or a hard bounce naming no cause
    that passes, here or on another account, whatever their verdict, as the frame's
    columns or the judged frame's attrs say), need ``include_keep`` ticked; rows of a frame
    never judged (no bounce, complaint or opt-out read), ``include_unjudged``. ``why``
    says why the button is disabled.

    Parameters
    ----------
    frame
        A suppressions frame, judged by :func:`mmframe.remediation_candidates` (one
        straight from :func:`mmframe.read_suppressions` is said not judged, and its
        rows need their own tick). The panel keeps a copy: editing
        ``frame`` afterwards changes nothing it shows or applies; it applies the rows as
        they were previewed.
    session
        The session to write with (default: the last :func:`mmframe.connect`).
    journal
        A journal file for the activation (see :func:`mmframe.activate`).
    fallback
        A PNG file shown in the widget's place where no kernel runs it (GitHub, nbviewer,
        a docs site): a picture of the panel in use. Jupyter shows the live panel.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        session: Session | None = None,
        *,
        journal: str | None = None,
        fallback: str | Path | None = None,
    ) -> None:
        self.fallback = Path(fallback).read_bytes() if fallback is not None else None
        # A copy: the caller may edit their frame after the preview; what is applied is what
        # was shown and previewed, never what the caller's frame holds at the click.
        self.rows = frame.copy(deep=True)
        self.session = resolve(session)
        self.journal = journal
        self.plan: pd.DataFrame | None = None
        self.result: pd.DataFrame | None = None
        self._previewed: tuple[tuple[object, ...], bool] | None = None  # (rows, full)
        self._previewed_rows: pd.DataFrame | None = None  # their values, as previewed
        self.counts = w.HTML(_counts_html(frame))
        auto = w.Layout(width="auto")
        self.full = w.Checkbox(
            description="also reactivate the recipients", value=True, style=WIDE, layout=auto
        )
        self.include_keep = w.Checkbox(
            description=(
                "also rows to keep (complaints, opt-outs, dead mailboxes, hard bounces: here "
                "or on another account)"
            ),
            value=False, style=WIDE, layout=auto,
        )  # fmt: skip
        # Offered only where rows were never judged (read_suppressions' frame, as it is).
        self.include_unjudged = w.Checkbox(
            description="also rows not judged (no bounce, complaint or opt-out read)",
            value=False, style=WIDE, layout=w.Layout(width="auto"),
        )  # fmt: skip
        self.preview_button = w.Button(description="Preview (dry run)", icon="search", layout=auto)
        self.confirm = w.Checkbox(description="", style=WIDE, layout=auto)
        self.activate_button = w.Button(button_style="danger", disabled=True, layout=auto)
        self.progress = w.IntProgress(value=0, min=0, max=1, description="batches", style=WIDE)
        self.plan_summary = w.HTML()
        self.summary = w.HTML()
        self.why = w.HTML()
        self.warning = w.HTML()
        self.verdict = w.Dropdown(description="verdict", options=_choices(frame, "verdict"))
        self.cause = w.Dropdown(description="cause", options=_choices(frame, "cause"))
        self.search = w.Text(placeholder="address or words of the evidence", layout=auto)
        self.table = w.HTML(layout=w.Layout(max_height="420px", overflow="auto"))
        self.shown = 0
        controls = (self.verdict, self.cause, self.search, self.include_keep, self.full)
        for control in (*controls, self.include_unjudged):
            control.observe(lambda _c: self._chosen(), names="value")
        self.preview_button.on_click(self._on_preview)
        self.activate_button.on_click(self._on_activate)
        self.confirm.observe(lambda _c: self._explain(), names="value")
        self._chosen()
        super().__init__(self._children())

    def _children(self) -> list[w.Widget]:
        """The panel from top to bottom: counts, filters, rows, options, steps, outcome."""
        return [
            self.counts,
            w.HBox([self.verdict, self.cause, self.search]),
            self.table,
            self.warning,
            w.HBox([self.full, self.include_keep, self.include_unjudged]),
            self.preview_button,
            w.HBox([self.confirm, self.activate_button]),
            self.why,
            self.progress,
            self.plan_summary,
            self.summary,
        ]

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The live panel, and the ``fallback`` picture for renderers without a kernel."""
        return with_picture(super()._repr_mimebundle_(**kwargs), self.fallback)

    # --- which rows ------------------------------------------------------------------

    def filtered(self) -> pd.DataFrame:
        """The rows the filters leave: what the table shows (before its row limit)."""
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

    def selection(self) -> pd.DataFrame:
        """The rows a preview or an activation covers now: the rows shown."""
        return self.filtered()

    def kept_shown(self) -> int:
        """How many of the rows shown are rows to keep: marked ``keep``, suppressed for a
        complaint, an unsubscribe or by hand, or of a cause that condemns the address (a
        complaint, an opt-out, a dead mailbox, a hard bounce naming no cause that passes),
        whatever their verdict, by the frame's columns or its judged record."""
        return int(to_keep(self.filtered()).sum())

    def _chosen(self) -> None:
        """The filters changed: redraw, and ask for a new preview and confirmation."""
        rows = self.filtered()
        self.shown = len(rows)
        self._previewed, self._previewed_rows, self.plan = None, None, None
        self.plan_summary.value = ""
        with self.confirm.hold_trait_notifications():
            self.confirm.value = False
        self._label(rows)
        self._draw_table(rows)
        self.warning.value = warning(rows, self.include_keep.value, self.include_unjudged.value)
        loose = bool(never_judged(self.rows).any())
        self.include_unjudged.layout.display = None if loose else "none"
        self._explain()

    def _label(self, rows: pd.DataFrame) -> None:
        self.confirm.description = f"I have checked these {len(rows):,} rows"
        self.activate_button.description = f"Activate {len(rows):,} rows"

    def _draw_table(self, rows: pd.DataFrame) -> None:
        columns = [c for c in SHOWN_COLUMNS if c in rows.columns]
        head = rows[columns].head(TABLE_ROWS)
        more = f" (the first {TABLE_ROWS:,} drawn)" if len(rows) > TABLE_ROWS else ""
        caption = f"<i>{len(rows):,} of {len(self.rows):,} rows{more}</i>"
        self.table.value = caption + head.to_html(index=False, na_rep="", escape=True)

    # --- the steps -------------------------------------------------------------------

    def _blocked(self) -> str:
        """Why the shown rows cannot be activated now ("" when they can)."""
        if self.result is not None:
            return (
                "applied: a panel activates its rows once; the outcome is in .result "
                "(make a new panel for other rows)"
            )
        if not self.shown:
            return "no row is shown: change the filters"
        kept = self.kept_shown()
        if kept and not self.include_keep.value:
            are, them = ("is a row", "it") if kept == 1 else ("are rows", "them")
            return (
                f"{kept:,} of the rows shown {are} to keep (marked keep, or held by a "
                "complaint, an opt-out, a dead mailbox or a hard bounce naming no cause "
                "that passes, here or on another account): "
                f"{held_words(self.filtered())}; filter {them} out, or tick 'also rows to "
                f"keep' if you mean to put {them} back"
            )
        loose = int(never_judged(self.filtered()).sum())
        if loose and not self.include_unjudged.value:
            are, them = ("was", "it") if loose == 1 else ("were", "them")
            return (
                f"{loose:,} of the rows shown {are} not judged: no bounce, complaint or "
                "opt-out was read, so a dead mailbox or someone who complained elsewhere "
                f"would go back too; {JUDGE_FIRST}, or tick 'also rows not judged' if you "
                f"mean to put {them} back unchecked"
            )
        if self._previewed != self._current() or not self._as_previewed():
            return "preview these rows first (dry run)"
        if not self.confirm.value:
            return "tick the box once you have checked the rows above"
        return ""

    def _current(self) -> tuple[tuple[object, ...], bool]:
        return tuple(self.selection().index), bool(self.full.value)

    def _as_previewed(self) -> bool:
        """Whether the rows shown hold the values they held at the preview (``rows`` may
        have been replaced since)."""
        return self._previewed_rows is not None and self.selection().equals(self._previewed_rows)

    def _explain(self) -> None:
        self.why.value = html.escape(self._blocked())
        self.activate_button.disabled = bool(self.why.value)

    def _on_activate(self, _button: w.Button) -> None:
        """The button: apply, or say in the panel why not (a callback has no cell to raise
        into: an error would reach only a log nobody reads)."""
        if self._blocked():
            self.summary.value = html.escape(f"not applied: {self._blocked()}")
            self._label(self.selection())  # the rows shown may have changed under the panel
            self._explain()
            return
        try:
            self.apply()
        except Exception as exc:
            self.summary.value = error_html(exc)
            self._explain()

    def _on_preview(self, _button: w.Button) -> None:
        """The preview button: the dry run, or why it was refused, in the panel (keep rows
        shown without their tick are refused before anything is sent)."""
        try:
            self.preview()
        except Exception as exc:
            self.plan_summary.value = error_html(exc)
            self._explain()

    def _let_through(self) -> tuple[Verdict, ...]:
        """The verdicts the user cleared: the rows shown (reactivate, review) by the confirm
        tick, rows to keep and condemned rows only by their own tick (activate refuses a
        condemned row, by the judged frame's record, unless "keep" is named)."""
        if self.include_keep.value:
            return ("reactivate", "review", "keep")
        return ("reactivate", "review")

    def preview(self) -> pd.DataFrame | None:
        """Dry run of the rows shown: what activating them would change; sends no write.
        A refusal (rows to keep or condemned shown without their tick, a judged frame whose
        record was lost) is said in the panel, in ``plan_summary``, and None returned."""
        rows = self.selection()
        try:
            # The panel shows each row's outcome, failed ones too: the frame, not an error.
            plan = _activate(
                rows, full=self.full.value, verdicts=self._let_through(), dry_run=True,
                session=self.session, progress=False, on_error="warn",
            )  # fmt: skip
        except ValueError as exc:  # refused before any request: said where it is seen
            self.plan, self._previewed, self._previewed_rows = None, None, None
            self.plan_summary.value = error_html(exc)
            self._explain()
            return None
        self.plan = plan
        self._previewed = (tuple(rows.index), bool(self.full.value))
        self._previewed_rows = rows.copy(deep=True)
        self.plan_summary.value = _summary_html(
            f"Preview (dry run) of {len(rows):,} rows{of_them(rows)}{_judge_first(rows)}",
            self.plan,
        )
        self._explain()
        return self.plan

    def apply(self) -> pd.DataFrame:
        """Activate the rows shown, as previewed and confirmed; ``RuntimeError`` otherwise."""
        reason = self._blocked()
        if reason:
            raise RuntimeError(f"not applied: {reason}")
        rows = self._previewed_rows
        if rows is None:  # _blocked() refuses first; this keeps the type checker honest
            raise RuntimeError("not applied: preview these rows first (dry run)")
        self.activate_button.disabled = True

        def advance(done: int, total: int) -> None:
            self.progress.max, self.progress.value = total, done

        self.result = _activate(
            rows,
            full=self.full.value,
            verdicts=self._let_through(),
            confirm=True,
            journal=self.journal,
            verify=True,
            session=self.session,
            progress=False,
            on_batch=advance,
            on_error="warn",  # the summary below shows the failed rows, as in preview
        )
        journal = f" (journal: {html.escape(str(self.journal))})" if self.journal else ""
        title = f"Applied to {len(rows):,} rows{of_them(rows)}{journal}"
        self.summary.value = _summary_html(title, self.result)
        self._explain()
        return self.result


def _activate(rows: pd.DataFrame, **options: Any) -> pd.DataFrame:
    """:func:`mmframe.activate` of the panel's rows, without the warning that rows were
    never judged: the panel says so itself, beside its counts (:func:`_judge_first`)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", f".*{NEVER_JUDGED}", EvidenceWarning)
        return activate(rows, **options)


def _judge_first(rows: pd.DataFrame) -> str:
    """``; run mm.remediation_candidates(...) first ...`` where rows were never judged."""
    return f"; {JUDGE_FIRST}" if never_judged(rows).any() else ""


def _counts_html(frame: pd.DataFrame) -> str:
    """The frame's rows counted by account, domain and reason, side by side."""
    tables = [c for c in ("account", "domain", "reason") if c in frame.columns]
    return "".join(
        f"<div style='display:inline-block;margin-right:2em'><b>{c}</b>"
        f"{counts_table(frame, c)}</div>"
        for c in tables
    )


def _choices(frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame.columns:
        return ["all"]
    return ["all", *sorted(str(v) for v in frame[column].dropna().unique())]


def _summary_html(title: str, result: pd.DataFrame) -> str:
    """``title: planned: 347, unchanged: 2`` in words, every status with rows."""
    counts = result["status"].value_counts()
    parts = ", ".join(f"{status}: {n:,}" for status, n in counts.items())
    return f"<b>{html.escape(title)}</b> &nbsp; {parts}"


# The docs and help() would read the signature of ipywidgets' metaclass (*args, **kwargs).
RemediationPanel.__signature__ = inspect.signature(RemediationPanel)
