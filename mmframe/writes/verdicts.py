"""A judged frame's verdicts, checked before an activation sends anything.

A :func:`mmframe.remediation_candidates` frame is still a suppressions frame, so activating
it whole (its verdict filter forgotten) would put back its ``keep`` rows (people who
complained, dead mailboxes) and its ``review`` rows with the rest. When a frame carries a
``verdict`` column, only the rows whose verdict is let through (``"reactivate"`` unless
``verdicts=`` names more) are activated; any other refuses the whole call, before any
request, saying how many rows hold which verdict and the way out. So does a row the judged
frame's attrs remember as held back (``mmframe.judged``), its ``verdict`` column dropped
by a selection, or overwritten, since. A row of any frame, judged or not, whose ``reason``
says a person asked (a complaint, an unsubscribe) or decided (a manual add) is refused
alike unless ``verdicts=`` names ``"keep"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast, get_args

import pandas as pd

from .. import judged
from ..errors import EvidenceWarning, warn
from ..options import DEFAULTS, Verdict, WriteOptions

#: Every verdict :func:`mmframe.remediation_candidates` gives.
VERDICTS: tuple[str, ...] = get_args(Verdict)


def without_verdicts(frame: object, options: Mapping[str, Any]) -> WriteOptions:
    """An activation's write options, once its ``verdicts`` are checked: a frame with a
    ``verdict`` column holding one they do not let through is refused
    (:func:`refuse_other_verdicts`); a frame of no kind is refused by the write itself."""
    verdicts = options.get("verdicts", DEFAULTS["verdicts"])
    if isinstance(frame, pd.DataFrame):
        refuse_other_verdicts(frame, verdicts)
        if said := judged.gaps_said(frame, "activate"):  # a warning, not a refusal
            warn(EvidenceWarning(said))
    else:
        let_through(verdicts)
    return cast(WriteOptions, {k: v for k, v in options.items() if k != "verdicts"})


#: Where a warning says rows were never judged (the RemediationPanel, which says it in its
#: own words, filters the warning by it).
NEVER_JUDGED = "never judged"


def listed_bounces(frame: pd.DataFrame) -> int:
    """How many rows a frame no judging shows on (no verdict, cause or record of
    :func:`mmframe.remediation_candidates`) says were listed for a bounce (its ``reason``);
    0 for a judged frame, or one without the column."""
    if judged.shows_judging(frame) or "reason" not in frame.columns:
        return 0
    return int((_verdicts(frame["reason"]) == "bounce").sum())


def never_judged_said(n: int) -> str:
    """The warning for ``n`` rows listed for a bounce that no judging shows on (W-15e,
    W-16b): no bounce, complaint or opt-out was read for them, so a dead mailbox, or
    someone who complained to another account, looks like any other row."""
    return (
        f"activate: {n:,} {'row' if n == 1 else 'rows'} listed for a bounce "
        f"{'was' if n == 1 else 'were'} {NEVER_JUDGED}: no bounce, complaint or opt-out was "
        "read for them, so a dead mailbox, or someone who complained to another account, is "
        "put back like any other row. Judge them first, mm.remediation_candidates(rows, "
        "bounces=..., complaints=..., opt_outs=...), and activate the rows it clears (its "
        'verdict "reactivate")'
    )


def keeps(options: Mapping[str, Any]) -> bool:
    """Whether an activation's ``verdicts=`` names ``"keep"``: the deliberate way back for
    rows a person asked for, whatever the server or the frame says."""
    verdicts = options.get("verdicts", DEFAULTS["verdicts"])
    return judged.DELIBERATE in let_through(DEFAULTS["verdicts"] if verdicts is None else verdicts)


def let_through(verdicts: object) -> tuple[str, ...]:
    """The verdicts ``verdicts=`` names (one, or a collection), lower-cased; ``ValueError``
    for none, or for one that is not a verdict."""
    names = [verdicts] if isinstance(verdicts, str) else verdicts
    if not isinstance(names, Sequence | set | frozenset) or isinstance(names, bytes):
        raise ValueError(f"verdicts must be a verdict or verdicts, not {verdicts!r}")
    said = [v.strip().lower() if isinstance(v, str) else v for v in names]
    if not said or any(v not in VERDICTS for v in said):
        raise ValueError(
            f"verdicts must name one or more of {', '.join(map(repr, VERDICTS))}, not {verdicts!r}"
        )
    return tuple(v for v in VERDICTS if v in said)


def refuse_other_verdicts(frame: pd.DataFrame, verdicts: object) -> None:
    """Refuse (``ValueError``, before any request) a judged frame any of whose rows is not
    let through: a ``verdict`` column, or the record in its attrs (``mmframe.judged``),
    holding a verdict ``verdicts`` does not name (a missing or unknown one is never let
    through), or a row the record says the evidence condemns while ``verdicts`` does not
    name ``"keep"`` (whatever verdict it holds); and a frame carrying the columns judging
    adds but no record (``pd.concat`` and ``merge`` drop it). A frame with neither is not
    a judged one."""
    allowed = let_through(DEFAULTS["verdicts"] if verdicts is None else verdicts)
    gone = judged.lost(frame)
    if gone:
        raise ValueError(
            f"activate: this frame carries the columns remediation_candidates adds "
            f"({', '.join(gone)}) but not the record of the rows it held back, which its "
            "attrs kept: pandas drops attrs in pd.concat and merge (of frames whose attrs "
            "differ), so nothing here tells who complained, opted out or is dead: nothing "
            "was sent. Judge the combined rows again, remediation_candidates(rows, "
            "bounces=..., complaints=..., opt_outs=...), and activate what that clears"
        )
    column = _verdicts(frame["verdict"]) if "verdict" in frame.columns else None
    held, bad = judged.recorded(frame), _condemned(frame)
    refused = pd.Series(False, index=frame.index)
    if column is not None:
        refused |= ~column.isin(allowed)
    if held is not None:
        refused |= (held.notna() & ~held.isin(allowed)).to_numpy()
    if bad is not None and judged.DELIBERATE not in allowed:
        refused |= bad.notna().to_numpy()
    if refused.any():
        raise ValueError(_refusal(frame, allowed, refused, column, held, bad))
    _refuse_unseen(frame, allowed)
    refuse_asked(frame, allowed)


def _refuse_unseen(frame: pd.DataFrame, allowed: tuple[str, ...]) -> None:
    """Refuse (``ValueError``, before any request) rows of a judged frame its judging never
    saw (added, or their address or account edited, since: W-20a), unless ``allowed``
    names ``"keep"``: nothing cleared them, and the frame looks judged."""
    unseen = judged.unseen(frame)
    if unseen is None or not unseen.any() or judged.DELIBERATE in allowed:
        return
    n = int(unseen.sum())
    shown = frame.loc[unseen.to_numpy(), "email"].astype(str).head(5).tolist()
    more = f" (+{n - len(shown):,} more)" if n > len(shown) else ""
    raise ValueError(
        f"activate: {n:,} {'row' if n == 1 else 'rows'} of this judged frame "
        f"{'was' if n == 1 else 'were'} not among the rows remediation_candidates judged "
        f"(added, or an address or account edited, since): {', '.join(shown)}{more}: "
        "nothing was sent. Judge them, mm.remediation_candidates(rows, bounces=..., "
        "complaints=..., opt_outs=...), and activate what that clears; putting them back "
        'unjudged is a deliberate choice, verdicts=("reactivate", "keep")'
    )


def _condemned(frame: pd.DataFrame) -> pd.Series | None:
    """What condemns each row: the record's cause, else the row's own ``cause`` where it
    names a condemning one (as the panel reads it: a row re-pointed to another account
    matches nothing in the record, and still carries its cause); None where neither."""
    bad = judged.condemned(frame)
    if "cause" not in frame.columns:
        return bad
    from ..analysis.never_back import CONDEMNING  # judging loaded it: the frame was judged

    cause = _verdicts(frame["cause"])
    said = cause.where(cause.isin(list(CONDEMNING)), None)
    return said if bad is None else bad.where(bad.notna(), said)


def refuse_asked(frame: pd.DataFrame, allowed: tuple[str, ...]) -> None:
    """Refuse (``ValueError``, before any request) rows whose ``reason`` says a person
    asked or decided (:data:`mmframe.judged.ASKED`), in any frame, judged or not, unless
    ``allowed`` names ``"keep"``: as the remediation panel holds them behind their tick."""
    if "reason" not in frame.columns or judged.DELIBERATE in allowed:
        return
    reason = _verdicts(frame["reason"])
    asked = reason.isin(list(judged.ASKED))
    if not asked.any():
        return
    n = int(asked.sum())
    were = "row was" if n == 1 else "rows were"
    counts = reason[asked].map(judged.ASKED).value_counts()
    why = ", ".join(f"{int(k):,} {what}" for what, k in counts.items())
    raise ValueError(
        f"activate: {n:,} {were} suppressed because a person asked or decided, as the "
        f"reason column says ({why}): "
        'nothing was sent. Activate the others, frame[~frame["reason"].isin(["complaint", '
        '"unsubscribe", "manual"])]; putting these back is a deliberate choice, '
        'verdicts=("reactivate", "keep") the one way (the RemediationPanel\'s "also rows to '
        'keep" tick)'
    )


def _refusal(
    frame: pd.DataFrame,
    allowed: tuple[str, ...],
    refused: pd.Series,
    column: pd.Series | None,
    held: pd.Series | None,
    bad: pd.Series | None,
) -> str:
    """Why ``refused`` rows are not let through, and the ways out, never one that lets a
    condemned row through unnamed."""
    rows = refused.to_numpy()
    recorded = held if held is not None else pd.Series(None, index=frame.index, dtype=object)
    shown = recorded if column is None else recorded.where(recorded.notna(), column)
    # A row whose verdict is let through but which the evidence condemns is said so.
    only = rows & shown.isin(allowed).to_numpy()
    labels = shown.astype(object).where(~only, shown.astype(str) + " the evidence condemns")
    counts = labels[rows].value_counts(dropna=False)
    parts = [_counted(v, int(n)) for v, n in counts.items()]
    if column is not None:
        parts_ok = [_counted(v, int(n)) for v, n in column[~rows].value_counts().items()]
    else:
        parts_ok = []
    n = int(rows.sum())
    named = " or ".join(repr(v) for v in allowed)
    differs = column is not None and bool((recorded.notna() & (recorded != column))[rows].any())
    said = ""
    if held is not None and (column is None or differs):
        gone = "is gone" if column is None else "says otherwise"
        said = f", as the frame's attrs remember though its verdict column {gone}"
    judged_as = "held back" if only.any() else f"judged other than {named}"
    text = (
        f"activate: {n} {'row' if n == 1 else 'rows'} of this frame "
        f"{'was' if n == 1 else 'were'} {judged_as} by remediation_candidates"
        f" ({', '.join(parts)}{'; besides ' + ', '.join(parts_ok) if parts_ok else ''})"
        f"{said}: nothing was sent."
    )
    return text + _ways_out(allowed, refused, shown, bad)


def _ways_out(
    allowed: tuple[str, ...], refused: pd.Series, shown: pd.Series, bad: pd.Series | None
) -> str:
    """The ways out: the filter; ``verdicts=`` naming "review" only where rows to review
    that nothing condemns are refused; "keep" named for condemned rows, deliberately."""
    out = (
        " Activate the rows the evidence clears: filter the judged frame first, "
        'frame[frame["verdict"] == "reactivate"], then take the columns you need'
    )
    condemned = bad.notna().to_numpy() & refused.to_numpy() if bad is not None else None
    doomed = int(condemned.sum()) if condemned is not None else 0
    free = refused.to_numpy() & (shown.to_numpy() == "review")
    if condemned is not None:
        free &= ~condemned
    if free.any() and "review" not in allowed:
        wider = tuple(v for v in VERDICTS if v in allowed or v == "review")
        out += (
            f"; or, once you have looked at them, let the {int(free.sum()):,} "
            f"{'row' if int(free.sum()) == 1 else 'rows'} to review that nothing condemns "
            f"through, verdicts={wider!r}"
            + (" (the condemned rows below taken out first: it lets none of them through)"
               if doomed and judged.DELIBERATE not in allowed else "")
        )  # fmt: skip
    if doomed and bad is not None and condemned is not None and judged.DELIBERATE not in allowed:
        causes = bad[condemned].value_counts()
        why = ", ".join(
            f"{int(k):,} {'marked keep' if c == 'none' else c}" for c, k in causes.items()
        )
        out += (
            f". {doomed:,} of the rows refused the evidence condemns ({why}: a complaint, "
            "an opt-out, a dead mailbox or a hard bounce naming no cause that passes, on "
            'this account or another): no verdicts= without "keep" lets them through, '
            'and naming "keep" is the one way, a deliberate choice to put back whoever '
            "complained, opted out or is dead"
        )
    return out


def _verdicts(column: pd.Series) -> pd.Series:
    """Each row's verdict, trimmed and lower-cased; None where it is missing or no text."""
    values = column.astype(object)
    return values.map(lambda v: v.strip().lower() if isinstance(v, str) else None)


def _counted(verdict: object, n: int) -> str:
    """``2 keep``, ``1 with no verdict``, ``3 'maybe'`` (not a verdict)."""
    if verdict is None or (isinstance(verdict, float) and pd.isna(verdict)):
        return f"{n} with no verdict"
    known = verdict in VERDICTS or str(verdict).endswith(" the evidence condemns")
    return f"{n} {verdict}" if known else f"{n} {verdict!r}"
