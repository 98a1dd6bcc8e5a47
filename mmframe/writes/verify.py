"""The last stop of a write (``verify=``): read the state again, fail the rows the server
does not show, and withdraw them from the journal so that a later run sends them again.

The server's reads may lag its writes ("several minutes", say Dyn's pages), so a row
counts as reached when the server shows its state or a pending state leading to it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ..progress import bar
from .model import FIRST, Group, Rows
from .states import reached, suppressed


def verify(rows: Rows, *, every: bool = True) -> None:
    """Fail the rows sent whose state the server does not show ``verify_timeout`` s after
    the write; withdraw them from the journal. Not ``every``: only the rows sent in two
    steps (a bounce row ``suppress`` lists again is not done while the list shows the
    bounce: a fix of a storm run meanwhile puts it back, twenty-second review)."""
    missed = _unreached(rows, timeout=rows.options.verify_timeout, every=every)
    if rows.journal is not None:
        for group in missed:
            if group.keys:
                rows.journal.withdraw(group.account, list(group.keys), "failed verify")


def _waits(timeout: float) -> list[float]:
    """The waits between verify's reads: 1, 2, 4 ... 30 s, adding up to ``timeout``.

    Short at first, as a write usually shows at once or soon; then every 30 s, so a
    server that takes minutes is read a few times a minute, not hammered.
    """
    steps: list[float] = []
    left, step = float(timeout), 1.0
    while left > 0:
        steps.append(min(step, left))
        left -= steps[-1]
        step = min(step * 2, 30.0)
    return steps


def _unreached(rows: Rows, *, timeout: float, every: bool = True) -> list[Group]:
    """Fail the rows sent that never reached their state; return them, by account.

    A row is done once the server shows its state or a pending one leading to it (the
    write's ``reached``); the others are read again after each wait of :func:`_waits`,
    a bar counting them. Not ``every``: only the rows sent in two steps (their payload
    holds ``FIRST``).
    """
    result = rows.result
    sent = set(result.index[result["status"] == "ok"])
    if not every:
        sent &= _two_steps(rows.groups)
    if not sent:
        return []
    waiting = _missing(rows, [group.keep(sent.__contains__) for group in rows.groups])
    left, waited = _count(waiting), 0.0
    if not left:
        return []
    with _waiting_bar(rows, left) as shown:
        for wait in _waits(timeout):
            rows.session.pause(wait)  # the server's reads may lag its writes (SPEC A15)
            waited += wait
            waiting = _missing(rows, waiting)
            shown.update(left - _count(waiting))
            left = _count(waiting)
            if not left:
                return []
    _fail(rows, waiting, waited)
    return waiting


def _missing(rows: Rows, groups: list[Group]) -> list[Group]:
    """The rows of ``groups`` whose state the server does not show (one read a batch)."""
    missing = {row for row, ok in reached(groups, rows.write).items() if not ok}
    return [group.keep(missing.__contains__) for group in groups]


def _count(groups: list[Group]) -> int:
    return sum(len(group.rows) for group in groups)


def _two_steps(groups: list[Group]) -> set[Hashable]:
    """The rows sent in two steps (their payload holds ``FIRST``)."""
    return {
        row
        for group in groups
        for row, payload in zip(group.rows, group.payloads, strict=True)
        if payload.get(FIRST)
    }


def _fail(rows: Rows, waiting: list[Group], waited: float) -> None:
    """Fail the rows still ``waiting``, saying how long the server did not show them."""
    missed = [row for group in waiting for row in group.rows]
    first, two_steps = rows.write.operation.first, _two_steps(waiting)
    gone = _off(rows, waiting, two_steps) if first is not None else set()
    rows.result.loc[missed, "status"] = "failed"
    rows.result.loc[missed, "error"] = [
        (first.gone if row in gone else first.unshown).format(waited=waited)
        if first is not None and row in two_steps
        else f"state unchanged {waited:g} s after the write (verify)"
        for row in missed
    ]


def _off(rows: Rows, waiting: list[Group], among: set[Hashable]) -> set[Hashable]:
    """The rows of ``among`` the server shows off the list (or leaving it) now: a relisting
    another client undid (twenty-third review, W1), not one still to show."""
    off: set[Hashable] = set()
    for group in waiting:
        mine = group.keep(among.__contains__)
        if not mine.keys:
            continue
        read = rows.write.reader(mine.session, mine.keys)
        off |= {
            row
            for row, key in zip(mine.rows, mine.keys, strict=True)
            if not suppressed(read.get(key.lower()))
        }
    return off


def _waiting_bar(rows: Rows, total: int) -> Any:
    """The bar of verify's waits: the rows the server shows, of those it did not at once."""
    what = f"{rows.write.operation.name}: waiting for the server to show the write"
    return bar(what, total=total, unit="row", progress=rows.options.progress)
