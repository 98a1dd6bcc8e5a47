"""What :func:`mmframe.remediation_candidates` was not given, said when it matters: an
:class:`~mmframe.errors.EvidenceWarning` when rows are judged ``reactivate`` without every
complaint and opt-out, or on evidence read from a start (a loader's frame says so in its
attrs), since what was not read cannot keep an address out."""

from __future__ import annotations

import pandas as pd

from .. import schema
from ..errors import EvidenceWarning, warn

#: What each evidence frame holds, in words: what it would have kept out.
_WHO = {
    "bounces": "that a server called dead",
    "complaints": "that complained",
    "opt_outs": "that unsubscribed or was added by hand",
}
#: The reads that give everything, as the docs and the report's printed fix make them.
ROUTE = (
    'bounces=mm.read_bounces(None, None, accounts="all"), '
    'complaints=mm.read_complaints(None, None, accounts="all"), '
    'opt_outs=mm.read_suppressions(None, None, accounts="all")'
)


def read_from(frame: pd.DataFrame) -> pd.Timestamp | None:
    """Where the read that gave ``frame`` started, as its attrs say (None: from the first,
    or not said: a frame made by hand, or joined from several reads)."""
    meta = frame.attrs.get(schema.ATTRS_KEY)
    query = meta.get("query") if isinstance(meta, dict) else None
    start = query.get("start") if isinstance(query, dict) else None
    if not isinstance(start, str) or not start:
        return None
    try:
        at = pd.Timestamp(start)
    except ValueError:
        return None
    return at.tz_localize("UTC") if at.tzinfo is None else at.tz_convert("UTC")


def _or(parts: list[str]) -> str:
    """``a``, ``a or b``, ``a, b, or c``."""
    if len(parts) < 3:
        return " or ".join(parts)
    return ", ".join(parts[:-1]) + ", or " + parts[-1]


def _moment(at: pd.Timestamp) -> str:
    return f"{at:%Y-%m-%d}" if at == at.floor("D") else f"{at:%Y-%m-%d %H:%M} UTC"


def warn_unseen(given: dict[str, pd.DataFrame | None], judged: pd.DataFrame) -> pd.DataFrame:
    """``judged``, once a warning is issued if rows it judged ``reactivate`` were not
    checked against every complaint and opt-out (one not given), or against an evidence
    frame read from a start: whoever complained, opted out or was called dead, unread,
    could be among them."""
    back = int((judged["verdict"].astype(str) == "reactivate").sum())
    missing = [n for n in ("complaints", "opt_outs") if given.get(n) is None]
    starts = {n: read_from(f) for n, f in given.items() if f is not None}
    short = {n: at for n, at in starts.items() if at is not None}
    if not back or (not missing and not short):
        return judged
    gaps = [f"{n}=None" for n in missing]
    gaps += [f"{n} read from {_moment(at)}" for n, at in short.items()]
    who = [_WHO[n] for n in missing]
    who += [f"{_WHO[n]} before {_moment(at)}" for n, at in short.items()]
    rows = f"{back:,} {'row' if back == 1 else 'rows'} judged reactivate"
    warn(
        EvidenceWarning(
            f"remediation_candidates: {rows} without every complaint, opt-out and bounce "
            f"({', '.join(gaps)}): an address {_or(who)}, on this account or "
            "another, could be among them, and activating them would put it back. Judge on "
            f"everything, read from the first: {ROUTE}"
        )
    )
    return judged
