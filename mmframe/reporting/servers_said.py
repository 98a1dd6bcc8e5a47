"""What the receiving servers said on a spike's day: the bounces of the part of the day
judged, their most common kind (:mod:`.cause_words`) with its codes and an example, and,
where the server counts more of them than it lists (:mod:`.retention`), what it counts and
from when it lists them (a day no longer listed is not a day without bounces)."""

from __future__ import annotations

import pandas as pd

from .cause_words import bounce_kinds, words
from .finding import and_
from .numbers import clock, count, isolate, moment, plural
from .retention import Listing, from_words


def servers_said(
    bounces: pd.DataFrame,
    day: pd.Timestamp,
    rows: pd.DataFrame,
    *,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
    listing: Listing | None = None,
) -> str:
    """What the receiving servers said that day, most common first, with its codes, and how
    many of those bounces ended in one of the day's suppressions: over the part of the day
    whose suppressions are judged (from ``since``, the range's start inside it, to
    ``until``), so that every figure is of the same hours; where the server counts more
    of them than it lists (``listing``), what it counts and from when it lists them."""
    frm, to = _judged_part(day, since, until)
    part = _part_words(day, frm, to)
    at = bounces["bounced_at"] if len(bounces) else None
    that_day = bounces[(at >= frm) & (at < to)] if at is not None else bounces
    counted = listing.counted if listing is not None else None
    gone = listing.bounces if listing is not None and (counted or 0) > len(that_day) else None
    if not len(that_day):
        if gone is not None:
            return (
                f"The server counts {plural(counted, 'bounce')} that day{part} but no longer "
                f"lists them ({from_words('bounces', gone)}): what the servers said of these "
                "cannot be read."
            )
        return f"No bounce was reported that day{part}: the servers said nothing about these."
    kind = bounce_kinds(that_day).astype(str)
    first = str(kind.value_counts().index[0])
    example = that_day.loc[(kind == first).to_numpy()]
    silent = int((that_day["decided_by"].astype(str) == "none").sum())
    listed = example["email"].str.lower().isin(rows["email"].str.lower())
    gave = f"The receiving servers gave {plural(len(that_day), 'bounce')} that day{part}; the most"
    if gone is not None:
        gave = (
            f"The server counts {plural(counted, 'bounce')} that day{part} and lists the "
            f"{count(len(that_day))} from {moment(gone)}; of those, the most"
        )
    text = (
        f"{gave} common kind, in {count(len(example))} ({_codes(example['status'])}): "
        f"addresses {words(first)}; {count(int(listed.sum()))} of them ended in one of these "
        "suppressions."
    )
    # Right after "N of them ended in one of these suppressions": one of those N.
    text += _quote(example[listed.to_numpy()])
    if silent:
        text += f" {count(silent)} said nothing the triage could read a reason from."
    return text + _soft_suppressed(that_day, rows)


def _quote(suppressing: pd.DataFrame) -> str:
    """`` One of them said: "..."``: a bounce of the kind that ended in one of the day's
    suppressions, of their most common code (a storm's own words, not a stray of its kind,
    never a bounce that suppressed nothing: twelfth review, R1); nothing when none did."""
    if not len(suppressing) or "message" not in suppressing.columns:
        return ""
    codes = suppressing["status"].astype(object).fillna("").astype(str)
    typical = suppressing[(codes == codes.value_counts().index[0]).to_numpy()]
    sample = str(typical["message"].iloc[0])
    if not sample:
        return ""
    return f' One of them said: "{isolate(sample[:200])}{"..." if len(sample) > 200 else ""}"'


def _soft_suppressed(that_day: pd.DataFrame, rows: pd.DataFrame) -> str:
    """Where suppressions followed soft bounces (the API's ``bounce_type``), that the bounce
    handling suppressed temporary failures: a storm of them is its doing, and the next
    deferral suppresses again until it is fixed. Each address by its last bounce that day;
    nothing where the API gave no type."""
    if "bounce_type" not in that_day.columns or not len(rows):
        return ""
    emails = that_day["email"].astype(str).str.lower()
    last = that_day.assign(_e=emails).sort_values("bounced_at").groupby("_e").last()
    last = last[last.index.isin(rows["email"].astype(str).str.lower())]
    soft = int((last["bounce_type"].astype(str).str.lower() == "soft").sum())
    if not soft:
        return ""
    return (
        f" {count(soft)} of the {plural(len(last), 'suppression')} that followed a bounce that "
        "day followed a soft bounce (as the API typed them: a temporary failure): the "
        "account's bounce handling suppressed temporary failures, which are retried, not "
        "suppressed; until that is fixed, the next deferral suppresses again."
    )


def _judged_part(
    day: pd.Timestamp, since: pd.Timestamp | None, until: pd.Timestamp | None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``[from, to)``: the part of ``day`` whose suppressions are judged."""
    end = day + pd.Timedelta(days=1)
    return (day if since is None else since), (end if until is None else min(until, end))


def _part_words(day: pd.Timestamp, frm: pd.Timestamp, to: pd.Timestamp) -> str:
    """`` from 13:40 UTC``, `` until 13:02 UTC``, both, or nothing for the whole day."""
    starts, ends = frm > day, to < day + pd.Timedelta(days=1)
    if starts and ends:
        return f" from {clock(frm)} to {clock(to)} UTC"
    if starts or ends:
        return f" {'from' if starts else 'until'} {clock(frm if starts else to)} UTC"
    return ""


def _codes(status: pd.Series) -> str:
    """``all status 5.1.1``, or each status code with its count (``status 5.1.1 in 18,
    5.7.1 in 5 and 5.4.1 in 2``): one code is named alone only when every bounce gave it."""
    codes = status.astype(object).fillna("").astype(str).value_counts()
    named = codes[codes.index != ""]
    if not len(named):
        return "no status code"
    if len(codes) == 1:
        return f"all status {named.index[0]}"
    shown = len(named) if len(named) <= 4 else 3  # "1 other code" would hide no more
    parts = [f"{code} in {count(n)}" for code, n in named.head(shown).items()]
    if len(named) > shown:
        parts.append(f"{plural(len(named) - 3, 'other code')} in {count(named.iloc[3:].sum())}")
    if "" in codes.index:
        parts.append(f"no status code in {count(codes[''])}")
    return "status " + and_(parts)
