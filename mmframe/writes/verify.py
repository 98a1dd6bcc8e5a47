"""The last stop of a write (``verify=``): read the state again, fail the rows the server
does not show, and withdraw them from the journal so that a later run sends them again.

The server's reads may lag its writes ("several minutes", say Dyn's pages), so a row
counts as reached when the server shows its state or a pending state leading to it.
"""

from __future__ import annotations

from .model import Group, Rows
from .states import reached


def verify(rows: Rows) -> None:
    """Fail the rows sent whose state the server does not show ``verify_timeout`` s after
    the write; withdraw them from the journal."""
    missed = _unreached(rows, timeout=rows.options.verify_timeout)
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


def _unreached(rows: Rows, *, timeout: float) -> list[Group]:
    """Fail the rows sent that never reached their state; return them, by account.

    A row is done once the server shows its state or a pending one leading to it (the
    write's ``reached``); the others are read again after each wait of :func:`_waits`.
    """
    result = rows.result
    sent = set(result.index[result["status"] == "ok"])
    waiting = [group.keep(sent.__contains__) for group in rows.groups]
    waited = 0.0
    for wait in [0.0, *_waits(timeout)]:
        if wait:
            rows.session.pause(wait)  # the server's reads may lag its writes (SPEC A15)
            waited += wait
        missing = {row for row, ok in reached(waiting, rows.write).items() if not ok}
        waiting = [group.keep(missing.__contains__) for group in waiting]
        if not any(group.rows for group in waiting):
            return []
    missed = [row for group in waiting for row in group.rows]
    result.loc[missed, "status"] = "failed"
    result.loc[missed, "error"] = f"state unchanged {waited:g} s after the write (verify)"
    return waiting
