"""The deliverability report of any account: every finding computed from the evidence.

:func:`report` reads (:mod:`.evidence`), judges (:mod:`.findings`) and lays out
(:mod:`.render`, a Jinja2 template) one self-contained HTML page. ``mmframe report`` runs it
on any endpoint; ``mmframe demo`` runs it on the embedded emulator's demo seed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from ..client import Session, resolve
from ..client.checks import CacheSetting
from ..dates import DateLike, after_now, now_utc, to_utc
from ..errors import RequestBudgetError
from ..options import Accounts
from ..out_folder import prepare_folder
from ..progress import Show
from .evidence import Evidence, gather
from .findings import Finding
from .numbers import moment, plural
from .plans import chart_notes, chart_plans, charts_left_out
from .render import charts, write

__all__ = ["Evidence", "Finding", "Section", "build", "default_range", "report"]

#: The range ``mmframe report`` covers when none is given.
DEFAULT_DAYS = 90


@dataclass
class Section:
    """A section after the findings (what a run did, such as an applied fix)."""

    title: str
    text: str
    table: dict[str, Any] | None = None


def default_range(
    start: DateLike | None, end: DateLike | None, as_of: pd.Timestamp
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``[start, end)`` in UTC: by default the 90 days up to the end of ``as_of``'s day."""
    stop = to_utc(end, "end") or as_of.floor("D") + pd.Timedelta(days=1)
    first = to_utc(start, "start") or stop - pd.Timedelta(days=DEFAULT_DAYS)
    if first >= stop:
        raise ValueError(f"empty range: start {first:%Y-%m-%d} is not before end {stop:%Y-%m-%d}")
    return first, stop


def build(
    session: Session,
    out: Path,
    start: DateLike = None,
    end: DateLike = None,
    *,
    accounts: Accounts = None,
    as_of: DateLike = None,
    progress: Show = None,
    title: str = "Deliverability report",
    then: Callable[[Evidence], list[Section]] | None = None,
    stream: TextIO | None = None,
    cache: CacheSetting = None,
    forks: bool = False,
) -> tuple[Evidence, Path]:
    """Read, judge and write the report; return its evidence and the page's path.

    ``then(evidence)``, when given, runs after the findings and before the page is
    written; the sections it returns follow the findings (the demo's applied fix).
    ``forks``: the charts are drawn on two cores, half in a forked child (the command's
    choice: see :mod:`.two_cores`).
    """
    now = _not_after_now(as_of)
    first, stop = default_range(start, end, now)
    if as_of is None and now.floor("s") <= first:  # whole seconds: start="now" is this one
        raise ValueError(f"empty range: start={start!r} is not before now ({moment(now)})")
    if now <= first:
        raise ValueError(
            f"as_of {moment(now)} is not after the range's start {moment(first)}: nothing "
            "had happened yet"
        )
    # Nothing has happened after now: the range ends there, and an end asked for later is
    # said to be cut (thirty-first review, 4: 64 days read of 90, without a word).
    cut = _cut(end, stop, now)
    stop = min(stop, now)
    say = stream if stream is not None else (None if progress is False else sys.stderr)
    prepare_folder(out)
    _say(f"reading {moment(first)} to {moment(stop)}{f' ({cut})' if cut else ''} ...", say)
    try:
        evidence = gather(
            session, first, stop, accounts=accounts, as_of=now, progress=progress, cache=cache
        )
    except RequestBudgetError as exc:  # its remedy, max_requests=, is no argument of ours
        raise _over_budget(exc) from None
    evidence.cut = cut
    _say(f"{plural(len(evidence.findings), 'finding')}; writing the report ...", say)
    extra = then(evidence) if then is not None else []
    drawn = charts(chart_plans(evidence), out, fork=forks)
    notes = chart_notes(evidence)
    for made in drawn:
        made.note = notes.get(made.name, "")
    path = write(evidence, drawn, out, title=title, extra=extra, instead=charts_left_out(evidence))
    return evidence, path


def _cut(end: DateLike, stop: pd.Timestamp, now: pd.Timestamp) -> str:
    """Where an ``end`` given (not the default) is after ``now``, the report's moment, in
    words: the range ends at ``now``; "" otherwise."""
    if end is None or stop <= now:
        return ""
    return (
        f"the end asked for, {moment(stop)}, is after the moment the report is as of, "
        f"{moment(now)}: the range ends there"
    )


def _over_budget(exc: RequestBudgetError) -> RequestBudgetError:
    """A report's read over its budget, told with the report's remedy: a shorter range."""
    return RequestBudgetError(
        f"this report plans at least {exc.planned:,} requests ({exc.what}), over the "
        f"{exc.max_requests:,} one read may send: narrow the range (a later start=)",
        planned=exc.planned,
        max_requests=exc.max_requests,
        what=exc.what,
    )


def _not_after_now(as_of: DateLike) -> pd.Timestamp:
    """The moment the report is as of: ``as_of``, or now. A moment still to come is refused:
    the page would claim data up to it and call the period running at it whole."""
    stamp = to_utc(as_of, "as_of")
    later = after_now(stamp)
    if later is not None:
        raise ValueError(
            f"as_of={as_of!r} is after now ({later:%Y-%m-%d %H:%M} UTC): nothing after now "
            "has happened yet; pass a moment up to now, or as_of=None for now"
        )
    return now_utc(stamp)


def _say(line: str, stream: TextIO | None) -> None:
    if stream is not None:
        print(line, file=stream, flush=True)


def report(
    start: DateLike = None,
    end: DateLike = None,
    *,
    out: str | Path = "mmframe-report",
    # The shared options (mmframe.options), each as every read takes it (a test holds them).
    accounts: Accounts = None,
    as_of: DateLike = None,
    session: Session | None = None,
    progress: Show = None,
    cache: CacheSetting = None,
) -> Path:
    """Write the deliverability report of the accounts a key sees; return its path.

    Every incident the data holds, ranked: suppression spikes (explained by what the
    receiving servers said, with the verdicts of :func:`mmframe.remediation_candidates`
    and a dry run of the fix), complaint rates over Gmail's 0.1 % aim or the 0.3 % limit
    and bounce rates over 2 %, by account and recipient domain. Where nothing is wrong it
    says so, and what it checked.

    Parameters
    ----------
    start, end
        The range (default: the 90 days up to the end of today, UTC), read up to now.
    out
        The folder for ``report.html`` and its charts as PNG.
    accounts
        A username or usernames (without case, as the API compares); ``"all"`` or None
        (the default): every account a master key sees, or a sub-account key's own ("this
        key's account", or the one username given). ``KeyError`` for an unknown one.
    as_of
        The moment to report as of, at most now (a later one is a ``ValueError``): nothing
        later is read, a period running on is partial.
    session
        The session (default: the one :func:`mmframe.connect` made).
    progress
        Progress bars: on, off, auto (a terminal or notebook), or your own; False is silent.
    cache
        The lists' cache (True, a folder, False; None: the session's; see mmframe.cache).

    Returns
    -------
    pathlib.Path
        The report's path.

    Examples
    --------
    >>> import tempfile
    >>> import mmframe as mm
    >>> from mmframe.emulator import Emulator
    >>> with Emulator(seed="empty") as emulator:
    ...     with mm.Session(emulator.url, emulator.master_apikey) as session:
    ...         path = mm.report("2026-01-01", "2026-02-01", out=tempfile.mkdtemp(),
    ...                          session=session, progress=False)
    >>> "No data in this range" in path.read_text()
    True
    """
    return build(
        resolve(session), Path(out), start, end, accounts=accounts, as_of=as_of,
        progress=progress, cache=cache)[1]  # fmt: skip
