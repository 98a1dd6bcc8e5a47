"""Which days of the range each account's data covers, so no spike is found where it ends.

A day with no suppression is a quiet day only while the account's data goes on: the days
after its history ends (a replica, a new account, a range reaching past today) are not
zeros, and counted as zeros they lower the rolling median of the last days of data until
ordinary days look like spikes. An account's data covers the days from its first to its
last day with any suppression, bounce, complaint or sent message. Events are read anyway;
sent mail is counted day by day only where it decides: the half window beyond the first
and last day of events (a spike's baseline reaches no further). Inside that span, a period
in which the account sent nothing (its rates say so) is no baseline either: its days
without a suppression are missing, so the first day of mail after a quiet month is
judged against days of mail, not against the silence.
"""

from __future__ import annotations

import pandas as pd

from ..charts import SPIKE_WINDOW
from ..loaders import read_event_counts
from .scope import Scope

_DAY = pd.Timedelta(days=1)
_HALF = pd.Timedelta(days=SPIKE_WINDOW // 2)


def event_spans(
    counts: pd.DataFrame, lists: list[tuple[pd.DataFrame, str]]
) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """Each account's first and last day with a suppression or an event of ``lists``
    (``(frame, time column)``, frames with ``account``), lower-cased names as keys."""
    days: list[pd.DataFrame] = [
        pd.DataFrame({"account": counts["account"].astype(str).str.lower(), "day": counts.index})[
            (counts["count"].fillna(0) > 0).to_numpy()
        ]
    ]
    for frame, column in lists:
        if len(frame):
            days.append(
                pd.DataFrame(
                    {
                        "account": frame["account"].astype(str).str.lower().to_numpy(),
                        "day": frame[column].dt.floor("D").to_numpy(),
                    }
                )
            )
    every = pd.concat(days, ignore_index=True).dropna()
    if every.empty:
        return {}
    span = every.groupby("account")["day"].agg(["min", "max"])
    return {str(a): (pd.Timestamp(r["min"]), pd.Timestamp(r["max"])) for a, r in span.iterrows()}


def mail_spans(
    spans: dict[str, tuple[pd.Timestamp, pd.Timestamp]],
    start: pd.Timestamp,
    end: pd.Timestamp,
    scope: Scope,
    names: list[str],
) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """``spans`` widened by the days with sent mail just outside them (one daily count of
    sent mail over the half window before and after the events, inside the range)."""
    own = scope.accounts is None
    wanted = [n for n in names if n.lower() in spans]
    out = dict(spans)
    edges = {
        edge: {
            n: w for n in wanted if (w := _window(spans[n.lower()], edge, start, end)) is not None
        }
        for edge in ("first", "last")
    }
    scope.split(sum(1 for windows in edges.values() if windows))  # one read an edge
    for windows in edges.values():
        if not windows:
            continue
        lo = min(w[0] for w in windows.values()).floor("D")
        hi = max(w[1] for w in windows.values()).ceil("D")
        sent = read_event_counts(
            "sent", lo, hi, freq="D", session=scope.session, progress=scope.progress,
            accounts=None if own else list(windows),
        )  # fmt: skip
        for name, (a, b) in windows.items():
            mine = sent if own else sent[sent["account"].astype(str) == name]
            days = mine.index[(mine.index >= a) & (mine.index < b) & (mine["count"] > 0)]
            if len(days):
                first, last = out[name.lower()]
                out[name.lower()] = (min(first, days.min()), max(last, days.max()))
    return out


def _window(
    span: tuple[pd.Timestamp, pd.Timestamp], edge: str, start: pd.Timestamp, end: pd.Timestamp
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The days, inside the range, whose sent mail could widen ``span`` at ``edge``."""
    first, last = span
    if edge == "first":
        a, b = max(start.floor("D"), first - _HALF), first
    else:
        a, b = last + _DAY, min(end, last + _DAY + _HALF)
    return (a, b) if a < b else None


def without_mail(rates: pd.DataFrame) -> dict[str, list[tuple[pd.Timestamp, pd.Timestamp]]]:
    """The periods in which each account sent nothing (lower-cased names as keys), from the
    per-account rows of the report's rates."""
    if rates.empty:
        return {}
    mine = rates[(rates["by"] == "account") & (rates["sent"].fillna(0) == 0)]
    out: dict[str, list[tuple[pd.Timestamp, pd.Timestamp]]] = {}
    for row in mine.itertuples(index=False):
        out.setdefault(str(row.account).lower(), []).append(
            (pd.Timestamp(str(row.start)), pd.Timestamp(str(row.end)))
        )
    return out


def masked(
    counts: pd.DataFrame,
    spans: dict[str, tuple[pd.Timestamp, pd.Timestamp]],
    quiet: dict[str, list[tuple[pd.Timestamp, pd.Timestamp]]],
) -> pd.DataFrame:
    """Daily suppressions, a column per account, missing outside the account's span and on
    the days without a suppression of periods without mail."""
    long = counts.rename_axis("start").reset_index()
    table = long.pivot_table(
        index="start", columns="account", values="count", aggfunc="sum", observed=True
    ).astype("float64")
    for account in table.columns:
        span = spans.get(str(account).lower())
        if span is None:
            table[account] = float("nan")
            continue
        outside = (table.index < span[0]) | (table.index > span[1])
        for a, b in quiet.get(str(account).lower(), []):
            outside |= (table.index >= a) & (table.index < b) & (table[account] == 0).to_numpy()
        table.loc[outside, account] = float("nan")
    return table
