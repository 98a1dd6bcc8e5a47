"""The server's own reason for each address an activation would take off the list.

A frame's ``reason`` column, its ``account`` column and its judged record are what the
analyst made of them: renamed, dropped, overwritten, re-pointed to another account, or
read before someone suppressed the rows by hand. So an activation that removes addresses
from a list (``suppressions/activate``) reads, per account and before any write (dry runs
included), which of them the list holds now and why: a row listed for a complaint, an
unsubscribe or a manual add (:data:`mmframe.judged.ASKED`), or joining the list by hand
(``pending addition``), is refused unless ``verdicts=`` names ``"keep"`` and, on a judged
frame, the frame shows the row so (:func:`let_through_asked`: the RemediationPanel's tick
for rows to keep lets through the rows it shows, never one its filter hid).

The read is bulk: the recipients' states many addresses a request (the read a dry run makes
anyway, and gives it), then, only for an account where some are listed, the list's pages
newest first, many at once, until every listed address is found: a row suppressed by hand
since the frame was read is on the last page. Where the frame says when its rows were
listed, the list is read between those times first (a storm's day, not a year): the list
holds one row an address, so an address found there is found; any other, paged as above.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable

import pandas as pd

from .. import judged
from ..client import Session
from ..dates import wire
from ..errors import EvidenceWarning, InvalidArguments, warn
from .model import FIRST, Group, State
from .states import recipient_states
from .verdicts import never_judged_said

#: Rows a list page holds (the API's page size).
PAGE = 500
#: Suppression states of an address that is on the list now.
LISTED = ("suppressed", "pending removal")
#: The reason told for a listed address no page read showed (the list moved meanwhile).
UNREAD = "unread"


def let_through_asked(frame: pd.DataFrame, *, keep: bool) -> frozenset[Hashable] | None:
    """The rows an activation lets through where the list holds them as asked: none without
    ``keep``; with it, on a judged frame (a ``verdict`` or ``cause`` column, or its record)
    the rows it shows as asked (:func:`shown_asked`), on any other every row (``None``: the
    deliberate way back, no list read)."""
    if not keep:
        return frozenset()
    held = judged.recorded(frame)
    if {"verdict", "cause"} & set(frame.columns) or held is not None:
        shown = shown_asked(frame)
        if held is not None:  # a row its record cleared is not asked, whatever its columns
            cleared = held.isna().to_numpy().copy()  # say now (twenty-third review, S5)
            if (added := judged.unseen(frame)) is not None:  # an added row: the keep is its
                cleared &= ~added.to_numpy()  # deliberate way (W-20a)
            shown -= frozenset(frame.index[cleared])
        return shown
    return None


def shown_asked(frame: pd.DataFrame) -> frozenset[Hashable]:
    """The rows ``frame`` itself shows as asked or condemned: its ``reason`` says a person
    asked, its ``verdict`` is ``keep`` or its ``cause`` condemns. Only these does
    ``verdicts=`` naming ``"keep"`` let through where the list holds them as asked: a row
    the frame calls a bounce, suppressed by hand since, was never seen to be chosen."""
    from ..analysis.never_back import CONDEMNING  # the analysis is loaded by judging

    said = pd.Series(False, index=frame.index)
    for column, values in (("reason", judged.ASKED), ("verdict", {"keep"}), ("cause", CONDEMNING)):
        if column in frame.columns:
            text = frame[column].astype(object).map(lambda v: str(v).strip().lower())
            said |= text.isin(list(values)).to_numpy()
    return frozenset(frame.index[said.to_numpy()])


#: When a frame's rows were listed, as it says: (first, last), read first.
Window = tuple[pd.Timestamp, pd.Timestamp]


def listed_between(frame: pd.DataFrame) -> Window | None:
    """The first and last ``suppressed_at`` ``frame`` shows (None: it shows none). Only
    where the list is read first: what it says is never trusted for a row's reason."""
    if "suppressed_at" not in frame.columns:
        return None
    at = pd.to_datetime(frame["suppressed_at"], utc=True, errors="coerce").dropna()
    return (at.min(), at.max()) if len(at) else None


def read_and_check(
    groups: list[Group],
    chosen: frozenset[Hashable] = frozenset(),
    unjudged: bool = False,
    near: Window | None = None,
) -> list[dict[str, State | None]]:
    """Each group's recipient states (for the dry run to reuse); ``ValueError``, before any
    write, naming how many rows the server lists as asked, and why, and the way out: all
    such rows but those ``chosen`` (the rows the frame shows as asked, let through by
    ``"keep"``: :func:`shown_asked`). ``unjudged``: a frame no judging shows on, whose rows
    the list holds for a bounce are warned never judged (an ``EvidenceWarning``), whatever
    the frame says of them (sixteenth review, W-16b). ``near``: when the frame says its
    rows were listed (:func:`listed_between`), the list read there first."""
    read = [recipient_states(g.session, g.keys) if g.keys else {} for g in groups]
    counts: Counter[str] = Counter()
    bounces = 0  # rows the list holds for a bounce now
    shown: list[str] = []
    for group, got in zip(groups, read, strict=True):
        said = {k: s["suppression"] for k, s in got.items() if s is not None}
        joining = {k for k, state in said.items() if state == "pending addition"}
        listed = {k for k, state in said.items() if state in LISTED}
        reasons = listed_reasons(group.session, listed, near) if listed else {}
        for row, key in zip(group.rows, group.keys, strict=True):
            k = key.lower()
            why = "manual" if k in joining else reasons.get(k, UNREAD) if k in listed else None
            bounces += why == "bounce"
            if (why in judged.ASKED or why == UNREAD) and row not in chosen:
                counts[why] += 1
                if len(shown) < 5:
                    shown.append(f"{key} ({group.account or 'this account'}: {why})")
    if counts:
        raise ValueError(_message(counts, shown))
    if unjudged and bounces:
        warn(EvidenceWarning(never_judged_said(bounces)))
    return read


#: The payload of a row ``suppress`` lists again: off the list, then on as a manual add.
RELIST = {FIRST: True}


def relist_bounces(groups: list[Group], *, relist: bool = True) -> list[dict[str, State | None]]:
    """Each group's recipient states (for the dry run to reuse), the rows ``suppress``
    names that the list holds already for a bounce marked to be listed again (their
    payload :data:`RELIST`, their state's ``reason`` ``bounce``), and a warning naming them.

    The API keeps an existing suppression's reason and time (SPEC A10): a person suppressed
    by hand who was listed for a bounce stayed a bounce row, and the fix of a bounce storm
    judged before put them back (twenty-first review, W-21a). Listed again, the row is a
    manual add, which an activation refuses. ``relist=False`` keeps the bounce row, and
    warns so. A complaint or an unsubscribe is held as asked anyway; a row ``pending
    removal`` the server lists again as a manual add itself."""
    read = [states_and_reasons(g.session, g.keys) if g.keys else {} for g in groups]
    shown: list[str] = []
    n = 0
    for group, got in zip(groups, read, strict=True):
        for i, key in enumerate(group.keys):
            if (got.get(key.lower()) or {}).get("reason") != "bounce":
                continue
            n += 1
            if len(shown) < 5:
                shown.append(f"{key} ({group.account or 'this account'})")
            if relist:
                group.payloads[i] = RELIST
    if n:
        warn(UserWarning((_relisted if relist else _kept_bounce)(n, shown)))
    return read


def states_and_reasons(session: Session, keys: list[str]) -> dict[str, State | None]:
    """The recipients' states (:func:`_states_split`), each listed one (``suppressed``,
    not on its way off) with its ``reason`` on the list: what ``suppress`` reads before
    and after its write (a bounce row it lists again is done once the list shows it so).
    Not ``pending removal``: the server lists such a row again as a manual add."""
    read = _states_split(session, keys)
    listed = {k for k, s in read.items() if s is not None and s["suppression"] == "suppressed"}
    for key, reason in (listed_reasons(session, listed) if listed else {}).items():
        read[key] = {**(read[key] or {}), "reason": reason}
    return read


def _states_split(session: Session, keys: list[str]) -> dict[str, State | None]:
    """The recipients' states, read again in halves where a read is refused (a server that
    takes fewer addresses a request, an address the write will fail): a refused address
    alone reads as None, and every other is read."""
    try:
        return recipient_states(session, keys)
    except (InvalidArguments, ValueError):
        if len(keys) == 1:
            return {keys[0].lower(): None}
        half = len(keys) // 2
        return {**_states_split(session, keys[:half]), **_states_split(session, keys[half:])}


def _relisted(n: int, shown: list[str]) -> str:
    one, more = n == 1, f" (+{n - len(shown):,} more)" if n > len(shown) else ""
    return (
        f"suppress: {n:,} {'address is' if one else 'addresses are'} on the list already "
        f"for a bounce, which a later fix of a bounce storm could put back: "
        f"the write takes {'it' if one else 'them'} off and lists {'it' if one else 'them'} "
        "again as a manual add (off the list for a moment, between the two requests): "
        f"{'; '.join(shown)}{more}. relist=False keeps a bounce row as it is"
    )


def _kept_bounce(n: int, shown: list[str]) -> str:
    one, more = n == 1, f" (+{n - len(shown):,} more)" if n > len(shown) else ""
    return (
        f"suppress: {n:,} {'address is' if one else 'addresses are'} on the list already "
        f"for a bounce and, with relist=False, {'keeps' if one else 'keep'} that reason "
        f"and time (the API keeps an existing suppression's), not a manual add: "
        f"{'; '.join(shown)}{more}. A later fix of a bounce storm can put a bounce row back; "
        "suppress without relist=False lists such rows again as a manual add"
    )


def listed_reasons(
    session: Session, wanted: set[str], near: Window | None = None
) -> dict[str, str]:
    """The list's reason (lower-cased) for each of ``wanted`` (lower-cased addresses) found
    on it: the rows listed ``near`` first (where they are under half the list), then pages
    newest first, ``session.workers`` at a time, until all are found."""
    found = _reasons_near(session, wanted, near) if near is not None else {}
    if len(found) == len(wanted):
        return found
    rest = wanted - found.keys()
    count = int(session.get("suppressions/count")["count"])
    starts = list(range(0, count, PAGE))[::-1]
    return {**found, **_reasons_on(session, rest, starts, {})}


def _reasons_near(session: Session, wanted: set[str], near: Window) -> dict[str, str]:
    """The reasons of ``wanted`` among the rows listed between ``near``'s times (bounds to
    the second, the end's included), or {} where those are half the list or more."""
    bounds = {"startdate": wire(near[0].floor("s")),
              "enddate": wire(near[1].floor("s") + pd.Timedelta(seconds=1))}  # fmt: skip
    within = int(session.get("suppressions/count", **bounds)["count"])
    if not within or 2 * within >= int(session.get("suppressions/count")["count"]):
        return {}
    return _reasons_on(session, wanted, list(range(0, within, PAGE)), bounds)


def _reasons_on(
    session: Session, wanted: set[str], starts: list[int], bounds: dict[str, str | None]
) -> dict[str, str]:
    """The reasons of ``wanted`` on the pages at ``starts`` (of the rows ``bounds`` hold),
    ``session.workers`` at a time, until all are found."""
    found: dict[str, str] = {}
    wave = max(1, session.workers)

    def page(start: int) -> list[dict[str, object]]:
        answer = session.get("suppressions", startindex=start, **bounds)
        return list(answer.get("suppressions") or [])

    for first in range(0, len(starts), wave):
        for rows in session.map(page, starts[first : first + wave]):
            for row in rows:
                key = str(row.get("emailaddress", "")).lower()
                if key in wanted and key not in found:
                    found[key] = str(row.get("reasontype", "")).strip().lower()
        if len(found) == len(wanted):
            break
    return found


def _message(counts: Counter[str], shown: list[str]) -> str:
    n = sum(counts.values())
    words = {**judged.ASKED, UNREAD: "listed but not found on the list read (it moved: read again)"}
    why = ", ".join(f"{k:,} {words[w]}" for w, k in counts.most_common())
    more = f" (+{n - len(shown):,} more)" if n > len(shown) else ""
    return (
        f"activate: {n:,} {'row is' if n == 1 else 'rows are'} on the server's suppression "
        f"list now because a person asked or decided ({why}), whatever this frame says (its "
        f"reason column, its account, its verdicts): nothing was sent. They are "
        f"{'; '.join(shown)}{more}. Activate the others: read the list again "
        "(read_suppressions) and take the rows whose reason is bounce; putting back rows "
        "a person asked for is a deliberate choice, verdicts=('reactivate', 'keep') the one "
        "way, and only for rows the frame shows so (its reason, its verdict keep, its cause): "
        "a row it calls otherwise was not seen to be chosen, and is refused even then"
    )
