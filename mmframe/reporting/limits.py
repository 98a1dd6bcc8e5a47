"""What the report could not judge, in words: a quiet page must not read as a clean one.

A range too short for a usual day leaves spikes unjudged; more bounces than messages sent
(or complaints than deliveries) means part of them are about mail sent before the range,
so no rate can be computed from it. Each is said, with the figures, where the report would
otherwise say "nothing wrong". So is whatever the page shows that no finding tells: a spike
the suppressions chart marks, an account the headline shows over a line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from ..analysis.rates import SPAM_RATE_LIMIT
from ..charts import SPIKE_WINDOW, least_days, trend_spikes
from ..spike_marks import usual_day
from . import coverage
from .counting import active
from .finding import BOUNCE_RATE_LINE, MIN_BOUNCES, MIN_COMPLAINTS, and_
from .group_names import where
from .headline import COUNTED, previous_range, rate_of, rate_shown, totals
from .numbers import count, duration, moment, plural

if TYPE_CHECKING:
    from .evidence import Evidence


def unjudged(evidence: Evidence) -> list[str]:
    """Sentences on what could not be judged in ``evidence``'s range ([] when all could)."""
    said: list[str] = []
    least = least_days(SPIKE_WINDOW)
    if evidence.end - evidence.start < pd.Timedelta(days=least):
        said.append(
            f"The range is too short to judge spikes: a usual day is measured over at least "
            f"{count(least)} days of data, and this range is "
            f"{duration(evidence.start, evidence.end)}."
        )
    else:
        said += thin(evidence, least)
    said += unmarked(evidence)
    said += unsent(evidence)
    rates = evidence.rates
    if rates.empty:
        return said
    said += over_unfound(evidence)
    mine = rates[rates["by"] == "account"]
    counted = ["sent", "delivered", "hard_bounces", "soft_bounces", "complaints"]
    totals = mine.groupby("account", observed=True)[counted].sum(min_count=1).fillna(0)
    before, since = _before(evidence), previous_range(evidence.start, evidence.end)[0]
    for account, row in totals.iterrows():
        now = Counted(int(row["hard_bounces"] + row["soft_bounces"]), int(row["sent"]))
        was = _counted(before, str(account), "bounces", "sent")
        said += _unrated(str(account), now, was, since, ("bounces", "sent", "bounce"))
        now = Counted(int(row["complaints"]), int(row["delivered"]))
        was = _counted(before, str(account), "complaints", "delivered")
        said += _unrated(str(account), now, was, since, ("complaints", "delivered", "complaint"))
    return said + unrated_groups(rates, before)


def thin(evidence: Evidence, least: int) -> list[str]:
    """The accounts whose data covers too few days of the range for a usual day (their
    spikes were not looked for), and those with no data in it at all, in words."""
    covered = evidence.covered
    days = covered.notna().sum() if covered is not None and len(covered) else pd.Series()
    said: list[str] = []
    sent = headline_sent(evidence)  # mail sent is data too, suppressions or not
    empty = [a for a in evidence.accounts if not int(days.get(a, 0)) and not sent.get(a, 0)]
    for account in evidence.accounts:
        n = int(days.get(account, 0))
        if 0 < n < least:
            said.append(
                f"{account}: its data covers {plural(n, 'day')} of this range, fewer than "
                f"the {count(least)} a usual day is measured over, so its spikes could not "
                "be judged."
            )
    if empty and len(empty) < len(evidence.accounts):
        said.append(
            f"No data in this range for {plural(len(empty), 'account')} ({_some(empty)}): "
            f"nothing of {'its' if len(empty) == 1 else 'their'} own could be judged."
        )
    return said


def unsent(evidence: Evidence) -> list[str]:
    """The accounts with data in the range but no message sent in it: no rate of theirs
    could be judged (one sentence for them all)."""
    if evidence.covered is None or not len(evidence.covered):
        return []
    days = evidence.covered.notna().sum()
    sent = headline_sent(evidence)
    idle = [a for a in evidence.accounts if int(days.get(a, 0)) and not sent.get(a, 0)]
    if not idle:
        return []
    return [
        f"{_some(idle)}: no messages sent in this range, so no bounce or complaint rate "
        "could be judged."
    ]


def headline_sent(evidence: Evidence) -> dict[str, int]:
    """Messages sent in the range per account (the rates' account rows)."""
    rates = evidence.rates
    if rates.empty:
        return {}
    mine = rates[rates["by"] == "account"]
    return {str(a): int(n) for a, n in mine.groupby("account", observed=True)["sent"].sum().items()}


def _some(names: list[str], most: int = 5) -> str:
    """Up to ``most`` names, and how many more."""
    shown = ", ".join(names[:most])
    return shown + (f" and {count(len(names) - most)} more" if len(names) > most else "")


class Counted(NamedTuple):
    """A rate's events and the messages it is over (bounces and sent), in one range."""

    events: int
    mail: int


def _before(evidence: Evidence) -> pd.DataFrame:
    """Each account's counts over the previous range of equal length, as read (an empty
    frame of the counted columns where none was read)."""
    previous = evidence.previous
    return previous if set(COUNTED) <= set(previous.columns) else pd.DataFrame(columns=COUNTED)


def _counted(before: pd.DataFrame, account: str, events: str, mail: str) -> Counted:
    """``account``'s ``events`` and ``mail`` over the previous range (0 where none read)."""
    if account not in before.index:
        return Counted(0, 0)
    counts = before.loc[[account], COUNTED].astype("int64").iloc[0].tolist()
    row = {column: int(n) for column, n in zip(COUNTED, counts, strict=True)}
    top = row["hard_bounces"] + row["soft_bounces"] if events == "bounces" else row[events]
    return Counted(top, row[mail])


def _unrated(
    account: str, now: Counted, before: Counted, since: pd.Timestamp, words: tuple[str, str, str]
) -> list[str]:
    """Why ``account``'s rate could not be computed, from the counts alone: more events
    than mail in the range, and what the previous range of equal length holds: no mail
    (the mail they are about is in neither), or enough to rate both together, or not
    (tenth review, F14: "a wider range rates it" was said of an account that never sent);
    ``since``: the previous range's start; ``words``: the events, the mail, the rate."""
    what, over, rate = words
    if now.events <= now.mail:
        return []
    said = f"{account}: {plural(now.events, rate)} against {plural(now.mail, 'message')} {over}"
    said += " in this range"
    if not before.mail:
        nor = ", nor any" if not now.mail else ", and none"
        part = "the mail" if not now.mail else "part of the mail"
        return [
            f"{said}{nor} in the previous range of equal length: {part} they are about is in "
            f"neither, so the {rate} rate could not be computed."
        ]
    said += f": more than the mail {over} in it, so the {rate} rate could not be computed; "
    events, mail = now.events + before.events, now.mail + before.mail
    if events > mail:
        return [
            f"{said}with the previous range of equal length too, still more {what} "
            f"({count(events)}) than messages {over} ({count(mail)})."
        ]
    return [
        f"{said}with the previous range of equal length (from {moment(since)}), "
        f"{plural(events, rate)} of {plural(mail, 'message')} {over} ({events / mail:.2%})."
    ]


def unmarked(evidence: Evidence) -> list[str]:
    """A sentence for each spike the suppressions chart marks (the marks it draws, from
    the counts it draws) that no spike finding tells: the chart counts every day, the
    findings only the days an account's data covers; and one naming every spike found
    past those explained (each said whether the chart marks it)."""
    if not len(evidence.counts):
        return []
    found = {(f.account, f.day) for f in evidence.findings if f.kind == "spike"}
    quiet = coverage.without_mail(evidence.rates)
    spikes = evidence.spikes
    spiked = (
        set(zip(spikes["group"].astype(str), pd.to_datetime(spikes["start"]), strict=True))
        if len(spikes)
        else set()
    )
    drawn, _rates = active(evidence.counts, evidence.rates)
    marked = trend_spikes(drawn, by="account", as_of=evidence.as_of)
    marks = {
        (str(g), pd.Timestamp(d)) for g, d in zip(marked["group"], marked["start"], strict=True)
    }
    said = []
    for spike in marked.to_dict("records"):
        account, day = str(spike["group"]), pd.Timestamp(spike["start"])
        if (account, day) in found or (account, day) in spiked:
            continue  # explained, or named with the spikes not explained below
        head = (
            f"{account}, {day:%Y-%m-%d}: {plural(int(spike['count']), 'suppression')}, marked "
            "on the suppressions chart as a spike, could not be judged"
        )
        if account not in evidence.accounts:  # the chart's line of the accounts past its top
            said.append(f"{head}: it is the sum of several accounts, each judged on its own.")
        elif any(a <= day < b for a, b in quiet.get(account.lower(), [])):
            said.append(
                f"{head}: the account sent no mail in the period holding that day, so its days "
                "without suppressions are no usual day to measure it against (a range that "
                "holds its mail judges it)."
            )
        else:
            said.append(f"{head}: {_unusual(evidence.covered, account, day)}")
    return said + _unexplained(spikes, found, marks)


#: The spikes not explained named in words, at most (the rest are counted).
NAMED = 10


def _unexplained(
    spikes: pd.DataFrame,
    found: set[tuple[str, pd.Timestamp | None]],
    marks: set[tuple[str, pd.Timestamp]],
) -> list[str]:
    """The spikes found past those explained, largest first: each named (up to
    :data:`NAMED`, the rest counted) with its count, and whether the chart marks it."""
    if not len(spikes):
        return []
    rest = [
        (str(s["group"]), pd.Timestamp(s["start"]), int(s["count"]), usual_day(s))
        for s in spikes.to_dict("records")
        if (str(s["group"]), pd.Timestamp(s["start"])) not in found
    ]
    if not rest:
        return []
    named = [
        f"{account} on {day:%Y-%m-%d} ({plural(n, 'suppression')}, {usual}"
        + (", marked on the suppressions chart" if (account, day) in marks else "")
        + ")"
        for account, day, n, usual in rest[:NAMED]
    ]
    if len(rest) > NAMED:
        named.append(f"{plural(len(rest) - NAMED, 'other spike')}")
    # Ranked as find_spikes ranks them, by how far each stands above its account's usual
    # days, not by count: "the 5 largest" left out a spike of 90 on a busy account and
    # explained one of 70 on a quiet one (twenty-fourth review, W1).
    return [
        f"Only the {count(len(found))} spikes standing out most from their account's usual "
        f"days, of the {count(len(spikes))} found, are explained; the other "
        f"{count(len(rest))}, the most outstanding first, could not be judged here: "
        f"{and_(named)}. A range around one of them judges it."
    ]


def _unusual(covered: pd.DataFrame, account: str, day: pd.Timestamp) -> str:
    """Why a day is no spike on the days the account's data covers, from those days."""
    column = covered[account] if account in covered.columns else pd.Series(dtype="float64")
    at = int(column.index.searchsorted(day))
    half = SPIKE_WINDOW // 2
    around = column.iloc[max(0, at - half) : at + half + 1].dropna()
    least = least_days(SPIKE_WINDOW)
    if len(around) < least:
        return (
            f"the account's data (its first to its last day with mail or events) covers "
            f"{plural(len(around), 'day')} of the {count(SPIKE_WINDOW)} around it, fewer than "
            f"the {count(least)} a usual day is measured over."
        )
    usual = float(around.median())
    return (
        f"on the days the account's data covers, its usual day is "
        f"{count(usual) if usual == round(usual) else f'{usual:.1f}'} suppressions, and the "
        "day is not far enough above it."
    )


def over_unfound(evidence: Evidence) -> list[str]:
    """A sentence for each account the headline shows over a line (its rate over the range)
    that no finding covers: too few events for a period to be judged on."""
    covered = {(f.account, f.kind) for f in evidence.findings}
    covered |= {(f.account, "bounces") for f in evidence.findings if "bounce rate" in f.told}
    said = []
    for account, row in totals(evidence.rates).iterrows():
        for name, kind, line, least in (
            ("bounce rate", "bounces", f"{BOUNCE_RATE_LINE:.0%} line", MIN_BOUNCES),
            ("complaint rate", "complaints", f"{SPAM_RATE_LIMIT:.1%} limit", MIN_COMPLAINTS),
        ):
            rate = rate_of(name, row)
            limit = BOUNCE_RATE_LINE if kind == "bounces" else SPAM_RATE_LIMIT
            if rate is None or rate < limit or (str(account), kind) in covered:
                continue
            events = int(row["hard_bounces"] + row["soft_bounces"] if kind == "bounces"
                         else row["complaints"])  # fmt: skip
            over = "sent" if kind == "bounces" else "delivered"
            why = (
                f"fewer than the {count(least)} a period is judged on, so no finding is made of it"
                if events < least
                else "no period of it, nor the range as a whole, was judged over it"
            )
            said.append(
                f"{account}: {name} {rate_shown(name, rate)} over the range, over the {line}, on "
                f"{plural(events, kind[:-1])} of {plural(int(row[over]), 'message')} {over}: "
                f"{why}."
            )
    return said


def unrated_groups(rates: pd.DataFrame, before: pd.DataFrame | None = None) -> list[str]:
    """A sentence per account and rate for the domains, senders and X-header values it
    rated whose rate over the range cannot be computed: enough bounces (complaints) to be
    judged, but more than the messages sent (delivered) in the range, as for an account.
    Such a value is in no finding; left unsaid, it would read as rated and under the line.
    ``before``: the accounts' counts over the previous range of equal length (what is known
    of mail before the range is only the account's: where it had none, that is said)."""
    groups = rates[rates["by"] != "account"]
    if groups.empty:
        return []
    counted = ["sent", "delivered", "hard_bounces", "soft_bounces", "complaints"]
    sums = groups.groupby(["account", "by", "group"], observed=True)[counted].sum().fillna(0)
    sums["bounces"] = sums["hard_bounces"] + sums["soft_bounces"]
    said = []
    for top, bottom, least, rate in (
        ("bounces", "sent", MIN_BOUNCES, "bounce"),
        ("complaints", "delivered", MIN_COMPLAINTS, "complaint"),
    ):
        over = sums[(sums[top] >= least) & (sums[top] > sums[bottom])]
        for account, rows in over.groupby(level="account", observed=True):
            each = [
                f"{where(str(by), str(group))} ({count(int(n))} {top} against "
                f"{plural(int(m), 'message')} {bottom})"
                for by, group, n, m in zip(
                    rows.index.get_level_values("by"), rows.index.get_level_values("group"),
                    rows[top], rows[bottom], strict=True,
                )
            ]  # fmt: skip
            one = len(each) == 1
            none = before is not None and not _counted(before, str(account), top, bottom).mail
            said.append(
                f"{account} at {_some_of(each)} in this range: more {top} than messages "
                f"{bottom}, so {'its' if one else 'their'} {rate} rate over the range could "
                "not be computed"
                + (
                    f"; the account had no messages {bottom} in the previous range of equal "
                    "length either."
                    if none
                    else "."
                )
            )
    return said


def _some_of(parts: list[str], most: int = 5) -> str:
    """Up to ``most`` parts joined in words, and how many more."""
    shown = parts[:most] + ([f"{count(len(parts) - most)} more"] if len(parts) > most else [])
    return and_(shown)
