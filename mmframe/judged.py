"""The rows :func:`mmframe.remediation_candidates` held back, remembered in the frame's
attrs: a frame derived from a judged one (columns selected, ``verdict`` or ``cause``
dropped, rows filtered, the index reset) is still refused by :func:`mmframe.activate` for
them, and the remediation panel still holds its condemned rows.

pandas carries ``attrs`` through selection, filtering, copies and ``reset_index``, deep
copying them at each step: the record is one JSON text in ``attrs["mmframe"]["judged"]``
(a string is copied for nothing), holding only the rows judged other than ``reactivate``,
each by its account and address (trimmed, without case, as the API compares them), under
its verdict, and apart the rows the evidence condemns (a complaint, an opt-out, a dead
mailbox, a hard bounce naming no cause that passes, on this account or another), under
what condemns them: these go back only where ``keep`` is let through too, whatever
verdict they hold. It names no key, session or secret.

``pd.concat`` and ``merge`` drop attrs that differ between their inputs: a frame that
carries the columns judging adds (:data:`COLUMNS`) but no record lost it, and is refused.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from . import schema

#: Where in ``attrs["mmframe"]`` the record is kept.
FIELD = "judged"
#: The verdict let through by default; every other is recorded.
CLEARED = "reactivate"
#: The verdict that also lets a condemned row through: the one deliberate way.
DELIBERATE = "keep"
#: Suppression reasons that say a person asked (a complaint, an unsubscribe) or decided (a
#: manual add), and each in words: in any frame, judged or not, such a row goes back only
#: where ``keep`` is let through (:func:`mmframe.activate`, the remediation panel's tick).
ASKED = {
    "complaint": "who reported spam",
    "unsubscribe": "who unsubscribed",
    "manual": "suppressed by hand",
}
#: The columns remediation_candidates adds: a frame carrying any was judged.
COLUMNS = ("verdict", "cause", "evidence", "smtp_status", "event_at", "storm")
#: Which verdict an address held under several is refused by: the strongest, last here
#: (one that is no verdict, which nothing lets through, after them).
_ORDER = ("review", "keep")


def _keys(frame: pd.DataFrame, by_account: bool) -> pd.Series:
    """Each row's address (and account), trimmed and without case."""
    email = frame["email"].astype(str).str.strip().str.lower()
    if not by_account:
        return email
    return frame["account"].astype(str).str.strip().str.lower() + "\x1f" + email


def _said(column: pd.Series) -> pd.Series:
    """Each verdict trimmed and lower-cased; ``"none"`` where it is missing or no text."""
    return column.astype(object).map(lambda v: v.strip().lower() if isinstance(v, str) else "none")


def _grouped(keys: pd.Series, labels: pd.Series, rows: np.ndarray) -> dict[str, list[str]]:
    """The distinct keys of ``rows``, by their label."""
    key, label = keys.to_numpy()[rows], labels.to_numpy()[rows]
    return {str(v): pd.unique(key[label == v]).tolist() for v in pd.unique(label)}


def remember(frame: pd.DataFrame, condemned: np.ndarray | None = None) -> None:
    """Record in ``frame.attrs`` which of its rows its ``verdict`` column holds back (every
    verdict but ``reactivate``), and which of them the evidence condemns under their
    ``cause`` (``condemned``, one bool a row; by default those marked ``keep`` and those
    whose cause condemns: :data:`~mmframe.analysis.never_back.CONDEMNING`); any earlier
    record is replaced. The attrs dict is made anew: the frame judged may share it."""
    by_account = "account" in frame.columns
    keys, said = _keys(frame, by_account), _said(frame["verdict"])
    held = (said != CLEARED).to_numpy()
    cause = _said(frame["cause"]) if "cause" in frame.columns else pd.Series("none", frame.index)
    if condemned is None:
        from .analysis.never_back import CONDEMNING  # judging has loaded it already

        condemned = ((said == DELIBERATE) | cause.isin(list(CONDEMNING))).to_numpy()
    record = {
        "by_account": by_account,
        "held": _grouped(keys, said, held),
        "condemned": _grouped(keys, cause, held & np.asarray(condemned, dtype=bool)),
        "cleared": pd.unique(keys.to_numpy()[~held]).tolist(),  # a row since added: unseen
    }
    meta = frame.attrs.get(schema.ATTRS_KEY)
    frame.attrs = {
        **frame.attrs,
        schema.ATTRS_KEY: {**(meta if isinstance(meta, dict) else {}), FIELD: json.dumps(record)},
    }


def _record(frame: pd.DataFrame) -> dict[str, object] | None:
    """The frame's record, read; None for a frame with none (or without ``email``)."""
    meta = frame.attrs.get(schema.ATTRS_KEY)
    text = meta.get(FIELD) if isinstance(meta, dict) else None
    if text is None or "email" not in frame.columns:
        return None
    try:
        record = json.loads(text)
        out = {"by_account": bool(record["by_account"]), "held": dict(record["held"])}
        # A record made before condemned rows were told apart: all it holds is condemned.
        out["condemned"] = dict(record.get("condemned", record["held"]))
        cleared = record.get("cleared")  # none in a record made before W-20a
        out["cleared"] = [str(k) for k in cleared] if isinstance(cleared, list) else None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ValueError(
            f'attrs["mmframe"]["{FIELD}"] is not a record remediation_candidates made: '
            "judge the rows again, or drop it from attrs"
        ) from exc
    return out


def _per_row(frame: pd.DataFrame, record: dict[str, object], part: str) -> pd.Series:
    """Each row's label under ``record[part]`` (None for a row it does not name). A frame
    without ``account`` is matched by address alone, the strongest label on any account."""
    groups = record[part]
    assert isinstance(groups, dict)
    exact = bool(record["by_account"]) and "account" in frame.columns
    found: dict[str, str] = {}
    for label in sorted(groups, key=lambda v: _ORDER.index(v) if v in _ORDER else len(_ORDER)):
        for key in groups[label]:  # the strongest last, so it wins
            found[key if exact else str(key).rsplit("\x1f", 1)[-1]] = str(label)
    return _keys(frame, exact).map(found).astype(object).where(lambda s: s.notna(), None)


def recorded(frame: pd.DataFrame) -> pd.Series | None:
    """Each row's verdict as the record in its attrs holds it (None for a row it clears),
    or None for a frame with no record.

    Raises
    ------
    ValueError
        A record that cannot be read (it was not made here).
    """
    record = _record(frame)
    return None if record is None else _per_row(frame, record, "held")


def condemned(frame: pd.DataFrame) -> pd.Series | None:
    """What condemns each row as the record in its attrs holds it (its cause: None for a
    row nothing condemns), or None for a frame with no record.

    Raises
    ------
    ValueError
        A record that cannot be read (it was not made here).
    """
    record = _record(frame)
    return None if record is None else _per_row(frame, record, "condemned")


def unseen(frame: pd.DataFrame) -> pd.Series | None:
    """Whether each row is one its judging never saw (neither held back nor cleared: added
    to the frame, or its address or account edited, since: twentieth review, W-20a), as
    the record in its attrs tells; None for a frame with no record, or one too old to say.
    A frame without ``account`` is matched by address alone."""
    record = _record(frame)
    if record is None or record["cleared"] is None:
        return None
    exact = bool(record["by_account"]) and "account" in frame.columns
    known = {str(k) for keys in record["held"].values() for k in keys}  # type: ignore[attr-defined]
    known.update(record["cleared"])  # type: ignore[arg-type]
    if not exact:
        known = {k.rsplit("\x1f", 1)[-1] for k in known}
    return ~_keys(frame, exact).isin(known)


def lost(frame: pd.DataFrame) -> list[str]:
    """The judged columns (:data:`COLUMNS`) of a frame that holds no record ([] when it
    holds one, or none of them): its record was lost, by ``pd.concat`` or ``merge``."""
    if not isinstance(frame, pd.DataFrame) or _has_record(frame):
        return []
    return [c for c in COLUMNS if c in frame.columns]


def shows_judging(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` shows it was judged: a column judging adds (:data:`COLUMNS`) or
    the record in its attrs."""
    return any(c in frame.columns for c in COLUMNS) or _has_record(frame)


def _has_record(frame: pd.DataFrame) -> bool:
    meta = frame.attrs.get(schema.ATTRS_KEY)
    return isinstance(meta, dict) and meta.get(FIELD) is not None


def note_gaps(frame: pd.DataFrame, gaps: str) -> None:
    """Add to ``frame``'s record that it was judged on evidence of unknown or partial
    coverage (``gaps``, as the judging warning said it), for ``activate`` and the panel to
    say again where the rows are applied. A frame with no record is left as it is."""
    _note(frame, "gaps", gaps)


def note_ends(frame: pd.DataFrame, ends: dict[str, dict[str, object]]) -> None:
    """Add to ``frame``'s record where each evidence read ended (per kind: ``after``, the
    latest event's time, and ``accounts``, those read): ``activate`` reads what came since
    (:mod:`mmframe.writes.since_judged`). A frame with no record is left as it is."""
    _note(frame, "ends", ends)


def bound_ends(frame: pd.DataFrame, until: pd.Timestamp) -> None:
    """Make ``frame``'s record read what came after its evidence only up to ``until`` (a
    report's moment taken as now: its own dry run looks no later than its page)."""
    _note(frame, "ends", {k: {**v, "until": until.isoformat()} for k, v in ends(frame).items()})


def _note(frame: pd.DataFrame, field: str, value: object) -> None:
    meta = frame.attrs.get(schema.ATTRS_KEY)
    text = meta.get(FIELD) if isinstance(meta, dict) else None
    if not isinstance(meta, dict) or text is None:
        return
    record = {**json.loads(text), field: value}
    frame.attrs = {**frame.attrs, schema.ATTRS_KEY: {**meta, FIELD: json.dumps(record)}}


def _noted(frame: object, field: str) -> object:
    """One field of ``frame``'s record (None: no record, or none such)."""
    if not isinstance(frame, pd.DataFrame):
        return None
    meta = frame.attrs.get(schema.ATTRS_KEY)
    text = meta.get(FIELD) if isinstance(meta, dict) else None
    try:
        return json.loads(text).get(field) if isinstance(text, str) else None
    except (ValueError, AttributeError):
        return None  # a record not made here: activate refuses it anyway


def gaps(frame: object) -> str | None:
    """What the evidence a frame was judged on lacked, as its record says (None: whole, or
    no record)."""
    said = _noted(frame, "gaps")
    return str(said) if said else None


def ends(frame: object) -> dict[str, dict[str, object]]:
    """Where each evidence read of a judged frame ended, as its record says ({}: none)."""
    said = _noted(frame, "ends")
    return said if isinstance(said, dict) else {}


def gaps_said(frame: object, where: str) -> str:
    """The warning ``where`` (activate, the panel) repeats, or "" for a frame judged on
    whole evidence."""
    lacked = gaps(frame)
    if lacked is None:
        return ""
    return (
        f"{where}: these rows were judged by remediation_candidates on evidence of unknown or "
        f"partial coverage ({lacked}): an address that complained, opted out or was called "
        "dead where it was not read could be among the rows judged reactivate. Judge again on "
        "every frame read from the first on every account, as its loader gives it"
    )
