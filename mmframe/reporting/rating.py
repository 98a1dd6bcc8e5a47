"""The report's rates: per account, and per domain, sender and X-header value (each
account's top ones by complaints and bounces), counted once.

Only sent and delivered cost count requests: complaints and bounces are counted in their
lists, which the report reads anyway (a list and its count agree exactly).
"""

from __future__ import annotations

import threading

import pandas as pd

from ..analysis.rates import add_rates
from ..dates import whole_periods
from ..loaders import read_xheaders
from ..loaders.queries import MAX_FILTER_CHARS
from ..loaders.rates import rates_of
from ..xheader_names import xheader_column
from . import findings as judge
from .counting import numerators
from .numbers import count, plural
from .scope import Scope

#: The reports counted per group and period: the denominators. Complaints and bounces are
#: counted in their lists, read once (no opens or clicks: the report judges neither).
_COUNTED = ("sent", "delivered")
#: Domains (senders, X-header values) rated per account whatever their counts: the ones
#: with the most complaints and bounces.
TOP_DOMAINS = 5
#: The most rated per account: the top ones, then every other with enough complaints or
#: bounces to be judged (each costs two counts a period); any left over is said.
MOST_RATED = 25


#: One read of rates: (by, the frame's column, the values to rate or None for the top
#: ones, the accounts to read or None for the scope's).
Scan = tuple[str, str, list[str] | None, list[str] | None]


def rates_for(
    start: pd.Timestamp,
    end: pd.Timestamp,
    freq: str,
    as_of: pd.Timestamp,
    scope: Scope,
    lists: pd.DataFrame,
    names: list[str],
    notes: list[str],
    *,
    counted: bool = False,
) -> pd.DataFrame:
    """Rates per account, and per domain, sender and X-header value (each account's top
    ones by complaints and bounces), in one frame with ``by``/``group``; what could not be
    rated is said in ``notes``. Sent and delivered are :func:`~mmframe.read_rates`' counts,
    the numerators are counted in ``lists``, and the rates computed once, from both; with
    ``counted`` (``lists`` are not whole: the server lists only its latest rows) the
    numerators are counted by the API too. The three steps, :func:`scans_for`,
    :func:`read_scans` and :func:`combined`, may also be taken apart (the report reads the
    per-account scan first, and the others while it judges the spikes)."""
    scans = scans_for(scope, lists, names, notes)
    read = read_scans(scans, start, end, freq, as_of, scope, lists, counted=counted)
    return combined(read, freq, as_of)


def scans_for(scope: Scope, lists: pd.DataFrame, names: list[str], notes: list[str]) -> list[Scan]:
    """The reads of rates a report makes, the per-account one first; the scope's bar is
    declared to be that many reads. What cannot be rated is said in ``notes``."""
    lists = lists.reset_index(drop=True)
    scans: list[Scan] = [("account", "account", None, None)]
    headers = _headers(scope)
    # Each account's own top values: a sender or campaign belongs to one account, so rating
    # it in every account would cost requests for counts of zero.
    for name in names:
        mine = lists[lists["account"].astype(str) == name]
        who = [name] if scope.accounts else None
        for by in ("domain", "sender"):
            scans.append((by, by, _top(mine, by, by, notes), who))
        for header, column, owners in headers:
            if name in owners or not scope.accounts:
                scans.append((header, column, _top(mine, column, header, notes), who))
    scans = [scan for scan in scans if scan[2] is None or scan[2]]  # none to rate: no read
    scope.split(len(scans))  # one read a scan
    return scans


def read_scans(
    scans: list[Scan],
    start: pd.Timestamp,
    end: pd.Timestamp,
    freq: str,
    as_of: pd.Timestamp,
    scope: Scope,
    lists: pd.DataFrame,
    *,
    counted: bool = False,
    stop: threading.Event | None = None,
) -> list[pd.DataFrame]:
    """Each scan's counts, with ``by`` and ``group`` and (unless ``counted``: the API
    counted them) the numerators counted in ``lists``. Once ``stop`` is set (the report
    failed meanwhile), no other scan is read: :class:`Stopped`."""
    lists = lists.reset_index(drop=True)
    frames = []
    tallied: dict[tuple[object, ...], pd.DataFrame] = {}  # the lists tallied once a column
    kinds = (*_COUNTED, "bounces", "complaints") if counted else _COUNTED
    for by, column, chosen, accounts in scans:
        if stop is not None and stop.is_set():
            raise Stopped("the report stopped: its other reads are not made")
        part = rates_of(
            start, end, freq=freq, by=by, values=chosen, top=TOP_DOMAINS, kinds=kinds,
            options={**scope.options(accounts), "as_of": as_of}, rated=False,
        )  # fmt: skip
        group = part[column].astype(str) if by != "account" else ""
        part = scope.framed(part).assign(by=by, group=group)
        if not counted:
            part = numerators(part, lists, column if by != "account" else None, tallied)
        frames.append(part)
    return frames


class Stopped(Exception):
    """Scans left unread: the report they were read for stopped (see :func:`read_scans`)."""


def combined(frames: list[pd.DataFrame], freq: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """The scans' frames as one, their rates computed."""
    rates = add_rates(pd.concat(frames, ignore_index=True), as_of)
    # Whole: the range covers the period entirely and it is over (a week the range's start
    # or end cuts holds fewer days; its counts are not a week's): every label reads this.
    rates["whole"] = whole_periods(rates["start"], rates["end"], freq).to_numpy() & rates[
        "is_complete"
    ].fillna(True).to_numpy(dtype=bool)
    # ``by`` and ``group`` last, where they stood when the rates were computed per scan.
    return rates[[c for c in rates.columns if c not in ("by", "group")] + ["by", "group"]]


def _top(rows: pd.DataFrame, column: str, name: str, notes: list[str]) -> list[str]:
    """The values of ``column`` to rate: the :data:`TOP_DOMAINS` with the most complaints
    and bounces, and every other with enough of either to be judged (a small domain at 4 %
    has fewer bounces than a large one at 1.5 %), at most :data:`MOST_RATED`; none for a
    column of identifiers (most values once: a message id, not a group). What cannot be
    rated (past the most, or longer than the API's filters take) ``notes`` says."""
    if column not in rows.columns:
        return []
    kept = rows[column].notna() & (rows[column].astype(str) != "")
    values = rows.loc[kept, column].astype(str)
    counts = values.value_counts()
    if not len(counts) or judge.identifiers(counts):
        return []
    complained = rows.loc[kept, "bounce_type"].isna() if "bounce_type" in rows else None
    judgeable = _judgeable(values, complained)
    wanted = [str(v) for v in counts.index if v in judgeable or v in counts.index[:TOP_DOMAINS]]
    top, left = wanted[:MOST_RATED], wanted[MOST_RATED:]
    account = str(rows["account"].iloc[0])
    if left:
        notes.append(
            f"{plural(len(left), 'other value')} of {name} at {account} with enough "
            f"complaints or bounces to judge ({count(int(counts[left].sum()))} of its "
            f"{count(int(counts.sum()))}) {'was' if len(left) == 1 else 'were'} not rated: "
            f"the report rates the {MOST_RATED} with the most."
        )
    long = [v for v in top if len(v) > MAX_FILTER_CHARS]
    if long:
        notes.append(
            f"{plural(len(long), 'value')} of {name} at {account} "
            f"({count(int(counts[long].sum()))} complaints and bounces) "
            f"{'is' if len(long) == 1 else 'are'} longer than the API can filter by "
            f"({MAX_FILTER_CHARS} characters): not rated."
        )
    return [v for v in top if len(v) <= MAX_FILTER_CHARS]


def _judgeable(values: pd.Series, complained: pd.Series | None) -> set[str]:
    """The values with enough complaints or bounces over the range to be judged."""
    if complained is None:
        return set()
    complaints = values[complained.to_numpy()].value_counts()
    bounces = values[~complained.to_numpy()].value_counts()
    return {str(v) for v in complaints.index[complaints >= judge.MIN_COMPLAINTS]} | {
        str(v) for v in bounces.index[bounces >= judge.MIN_BOUNCES]
    }


def _headers(scope: Scope) -> list[tuple[str, str, list[str]]]:
    """``(name, column, accounts reporting on it)`` of each X-header the accounts use."""
    names = read_xheaders(session=scope.session, accounts=scope.accounts, progress=False)
    found: dict[str, tuple[str, list[str]]] = {}
    for row in names.itertuples(index=False):
        for slot in ("xheader1", "xheader2", "xheader3", "xheader4"):
            name = getattr(row, slot)
            if isinstance(name, str) and name:
                column = xheader_column(name)
                found.setdefault(column, (name, []))[1].append(str(row.account))
    return [(name, column, owners) for column, (name, owners) in found.items()]
