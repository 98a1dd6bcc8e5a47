"""The demo's mail history (SPEC 2.5): what each account sent, and what came back.

Consistent by construction:

- per account and day, the messages sent add up to the account's ``emailssent``;
- delivered = sent - bounced (every synthesised message is delivered; every stored send
  behind a bounce is not);
- every bounce suppression has the bounce that caused it, at the suppression's time, and
  every complaint suppression its complaint, each with the send behind it;
- ordinary soft bounces (full mailboxes, greylisting, deferrals) happen every day and
  suppress nothing;
- every event carries the X-Campaign and X-MessageId headers of its message.

The bulk of the mail is stored as cells (see :mod:`.models.reports`), so tens of millions
of events cost a few hundred thousand rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate
from typing import Any

import numpy as np

from .bounce_texts import HARD, bounce_text
from .draws import pick
from .models import Backend
from .names import audience_address

DAY = 86_400
#: Share of a day's messages that bounce softly without consequence.
SOFT_RATE = 0.0015
HARD_MIX = dict(zip(HARD, (80, 12, 8), strict=True))
SOFT_MIX = {"mailboxfull": 35, "greylisted": 20, "deferred": 35, "systemerror": 10}
#: The X-header names the demo's sub-accounts report on (POST /accounts/xheaders).
XHEADERS = {"xheader1": "X-Campaign", "xheader2": "X-MessageId", "xheader3": "", "xheader4": ""}


@dataclass(frozen=True)
class Campaign:
    """A recurring mailing: its X-Campaign name (``{date}``/``{week}`` filled in), sender
    local part, window (start hour, hours) and share of the account's daily volume."""

    name: str
    sender: str
    hour: int
    hours: int
    share: float
    first_day: int | None = None  # epoch of its first day, None: always
    days: int | None = None


@dataclass(frozen=True)
class Mailing:
    """How one account mails: weekday volume, campaigns, engagement (percent)."""

    daily: int
    audience: int
    campaigns: tuple[Campaign, ...]
    opens: tuple[int, int]  # opened, opened again
    clicks: tuple[int, int]  # clicked, clicked again


@dataclass
class AccountHistory:
    """What the history needs of one seeded account."""

    account_id: int
    username: str
    sending_domain: str
    mailing: Mailing
    ip: str
    suppressions: list[tuple[str, int, str]]  # (email, time, reason)
    storm: set[str] = field(default_factory=set)  # addresses of the bounce storm
    climb: set[str] = field(default_factory=set)  # addresses of the complaint climb
    climb_campaign: str = ""


def campaign_name(campaign: Campaign, midnight: int) -> str:
    day = datetime.fromtimestamp(midnight, UTC)
    week = day.isocalendar()
    return campaign.name.format(date=day.strftime("%Y-%m-%d"), week=f"{week[0]}w{week[1]:02d}")


def _active(campaign: Campaign, midnight: int) -> bool:
    if campaign.first_day is None or campaign.days is None:
        return True
    return campaign.first_day <= midnight < campaign.first_day + campaign.days * DAY


def build(
    backend: Backend,
    rng: random.Random,
    accounts: Sequence[AccountHistory],
    *,
    start: int,
    days: int,
    domains: dict[str, float],
    weekday: Sequence[float],
) -> None:
    """Write the mail history of ``accounts`` into the store (inside the seed's transaction)."""
    names = list(domains)
    weights = np.array(list(domains.values()), dtype=float)
    weights /= weights.sum()
    events: list[tuple[Any, ...]] = []
    serial = iter(range(90_000_000_000_000, 10**15))
    for account in accounts:
        generator = np.random.default_rng(rng.getrandbits(64))
        sent = _cells(backend, generator, account, start, days, names, weights, weekday)
        sent += _stored(rng, account, events, serial, start, days, names, weights)
        backend.store.conn.execute(
            "UPDATE accounts SET emailssent = ? WHERE id = ?", (sent, account.account_id)
        )
    events.sort(key=lambda e: (e[0], e[1], e[2]))  # (account, kind, time): ids follow time
    backend.store.conn.executemany(INSERT_EVENTS, events)


def _cells(
    backend: Backend,
    generator: np.random.Generator,
    account: AccountHistory,
    start: int,
    days: int,
    names: list[str],
    weights: np.ndarray,
    weekday: Sequence[float],
) -> int:
    """Insert the account's cells; return how many messages they hold."""
    mailing = account.mailing
    midnights = start + DAY * np.arange(days)
    shape = np.array([weekday[datetime.fromtimestamp(int(m), UTC).weekday()] for m in midnights])
    volume = mailing.daily * (1 + 0.25 * np.arange(days) / days) * shape
    volume = np.maximum(0, generator.normal(volume, volume * 0.06)).round().astype(np.int64)
    audience = np.maximum(1, (mailing.audience * weights).astype(np.int64))
    position = generator.integers(0, audience)  # where each domain's rotation starts
    rows: list[tuple[Any, ...]] = []
    for campaign in mailing.campaigns:
        per_day = generator.multinomial((volume * campaign.share).astype(np.int64), weights)
        active = np.array([_active(campaign, int(m)) for m in midnights])
        per_day[~active] = 0
        rows += _campaign_cells(generator, account, campaign, per_day, audience, position,
                                midnights, names)  # fmt: skip
        position += per_day.sum(axis=0)
    rows.sort(key=lambda r: r[1])
    backend.store.conn.executemany(
        "INSERT INTO mail_cells (account_id, t0, span, n, sender, domain, campaign, audience,"
        " first, open_pct, reopen_pct, click_pct, reclick_pct, open_delay, reopen_delay,"
        " click_delay, reclick_delay) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    return sum(r[3] for r in rows)


def _campaign_cells(
    generator: np.random.Generator,
    account: AccountHistory,
    campaign: Campaign,
    per_day: np.ndarray,
    audience: np.ndarray,
    position: np.ndarray,
    midnights: np.ndarray,
    names: list[str],
) -> list[tuple[Any, ...]]:
    """One campaign's cells: one per (day, domain) with mail, with its engagement."""
    mailing, days = account.mailing, len(midnights)
    day, d = np.nonzero(per_day)
    n = per_day[day, d]
    size = np.maximum(audience[d], n)
    # Each domain's audience is mailed in rotation: a cell starts where the last ended.
    sent_before = np.cumsum(per_day, axis=0) - per_day
    first = (position[d] + sent_before[day, d]) % size
    starts = midnights + campaign.hour * 3600 + generator.integers(0, 600, days)
    labels = [campaign_name(campaign, int(m)) for m in midnights]
    k = len(n)
    opened = np.clip(mailing.opens[0] + generator.integers(-3, 4, k), 1, 100)
    again = np.minimum(opened, mailing.opens[1])
    clicked = np.minimum(opened, np.clip(mailing.clicks[0] + generator.integers(-1, 2, k), 0, 100))
    reclicked = np.minimum(clicked, mailing.clicks[1])
    open_delay = generator.integers(300, 4 * 3600, k)
    reopen_delay = open_delay + generator.integers(3600, 2 * DAY, k)
    click_delay = open_delay + generator.integers(20, 900, k)
    reclick_delay = click_delay + generator.integers(600, DAY, k)
    sender = f"{campaign.sender}@{account.sending_domain}"
    columns = zip(
        starts[day].tolist(), n.tolist(), d.tolist(), day.tolist(), size.tolist(),
        first.tolist(), opened.tolist(), again.tolist(), clicked.tolist(),
        reclicked.tolist(), open_delay.tolist(), reopen_delay.tolist(),
        click_delay.tolist(), reclick_delay.tolist(), strict=True,
    )  # fmt: skip
    return [
        (account.account_id, t0, campaign.hours * 3600, cnt, sender, names[dom],
         labels[dd], *rest)
        for t0, cnt, dom, dd, *rest in columns
    ]  # fmt: skip


#: The value of an event column that a kind of event does not set, in column order (the
#: columns after ``message_id``).
_UNSET = {"delivered": 1, "bouncetype": "", "bouncerule": "", "detail": "", "notified": 0}
_UNSET_ROW = tuple(_UNSET.values())
#: The stored events' columns, in order: the rows :class:`_Stored` makes and the INSERT.
EVENT_COLUMNS = (
    "account_id", "kind", "t", "sent", "email", "email_key", "domain", "sender", "campaign",
    "message_id", *_UNSET,
)  # fmt: skip
INSERT_EVENTS = (
    f"INSERT INTO mail_events ({', '.join(EVENT_COLUMNS)})"  # noqa: S608 - constants
    f" VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
)


class _Stored:
    """One account's stored events (bounces, complaints, the sends behind them, issues),
    drawn from one random stream in a fixed order, so a seed value gives the same data."""

    def __init__(
        self,
        rng: random.Random,
        account: AccountHistory,
        events: list[tuple[Any, ...]],
        serial: Iterator[int],
        start: int,
    ) -> None:
        self.rng, self.account, self.events, self.serial = rng, account, events, serial
        self.start = start
        #: Each day's campaigns and their cumulative shares (``choices``' cum_weights: the
        #: same draw as by weights, without summing them again for every message).
        self.by_day: dict[int, tuple[list[tuple[str, str]], list[float]]] = {}

    def campaign_at(self, t: int) -> tuple[str, str]:
        """(campaign, sender) of a message sent at ``t``: a campaign of that day, by share."""
        midnight = t - t % DAY
        if midnight not in self.by_day:
            domain = self.account.sending_domain
            active = [c for c in self.account.mailing.campaigns if _active(c, midnight)]
            named = [(campaign_name(c, midnight), f"{c.sender}@{domain}") for c in active]
            self.by_day[midnight] = (named, list(accumulate(c.share for c in active)))
        choices, cum = self.by_day[midnight]
        return pick(self.rng, choices, cum)

    def add(self, kind: str, t: int, sent_at: int, email: str, campaign: str, sender: str,
            message: str, **extra: object) -> None:  # fmt: skip
        """One event, its columns in the order of :data:`EVENT_COLUMNS`."""
        # A tuple straight in column order: the demo seeds 244k events through here.
        rest = _UNSET_ROW
        if extra:
            rest = tuple(extra.get(c, default) for c, default in _UNSET.items())
        self.events.append((
            self.account.account_id, kind, t, sent_at, email, email.lower(),
            email.rsplit("@", 1)[1].lower(), sender, campaign, message, *rest,
        ))  # fmt: skip

    def bounce(self, t: int, email: str, kind: str, campaign: str, sender: str) -> None:
        """A send and its bounce, in the wording of ``kind``'s server family."""
        sent_at = max(self.start, t - self.rng.randrange(2, 900))
        message = str(next(self.serial))
        btype = "hard" if kind in HARD else "soft"
        text = bounce_text(kind, email, self.account.ip, self.rng)
        # Both rows straight in column order (see add): the demo seeds 109k of each.
        key, domain = email.lower(), email.rsplit("@", 1)[1].lower()
        shared = (email, key, domain, sender, campaign, message)
        self.events.append((self.account.account_id, "send", sent_at, sent_at, *shared,
                            0, "", "", "", 0))  # fmt: skip
        self.events.append((self.account.account_id, "bounce", t, sent_at, *shared,
                            1, btype, f"{btype}bounce", text, 1))  # fmt: skip

    def causes(self) -> list[tuple[str, int]]:
        """The bounce or complaint behind each bounce or complaint suppression."""
        hard, hard_cum = list(HARD_MIX), list(accumulate(HARD_MIX.values()))
        suppressed: list[tuple[str, int]] = []
        for email, t, reason in self.account.suppressions:
            if reason == "bounce":
                campaign, sender = self.campaign_at(t)
                storm = email in self.account.storm
                kind = "deferred" if storm else pick(self.rng, hard, hard_cum)
                self.bounce(t, email, kind, campaign, sender)
                suppressed.append((email, t))
            elif reason == "complaint":
                sent_at = max(self.start, t - self.rng.randrange(1800, 3 * DAY))
                campaign, sender = self.campaign_at(sent_at)
                if email in self.account.climb:
                    campaign = self.account.climb_campaign
                message = str(next(self.serial))
                self.add("send", sent_at, sent_at, email, campaign, sender, message)
                self.add("complaint", t, sent_at, email, campaign, sender, message)
                suppressed.append((email, t))
        return suppressed

    def soft_bounces(self, days: int, names: list[str], weights: np.ndarray) -> None:
        """Ordinary soft bounces: a small share of each day's mail, suppressing nothing."""
        mailing, rng = self.account.mailing, self.rng
        soft, soft_cum = list(SOFT_MIX), list(accumulate(SOFT_MIX.values()))
        domains, domain_cum = range(len(names)), list(accumulate(weights.tolist()))
        audience = np.maximum(1, (mailing.audience * weights).astype(np.int64))
        for day in range(days):
            midnight = self.start + day * DAY
            expected = mailing.daily * (1 + 0.25 * day / days) * SOFT_RATE
            for _ in range(max(0, round(rng.gauss(expected, expected**0.5)))):
                d = pick(rng, domains, domain_cum)
                email = audience_address(names[d], rng.randrange(int(audience[d])))
                t = midnight + int(min(DAY - 1, max(0, rng.gauss(13 * 3600, 4 * 3600))))
                campaign, sender = self.campaign_at(t)
                self.bounce(t, email, pick(rng, soft, soft_cum), campaign, sender)

    def issues(self, suppressed: list[tuple[str, int]], end: int) -> None:
        """Later sends that MM refused because the address was on the suppression list."""
        for email, t in suppressed:
            if self.rng.random() < 0.05:
                later = t + self.rng.randrange(DAY, 60 * DAY)
                if later < end:
                    campaign, sender = self.campaign_at(later)
                    message = str(next(self.serial))
                    self.add("issue", later, later, email, campaign, sender, message,
                             detail="suppressed")  # fmt: skip


def _stored(
    rng: random.Random,
    account: AccountHistory,
    events: list[tuple[Any, ...]],
    serial: Iterator[int],
    start: int,
    days: int,
    names: list[str],
    weights: np.ndarray,
) -> int:
    """Append the account's stored events; return how many messages they add to the sent."""
    before = len(events)
    stored = _Stored(rng, account, events, serial, start)
    suppressed = stored.causes()
    stored.soft_bounces(days, names, weights)
    stored.issues(suppressed, start + days * DAY)
    return sum(1 for e in events[before:] if e[1] == "send")
