"""A judged frame's verdicts, checked before an activation sends anything.

A :func:`mmframe.remediation_candidates` frame is still a suppressions frame, so activating
it whole (its verdict filter forgotten) would put back its ``keep`` rows (people who
complained, dead mailboxes) and its ``review`` rows with the rest. When a frame carries a
``verdict`` column, only the rows whose verdict is let through (``"reactivate"`` unless
``verdicts=`` names more) are activated; any other refuses the whole call, before any
request, saying how many rows hold which verdict and the way out. So does a row the judged
frame's attrs remember as held back (:mod:`mmframe.judged`), its ``verdict`` column dropped
by a selection, or overwritten, since.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast, get_args

import pandas as pd

from ..judged import recorded
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
    else:
        let_through(verdicts)
    return cast(WriteOptions, {k: v for k, v in options.items() if k != "verdicts"})


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
    """Refuse (``ValueError``, before any request) a frame with a ``verdict`` column any of
    whose rows has a verdict ``verdicts`` does not let through (a missing or unknown
    verdict is never let through); a frame without the column is not a judged one."""
    allowed = let_through(DEFAULTS["verdicts"] if verdicts is None else verdicts)
    if "verdict" in frame.columns:
        _refuse_by_column(frame, allowed)
    _refuse_by_record(frame, allowed)


def _refuse_by_column(frame: pd.DataFrame, allowed: tuple[str, ...]) -> None:
    """Refuse a frame whose ``verdict`` column holds a verdict not ``allowed``."""
    said = _verdicts(frame["verdict"])
    refused = ~said.isin(allowed)
    if not refused.any():
        return
    counts = said.value_counts(dropna=False)
    held = [_counted(v, int(n)) for v, n in counts.items() if v not in allowed]
    kept = [_counted(v, int(n)) for v, n in counts.items() if v in allowed]
    n = int(refused.sum())
    named = " or ".join(repr(v) for v in allowed)
    wider = tuple(v for v in VERDICTS if v in allowed or v == "review")
    raise ValueError(
        f"activate: {n} {'row' if n == 1 else 'rows'} of this frame "
        f"{'has a verdict' if n == 1 else 'have verdicts'} other than {named} "
        f"({', '.join(held)}{'; besides ' + ', '.join(kept) if kept else ''}): nothing "
        "was sent. A judged frame (remediation_candidates) is activated by the rows its "
        "evidence clears: filter it first, "
        'frame[frame["verdict"] == "reactivate"]; or, once you have looked at the other '
        f"rows, name the verdicts to let through, verdicts={wider!r}"
    )


def _refuse_by_record(frame: pd.DataFrame, allowed: tuple[str, ...]) -> None:
    """Refuse a frame whose attrs remember rows judged other than ``allowed`` (its
    ``verdict`` column dropped or overwritten since: :mod:`mmframe.judged`)."""
    held = recorded(frame)
    if held is None:
        return
    refused = held.notna() & ~held.isin(allowed)
    if not refused.any():
        return
    counts = held[refused].value_counts()
    n = int(refused.sum())
    named = " or ".join(repr(v) for v in allowed)
    wider = tuple(v for v in VERDICTS if v in allowed or v == "review")
    column = "says otherwise" if "verdict" in frame.columns else "is gone"
    raise ValueError(
        f"activate: {n} {'row' if n == 1 else 'rows'} of this frame "
        f"{'was' if n == 1 else 'were'} judged other than {named} by remediation_candidates "
        f"({', '.join(_counted(v, int(k)) for v, k in counts.items())}), as the frame's attrs "
        f"remember though its verdict column {column}: nothing was sent. Activate the rows "
        'the evidence clears: filter the judged frame first, frame[frame["verdict"] == '
        '"reactivate"], then take the columns you need; or, once you have looked at the '
        f"other rows, name the verdicts to let through, verdicts={wider!r}"
    )


def _verdicts(column: pd.Series) -> pd.Series:
    """Each row's verdict, trimmed and lower-cased; None where it is missing or no text."""
    values = column.astype(object)
    return values.map(lambda v: v.strip().lower() if isinstance(v, str) else None)


def _counted(verdict: object, n: int) -> str:
    """``2 keep``, ``1 with no verdict``, ``3 'maybe'`` (not a verdict)."""
    if verdict is None or (isinstance(verdict, float) and pd.isna(verdict)):
        return f"{n} with no verdict"
    return f"{n} {verdict}" if verdict in VERDICTS else f"{n} {verdict!r}"
