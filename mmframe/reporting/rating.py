"""The report's rates: per account, and per domain, sender and X-header value (each
account's top ones by complaints and bounces), counted once.

Only sent and delivered cost count requests: complaints and bounces are counted in their
lists, which the report reads anyway (a list and its count agree exactly).
"""

from __future__ import annotations

import pandas as pd

from ..analysis.rates import add_rates
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
#: Domains rated per account: the ones with the most complaints and bounces.
TOP_DOMAINS = 5


def rates_for(
    start: pd.Timestamp,
    end: pd.Timestamp,
    freq: str,
    as_of: pd.Timestamp,
    scope: Scope,
    lists: pd.DataFrame,
    names: list[str],
    notes: list[str],
) -> pd.DataFrame:
    """Rates per account, and per domain, sender and X-header value (each account's top
    ones by complaints and bounces), in one frame with ``by``/``group``; what could not be
    rated is said in ``notes``. Sent and delivered are :func:`~mmframe.read_rates`' counts,
    the numerators are counted in ``lists``, and the rates computed once, from both."""
    lists = lists.reset_index(drop=True)
    scans: list[tuple[str, str, list[str] | None, list[str] | None]] = [
        ("account", "account", None, None)
    ]
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
    frames = []
    for by, column, chosen, accounts in scans:
        if chosen is not None and not chosen:
            continue
        counted = rates_of(
            start, end, freq=freq, by=by, values=chosen, top=TOP_DOMAINS, kinds=_COUNTED,
            options={**scope.options(accounts), "as_of": as_of}, rated=False,
        )  # fmt: skip
        group = counted[column].astype(str) if by != "account" else ""
        counted = scope.framed(counted).assign(by=by, group=group)
        frames.append(numerators(counted, lists, column if by != "account" else None))
    rates = add_rates(pd.concat(frames, ignore_index=True), as_of)
    # ``by`` and ``group`` last, where they stood when the rates were computed per scan.
    return rates[[c for c in rates.columns if c not in ("by", "group")] + ["by", "group"]]


def _top(rows: pd.DataFrame, column: str, name: str, notes: list[str]) -> list[str]:
    """The :data:`TOP_DOMAINS` values of ``column`` with the most complaints and bounces;
    none for a column of identifiers (most values once: a message id, not a group). A
    value longer than the API's filters take cannot be rated: ``notes`` says so."""
    if column not in rows.columns:
        return []
    values = rows[column].dropna().astype(str)
    counts = values[values != ""].value_counts()
    if not len(counts) or judge.identifiers(counts):
        return []
    top = [str(v) for v in counts.index[:TOP_DOMAINS]]
    long = [v for v in top if len(v) > MAX_FILTER_CHARS]
    if long:
        account = str(rows["account"].iloc[0])
        notes.append(
            f"{plural(len(long), 'value')} of {name} at {account} "
            f"({count(int(counts[long].sum()))} complaints and bounces) "
            f"{'is' if len(long) == 1 else 'are'} longer than the API can filter by "
            f"({MAX_FILTER_CHARS} characters): not rated."
        )
    return [v for v in top if len(v) <= MAX_FILTER_CHARS]


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
