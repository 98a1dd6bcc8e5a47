"""What :func:`mmframe.remediation_candidates` was not given, said when it matters: an
:class:`~mmframe.errors.EvidenceWarning` when rows are judged ``reactivate`` without every
complaint and opt-out, on evidence read from a start, or read for fewer accounts than the
key sees (a loader's frame says so in its attrs), narrowed after its read (fewer rows
than its attrs count), or with no such record (coverage unknown), since what was not
read, or was dropped since, cannot keep an address out; and on evidence read
incomplete (``on_error="warn"``: its attrs say), no row judged ``reactivate`` at all."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .. import judged as judged_record
from .. import schema
from ..errors import EvidenceWarning, warn
from .verdicts import Verdicts

#: What each evidence frame holds, in words: what it would have kept out.
_WHO = {
    "bounces": "that a server called dead",
    "complaints": "that complained",
    "opt_outs": "that unsubscribed or was added by hand",
}
#: The reads of each evidence frame that give it all (the error for a frame without
#: ``account`` names its own).
READS = {
    "bounces": 'mm.read_bounces(None, None, accounts="all")',
    "complaints": 'mm.read_complaints(None, None, accounts="all")',
    "opt_outs": 'mm.read_suppressions(None, None, accounts="all")',
}
#: The reads that give everything, as the docs and the report's printed fix make them.
ROUTE = ", ".join(f"{name}={read}" for name, read in READS.items())


#: The time column of each evidence frame activate reads again from its latest time.
_SINCE = {"complaints": "complained_at", "opt_outs": "suppressed_at"}


def ends_of(given: dict[str, pd.DataFrame | None]) -> dict[str, dict[str, object]]:
    """Where each complaints and opt-outs read a loader made ended: ``after``, its latest
    event's time (where it started, when it holds none; None: from the first), and
    ``accounts``, those it was read for ("all": every account the key saw; None: the
    key's own). ``activate`` reads what came
    since, so a complaint that arrives after the judging is not missed (W-16d); a frame
    with no loader record is left out (its coverage is warned unknown already)."""
    out: dict[str, dict[str, object]] = {}
    for name, column in _SINCE.items():
        frame = given.get(name)
        meta = frame.attrs.get(schema.ATTRS_KEY) if frame is not None else None
        if frame is None or not isinstance(meta, dict) or column not in frame.columns:
            continue
        latest = frame[column].max() if len(frame) else read_from(frame)
        after = None if latest is None or pd.isna(latest) else pd.Timestamp(latest).isoformat()
        accounts, seen = meta.get("accounts"), meta.get("seen")
        if isinstance(accounts, list) and isinstance(seen, list) and set(seen) <= set(accounts):
            accounts = "all"  # every account the key saw: and any made since
        out[name] = {
            "after": after,
            "accounts": accounts if accounts == "all" or isinstance(accounts, list) else None,
        }
    return out


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


def unread(frame: pd.DataFrame) -> list[str]:
    """The accounts the key sees that the read giving ``frame`` left out, as its attrs say
    (none: read for all of them, or not said: a sub-account key's read, a frame made by
    hand, or one of an older mmframe's reads of the key's own account)."""
    meta = frame.attrs.get(schema.ATTRS_KEY)
    read = meta.get("accounts") if isinstance(meta, dict) else None
    seen = meta.get("seen") if isinstance(meta, dict) else None
    if read is None and isinstance(meta, dict) and isinstance(meta.get("own"), str):
        read = [meta["own"]]  # a master's read of its own account: the others unread
    if not isinstance(read, list) or not isinstance(seen, list):
        return []
    got = {str(name).lower() for name in read}
    return [str(name) for name in seen if str(name).lower() not in got]


#: How a frame read with a sub-account key is named among the gaps.
SUB_GAP = " read with a sub-account key (its own account only)"
#: The warning of rows judged on sub-account-key reads with nothing else missing: for a
#: caller that says so in its own words (the report's page), to filter.
SUB_KEY_ONLY = (
    r"remediation_candidates: [\d,]+ rows? judged reactivate without every complaint, "
    r"opt-out and bounce \((?:(?:bounces|complaints|opt_outs)"
    + re.escape(SUB_GAP)
    + r"(?:; |\): ))+an address"
)


def only_sub_key(judged: pd.DataFrame) -> bool:
    """Whether all a judged frame's evidence lacked is what sub-account-key reads lack
    (the accounts such a key cannot read): for a caller that says so in its own words."""
    lacked = judged_record.gaps(judged)
    return bool(lacked) and all(part.endswith(SUB_GAP) for part in str(lacked).split("; "))


def sub_key(frame: pd.DataFrame) -> bool:
    """Whether the read giving ``frame`` was made with a sub-account's key, as its attrs
    say: it holds that account's rows only, and no key of the master's other accounts was
    used (W-17b)."""
    meta = frame.attrs.get(schema.ATTRS_KEY)
    return isinstance(meta, dict) and meta.get("sub_key") is True


def _or(parts: list[str]) -> str:
    """``a``, ``a or b``, ``a, b, or c``."""
    if len(parts) < 3:
        return " or ".join(parts)
    return ", ".join(parts[:-1]) + ", or " + parts[-1]


def _few(names: list[str], last: str = "and", shown: int = 5) -> str:
    """``a, b, c``, ``a, b, c ... e and 3 more`` (a master may see hundreds of accounts)."""
    if len(names) <= shown:
        return ", ".join(names) if last == "and" else _or(names)
    return f"{', '.join(names[:shown])} {last} {len(names) - shown:,} more"


def _moment(at: pd.Timestamp) -> str:
    return f"{at:%Y-%m-%d}" if at == at.floor("D") else f"{at:%Y-%m-%d %H:%M} UTC"


def recorded(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` carries a loader's record of the read that gave it (its attrs);
    ``pd.concat`` of reads whose records differ keeps none, nor does a frame built by hand.
    A frame filtered after its read keeps its record, which counts the rows read
    (:func:`cut`)."""
    meta = frame.attrs.get(schema.ATTRS_KEY)
    return isinstance(meta, dict) and "accounts" in meta


def cut(frame: pd.DataFrame) -> list[tuple[str, int, int]]:
    """(account, rows held, rows read) for each account of which ``frame`` holds fewer rows
    than the read that gave it returned, as its attrs count them (account ``""``: the
    frame's one account, or all of them without an ``account`` column); none where no
    count is recorded (a frame made by hand, a record of an older mmframe). A frame that
    grew or was reordered holds as many: only rows dropped since the read are named."""
    meta = frame.attrs.get(schema.ATTRS_KEY)
    read = meta.get("rows") if isinstance(meta, dict) else None
    if not isinstance(read, dict) or not read:
        return []
    counted = {str(k): v for k, v in read.items() if isinstance(v, int)}
    if "" in counted or "account" not in frame.columns:  # compared as one
        total = sum(counted.values())
        return [("", len(frame), total)] if len(frame) < total else []
    held: dict[str, int] = {}
    for name, n in frame["account"].value_counts(sort=False).items():
        key = str(name).strip().lower()
        held[key] = held.get(key, 0) + int(n)
    found = [(name, held.get(name.strip().lower(), 0), n) for name, n in counted.items()]
    return [(name, have, n) for name, have, n in found if have < n]


def vouch(frame: pd.DataFrame, read: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the record of ``read`` (the read it was cut from), its row count left
    out: for code that keeps, of a whole read, every row that can matter to the rows it
    judges (the report keeps another account's bounces of the day's addresses only), so
    the read's coverage still holds and :func:`cut` does not count the rows left out.
    Returns ``frame``; a user's filter has no such promise, and is counted."""
    meta = read.attrs.get(schema.ATTRS_KEY)
    kept = {k: v for k, v in meta.items() if k != "rows"} if isinstance(meta, dict) else meta
    frame.attrs = {**read.attrs, schema.ATTRS_KEY: kept} if kept is not None else dict(read.attrs)
    return frame


def _held(lost: list[tuple[str, int, int]], shown: int = 5) -> str:
    """``promo@x.io: 0 of 5,759 rows read; ...`` (a master may see hundreds)."""
    said = [f"{f'{name}: ' if name else ''}{have:,} of {n:,} rows read"
            for name, have, n in lost[:shown]]  # fmt: skip
    more = f"; {len(lost) - shown:,} more accounts" if len(lost) > shown else ""
    return "; ".join(said) + more


def _named(frames: list[pd.DataFrame]) -> list[str]:
    """Every account ``frames`` name: the key's (attrs ``seen``), those read, those with
    rows (first spelling, without case), sorted."""
    names: dict[str, str] = {}
    for frame in frames:
        meta = frame.attrs.get(schema.ATTRS_KEY)
        for field in ("seen", "accounts"):
            listed = meta.get(field) if isinstance(meta, dict) else None
            for name in listed if isinstance(listed, list) else []:
                names.setdefault(str(name).strip().lower(), str(name).strip())
        if "account" in frame.columns:
            for name in frame["account"].dropna().unique():
                names.setdefault(str(name).strip().lower(), str(name).strip())
    return [names[k] for k in sorted(names)]


def _absent(frame: pd.DataFrame, named: list[str]) -> list[str]:
    """The accounts of ``named`` that ``frame`` has no rows of (none said without its
    ``account`` column: one account's rows)."""
    if "account" not in frame.columns:
        return []
    have = {str(a).strip().lower() for a in frame["account"].dropna().unique()}
    return [name for name in named if name.lower() not in have]


def _unknown(given: dict[str, pd.DataFrame | None], judged: pd.DataFrame) -> dict[str, list[str]]:
    """Each evidence frame without a loader's record, and the accounts the frames name
    that it has no rows of: what it was read for is not known, so it is not taken whole."""
    bare = [n for n, f in given.items() if f is not None and not recorded(f)]
    if not bare:
        return {}
    named = _named([judged, *(f for f in given.values() if f is not None)])
    return {n: _absent(frame, named) for n in bare if (frame := given[n]) is not None}


def _no_rows(names: list[str]) -> str:
    return f"; no rows of {_few(names)}" if names else ""


def warn_unseen(given: dict[str, pd.DataFrame | None], judged: pd.DataFrame) -> pd.DataFrame:
    """``judged``, once a warning is issued if rows it judged ``reactivate`` were not
    checked against every complaint and opt-out (one not given), or against an evidence
    frame read from a start, for fewer accounts than the key sees, narrowed after its read
    (:func:`cut`) or with no record of its read: whoever complained, opted out or was
    called dead, unread or dropped, could be among them."""
    back = int((judged["verdict"].astype(str) == "reactivate").sum())
    if not back:
        return judged
    missing = [n for n in ("complaints", "opt_outs") if given.get(n) is None]
    starts = {n: read_from(f) for n, f in given.items() if f is not None}
    short = {n: at for n, at in starts.items() if at is not None}
    narrow = {n: left for n, f in given.items() if f is not None and (left := unread(f))}
    unknown = _unknown(given, judged)
    lost = {n: gone for n, f in given.items() if f is not None and (gone := cut(f))}
    subs = [n for n, f in given.items() if f is not None and sub_key(f)]
    if not missing and not short and not narrow and not unknown and not lost and not subs:
        return judged
    gaps = [f"{n}=None" for n in missing]
    gaps += [f"{n}{SUB_GAP}" for n in subs]
    gaps += [f"{n} read from {_moment(at)}" for n, at in short.items()]
    gaps += [f"{n} read without {_few(left)}" for n, left in narrow.items()]
    gaps += [f"{n} of unknown coverage (no record of its read{_no_rows(no)})"
             for n, no in unknown.items()]  # fmt: skip
    gaps += [f"{n} narrowed after its read ({_held(gone)})" for n, gone in lost.items()]
    who = [_WHO[n] for n in missing]
    who += [f"{_WHO[n]} on the master's other accounts" for n in subs]
    who += [f"{_WHO[n]} before {_moment(at)}" for n, at in short.items()]
    who += [f"{_WHO[n]} on {_few(left, 'or')}" for n, left in narrow.items()]
    who += [f"{_WHO[n]} on {_few(no, 'or')}" if no else f"{_WHO[n]} where it was not read"
            for n, no in unknown.items()]  # fmt: skip
    who += [f"{_WHO[n]} in the rows dropped from {n}" for n in lost]
    rows = f"{back:,} {'row' if back == 1 else 'rows'} judged reactivate"
    judged_record.note_gaps(judged, "; ".join(gaps))  # said again where rows are applied
    keep = _keep(bool(unknown), bool(lost))
    warn(
        EvidenceWarning(
            f"remediation_candidates: {rows} without every complaint, opt-out and bounce "
            f"({'; '.join(gaps)}): an address {_or(who)}, on this account or "
            "another, could be among them, and activating them would put it back. Judge on "
            f"everything, read from the first on every account: {ROUTE}{keep}{_master(subs)}"
        )
    )
    return judged


def _master(subs: list[str]) -> str:
    """The key those reads need, when some were made with a sub-account's."""
    if not subs:
        return ""
    return (". Read them with the master account's key: a sub-account key reads its "
            "own account only, no other's complaints, opt-outs or dead mailboxes")  # fmt: skip


def _keep(unknown: bool, lost: bool) -> str:
    """How to pass the evidence whole, for frames of unknown coverage or narrowed."""
    said = []
    if unknown:
        said.append("pd.concat of several reads, or a frame built by hand, has no record "
                    "of what was read; read the accounts in one read")  # fmt: skip
    if lost:
        said.append("filter the rows judged, never the evidence: a row it drops cannot "
                    "keep its address out")  # fmt: skip
    return f" (pass each frame as its loader gives it: {'; '.join(said)})" if said else ""


#: The cause of a row held back because an evidence frame was read incomplete.
INCOMPLETE = "incomplete"


def incomplete(frame: pd.DataFrame) -> dict[str, Any] | None:
    """What a frame read with ``on_error="warn"`` lacks, as its attrs say (None: whole, or
    not said: a frame made by hand, or joined from several reads)."""
    meta = frame.attrs.get(schema.ATTRS_KEY)
    record = meta.get("incomplete") if isinstance(meta, dict) else None
    return record if isinstance(record, dict) else None


def _lacks(name: str, record: dict[str, Any]) -> str:
    """``bounces: 5 of 62 chunks not whole (alerts@x.io 2026-10-01 to 2026-11-05, short)``."""
    runs = [r for r in record.get("runs", []) if isinstance(r, dict)]
    said = [
        f"{r.get('account') or 'its account'} {r.get('start') or 'the first'} to "
        f"{r.get('end') or 'now'}, {r.get('status')}"
        for r in runs
    ]
    more = max(int(record.get("chunks", len(runs))) - sum(int(r.get("chunks", 1)) for r in runs), 0)
    tail = f"; {more:,} more chunks" if more else ""
    return (
        f"{name}: {record.get('chunks', '?')} of {record.get('of', '?')} chunks not whole "
        f"({'; '.join(said)}{tail})"
    )


def withhold_incomplete(given: dict[str, pd.DataFrame | None], found: Verdicts) -> Verdicts:
    """Every row judged ``reactivate`` made ``review`` (cause :data:`INCOMPLETE`, its
    evidence saying what was not read) when an evidence frame was read incomplete
    (``on_error="warn"``: its attrs say), with an :class:`~mmframe.errors.EvidenceWarning`
    naming the frame and what it lacks: what was not read could condemn any of them.
    Returns ``found``."""
    gaps = {n: r for n, f in given.items() if f is not None and (r := incomplete(f)) is not None}
    if not gaps or not len(found.verdict):
        return found
    lacks = "; ".join(_lacks(n, r) for n, r in gaps.items())
    back = found.verdict == "reactivate"
    was = [f"; was: {c}: {e}" for c, e in zip(found.cause[back], found.evidence[back], strict=True)]
    found.verdict[back] = "review"
    found.cause[back] = INCOMPLETE
    found.evidence[back] = [f"the evidence read was incomplete ({lacks}){w}" for w in was]
    found.storm[back] = False
    n = int(back.sum())
    warn(
        EvidenceWarning(
            f"remediation_candidates: {', '.join(gaps)} came back incomplete (read with "
            f'on_error="warn"; {lacks}): an address that complained, opted out or was '
            f"called dead there could be among the rows, so none is judged reactivate: "
            f"{n:,} {'row' if n == 1 else 'rows'} that would have been went to review "
            f"(cause {INCOMPLETE!r}). Read every frame whole, from the first: {ROUTE}"
        )
    )
    return found
