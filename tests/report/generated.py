"""Whole account histories drawn by Hypothesis, replayed, and what any report of them owes.

A history is one to three accounts' mail over weeks to months: a background of sends with
dead addresses, deferrals and complaints, quiet stretches, optional storms (a day of
refusals at one domain, each turned into a suppression) with addresses that complained
before, long before or after, or turned out dead later; unsubscribes; X-headers named in
any case, with values that are long, hostile or right-to-left; times in any zone. Its
frames are what :meth:`mmframe.emulator.Emulator.replay` takes; :class:`Truth` keeps what a
report must never contradict.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from hypothesis import strategies as st

#: Texts whose reason the triage must read right: the address is dead.
DEAD = (
    "550 5.1.1 <{email}>: Recipient address rejected: User unknown in virtual mailbox table",
    "550-5.1.1 The email account that you tried to reach does not exist. Please try "
    "double-checking the recipient's email address for typos or unnecessary spaces.",
    "554 5.2.1 The email account that you tried to reach is disabled.",
)
#: Refusals that pass: a storm of these is put back.
PASSING = (
    "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected "
    "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
    "452 4.2.2 The email account that you tried to reach is over quota.",
    "450 4.2.0 <{email}>: Recipient address rejected: Greylisted",
)
#: Refusals of the message, and texts that say nothing readable.
OTHER = (
    "550 5.7.1 Our system has detected that this message is likely unsolicited mail.",
    "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
    "",
    "???",
    '<script>alert(\'bounce\')</script> "); print("owned"); ("',
    "\u202e550 reversed \u2067 isolate never closed",
    "x" * 3000,
)
#: X-header values: ordinary, long (past the API's 500-character filter), hostile, RTL.
VALUES = (
    "spring",
    "weekly-01",
    "w" * 600,
    'x@x.com"); print("owned"); ("',
    "<b>bold</b> & 'quoted' $math$",
    "\u05de\u05d1\u05e6\u05e2 \u202e",
    "",
)
HEADERS = ("X-Campaign", "x-campaign", "X-CAMPAIGN", "X-MessageId", "X-MESSAGEID", "X-List")
DOMAINS = ("gmail.com", "yahoo.com", "hotmail.com", "example.net", "mail.example.org")
ZONES = ("UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "Europe/Paris")
EPOCH = pd.Timestamp("2026-02-01", tz="UTC")


@dataclass(frozen=True)
class Storm:
    """A day of refusals at one domain, each turned into a suppression."""

    day: int  # days after the account's first day
    domain: str
    size: int
    text: int  # index into PASSING (or, when ``dead``, into DEAD)
    dead: bool
    complained_before: tuple[int, ...]  # days before the storm some of its addresses complained
    complained_after: int  # how many complain after it (about older mail)
    dead_after: int  # how many bounce as dead addresses after it
    dead_before: tuple[int, ...] = ()  # days before the storm some were called dead (unlisted)


@dataclass(frozen=True)
class AccountPlan:
    """One account's history, as drawn."""

    name: str
    headers: tuple[str, ...]
    values: tuple[str, ...]
    first: int  # first day of mail, after EPOCH
    days: int
    volume: int  # sends a day
    quiet: tuple[int, int]  # a stretch of days with no mail (start, length)
    dead: float
    soft: float
    complaints: float
    unsubscribes: int
    zone: str
    storms: tuple[Storm, ...]


@dataclass(frozen=True)
class Plan:
    """A history and the report's range over it."""

    accounts: tuple[AccountPlan, ...]
    start: int  # the report's range, in days after EPOCH
    end: int
    offset: str  # the zone the range is written in ("+05:30")
    seed: int


@dataclass
class Truth:
    """What a report of the history must never contradict, per account (lower-cased)."""

    complained: dict[str, set[str]] = field(default_factory=dict)
    unsubscribed: dict[str, set[str]] = field(default_factory=dict)
    latest_bounce_dead: dict[str, set[str]] = field(default_factory=dict)
    first_day: dict[str, pd.Timestamp] = field(default_factory=dict)
    last_day: dict[str, pd.Timestamp] = field(default_factory=dict)


@dataclass
class History:
    """The frames to replay, the range to report on, and the truth."""

    plan: Plan
    frames: dict[str, pd.DataFrame]
    truth: Truth
    start: str
    end: str

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.plan.accounts]

    def rows(self, kind: str, account: str) -> pd.DataFrame:
        """The history's rows of ``kind`` for ``account`` (times in UTC)."""
        frame = self.frames.get(kind)
        if frame is None:
            return pd.DataFrame(columns=["account", "email"])
        mine = frame[frame["account"].str.lower() == account.lower()].copy()
        for column in mine.columns:
            if column.endswith("_at"):
                mine[column] = mine[column].dt.tz_convert("UTC")
        return mine


def _storm(first: int, days: int) -> st.SearchStrategy[Storm]:
    return st.builds(
        Storm,
        day=st.integers(0, max(0, days - 1)),
        domain=st.sampled_from(DOMAINS),
        size=st.integers(12, 90),
        text=st.integers(0, len(PASSING) - 1),
        dead=st.sampled_from((False, False, False, True)),
        complained_before=st.lists(st.integers(1, 60), max_size=8).map(tuple),
        complained_after=st.integers(0, 3),
        dead_after=st.integers(0, 3),
        dead_before=st.lists(st.integers(1, 30), max_size=3).map(tuple),
    )


@st.composite
def account_plans(draw: st.DrawFn, index: int, storms: int = 0) -> AccountPlan:
    """One account; at least ``storms`` storms."""
    local = draw(st.sampled_from(("news", "Shop", "OPS", "deals.team", "x-y")))
    host = draw(st.sampled_from(("example.com", "Example.ORG", "mail.example.net")))
    headers = tuple(draw(st.lists(st.sampled_from(HEADERS), max_size=2, unique_by=str.lower)))
    first = draw(st.integers(0, 40))
    days = draw(st.integers(10, 75))
    return AccountPlan(
        name=f"{local}{index}@{host}",
        headers=headers,
        values=tuple(draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=4))),
        first=first,
        days=days,
        volume=draw(st.sampled_from((0, 3, 20, 20, 60))),
        quiet=(draw(st.integers(0, days)), draw(st.integers(0, 30))),
        dead=draw(st.sampled_from((0.0, 0.01, 0.05))),
        soft=draw(st.sampled_from((0.0, 0.01, 0.04))),
        complaints=draw(st.sampled_from((0.0, 0.002, 0.02))),
        unsubscribes=draw(st.integers(0, 3)),
        zone=draw(st.sampled_from(ZONES)),
        storms=tuple(draw(st.lists(_storm(first, days), min_size=storms, max_size=2))),
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """A history of one to three accounts and a range over it (or past either end)."""
    n = draw(st.integers(1, 3))
    stormy = draw(st.booleans())  # half the histories have a storm in the first account
    accounts = tuple(draw(account_plans(i, storms=int(stormy and i == 0))) for i in range(n))
    first = min(a.first for a in accounts)
    last = max(a.first + a.days for a in accounts)
    if stormy:  # a range around the storm, reaching past the data or not
        day = accounts[0].first + accounts[0].storms[0].day
        start = draw(st.integers(day - 40, day))
        end = draw(st.integers(day + 1, day + 40))
    else:
        start = draw(st.integers(first - 10, last - 1))
        end = draw(st.integers(start + 1, last + 20))
    offset = draw(st.sampled_from(("Z", "+05:30", "-08:00", "+13:45")))
    return Plan(accounts, start, end, offset, draw(st.integers(0, 2**16)))


class _Rows:
    """Rows of each kind for one account, appended event by event."""

    def __init__(self, plan: AccountPlan, rng: np.random.Generator) -> None:
        self.plan, self.rng = plan, rng
        self.kinds: dict[str, list[dict[str, object]]] = {
            k: [] for k in ("sent", "bounces", "complaints", "suppressions")
        }
        self.serial = 0
        self.columns = {h.lower(): "x_" + h.lower().split("-", 1)[1] for h in plan.headers}

    def address(self, domain: str) -> str:
        self.serial += 1
        return f"r{self.serial:05d}@{domain}"

    def send(self, email: str, at: pd.Timestamp) -> dict[str, object]:
        row: dict[str, object] = {"email": email, "sender": "mail@sender.example", "sent_at": at}
        for column in self.columns.values():
            row[column] = str(self.rng.choice(list(self.plan.values)))
        self.kinds["sent"].append(row)
        return row

    def bounce(self, sent: dict[str, object], text: str, hard: bool, suppress: bool) -> None:
        at = pd.Timestamp(sent["sent_at"]) + pd.Timedelta(seconds=40)
        self.kinds["bounces"].append(
            {
                **sent,
                "bounced_at": at,
                "bounce_type": "hard" if hard else "soft",
                "bounce_rule": "hardbounce" if hard else "softbounce",
                "message": text.format(email=sent["email"]),
            }
        )
        if suppress:
            self.suppress(str(sent["email"]), at + pd.Timedelta(seconds=1), "bounce")

    def complain(self, sent: dict[str, object], after: pd.Timedelta, suppress: bool) -> None:
        at = pd.Timestamp(sent["sent_at"]) + after
        self.kinds["complaints"].append({**sent, "complained_at": at})
        if suppress:
            self.suppress(str(sent["email"]), at + pd.Timedelta(seconds=1), "complaint")

    def suppress(self, email: str, at: pd.Timestamp, reason: str) -> None:
        self.kinds["suppressions"].append({"email": email, "suppressed_at": at, "reason": reason})


def _background(rows: _Rows, day: pd.Timestamp, d: int) -> None:
    plan, rng = rows.plan, rows.rng
    if plan.quiet[0] <= d < plan.quiet[0] + plan.quiet[1]:
        return
    for i in range(plan.volume):
        domain = str(rng.choice(DOMAINS))
        sent = rows.send(rows.address(domain), day + pd.Timedelta(hours=9, seconds=7 * i))
        draw = rng.random()
        if draw < plan.dead:
            rows.bounce(sent, str(rng.choice(DEAD)), hard=True, suppress=True)
        elif draw < plan.dead + plan.soft:
            text = str(rng.choice(PASSING + OTHER))
            rows.bounce(sent, text, hard=False, suppress=bool(rng.random() < 0.5))
        elif draw < plan.dead + plan.soft + plan.complaints:
            rows.complain(sent, pd.Timedelta(hours=3), suppress=bool(rng.random() < 0.6))
    for _ in range(plan.unsubscribes if rng.random() < 0.3 else 0):
        rows.suppress(
            rows.address(str(rng.choice(DOMAINS))), day + pd.Timedelta(hours=15), "unsubscribe"
        )


def _storm_rows(rows: _Rows, storm: Storm, day: pd.Timestamp) -> None:
    """The storm; some of its addresses complained before it (weeks, even months) or do
    after it, some turn out dead later."""
    at = day + pd.Timedelta(hours=11)
    victims = [rows.address(storm.domain) for _ in range(storm.size)]
    for lag, email in zip(storm.complained_before, victims, strict=False):
        old = rows.send(email, at - pd.Timedelta(days=lag, hours=2))
        rows.complain(old, pd.Timedelta(hours=1), suppress=False)  # never suppressed for it
    for lag, email in zip(storm.dead_before, reversed(victims), strict=False):
        old = rows.send(email, at - pd.Timedelta(days=lag, hours=3))  # its suppression since
        rows.bounce(old, DEAD[lag % len(DEAD)], hard=True, suppress=False)  # lifted by hand
    for i, email in enumerate(victims):
        sent = rows.send(email, at + pd.Timedelta(seconds=i))
        text = DEAD[storm.text % len(DEAD)] if storm.dead else PASSING[storm.text]
        rows.bounce(sent, text, hard=storm.dead, suppress=True)
    later = victims[len(storm.complained_before) :]
    for email in later[: storm.complained_after]:
        old = rows.send(email, at - pd.Timedelta(days=3))
        rows.complain(old, pd.Timedelta(days=5), suppress=False)  # a late complaint
    for j, email in enumerate(later[storm.complained_after :][: storm.dead_after]):
        sent = rows.send(email, at + pd.Timedelta(days=2, seconds=j))
        rows.bounce(sent, DEAD[0], hard=True, suppress=False)


def _framed(rows: _Rows) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    zone = rows.plan.zone
    for kind, records in rows.kinds.items():
        frame = pd.DataFrame(records)
        if frame.empty:
            continue
        frame.insert(0, "account", rows.plan.name)
        for column in frame.columns:
            if column.endswith("_at"):  # times in the account's zone: replay takes any
                frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(zone)
        if kind == "suppressions":  # one row per address: the latest wins
            frame = frame.sort_values("suppressed_at", kind="stable")
            frame = frame.drop_duplicates("email", keep="last")
        out[kind] = frame.reset_index(drop=True)
    return out


def _truth(truth: Truth, name: str, frames: dict[str, pd.DataFrame]) -> None:
    key = name.lower()
    complaints = frames.get("complaints", pd.DataFrame(columns=["email"]))
    truth.complained[key] = set(complaints["email"].str.lower())
    sup = frames.get("suppressions", pd.DataFrame(columns=["email", "reason"]))
    truth.unsubscribed[key] = set(sup.loc[sup["reason"] == "unsubscribe", "email"].str.lower())
    bounces = frames.get("bounces")
    dead: set[str] = set()
    if bounces is not None:
        latest = bounces.sort_values("bounced_at", kind="stable").drop_duplicates(
            "email", keep="last"
        )
        dead = set(latest.loc[latest["bounce_type"] == "hard", "email"].str.lower())
    truth.latest_bounce_dead[key] = dead
    times = [f[c] for f in frames.values() for c in f.columns if c.endswith("_at")]
    if times:
        every = pd.concat([t.dt.tz_convert("UTC") for t in times])
        truth.first_day[key] = every.min().floor("D")
        truth.last_day[key] = every.max().floor("D")


def history(plan: Plan) -> History:
    """The frames and truth of ``plan`` (deterministic for a plan)."""
    rng = np.random.default_rng(plan.seed)
    truth, parts = Truth(), []
    xheaders = []
    for account in plan.accounts:
        rows = _Rows(account, rng)
        first = EPOCH + pd.Timedelta(days=account.first)
        for d in range(account.days):
            _background(rows, first + pd.Timedelta(days=d), d)
        for storm in account.storms:
            _storm_rows(rows, storm, first + pd.Timedelta(days=storm.day))
        frames = _framed(rows)
        _truth(truth, account.name, frames)
        parts.append(frames)
        names = [*account.headers, "", "", "", ""][:4]
        xheaders.append(
            {"account": account.name, **{f"xheader{i + 1}": n for i, n in enumerate(names)}}
        )
    frames = {"xheaders": pd.DataFrame(xheaders)}
    for kind in ("sent", "bounces", "complaints", "suppressions"):
        present = [p[kind] for p in parts if kind in p]
        if present:  # one zone per frame (a frame's column has one), the first account's
            zone = plan.accounts[0].zone
            for part in present:
                for column in [c for c in part.columns if c.endswith("_at")]:
                    part[column] = part[column].dt.tz_convert(zone)
            frames[kind] = pd.concat(present, ignore_index=True)
    return History(
        plan, frames, truth, _bound(plan.start, plan.offset), _bound(plan.end, plan.offset)
    )


def _bound(days: int, offset: str) -> str:
    """A range bound written in a zone: midnight of that day there."""
    return f"{EPOCH + pd.Timedelta(days=days):%Y-%m-%d}T00:00:00{offset}"


NEWS = "news0@example.com"
STORM_DAY = 60  # days after EPOCH
BEFORE = (2, 5, 10, 20, 30, 40, 50, 58)


def storm_plan(**changes: object) -> Plan:
    """One account mailing 20 a day for 70 days; a storm of deferrals at yahoo.com on day
    60 of 80 addresses, 8 of which complained 2 to 58 days before; the range the 21 days
    around it."""
    storm = Storm(
        day=STORM_DAY, domain="yahoo.com", size=80, text=0, dead=False,
        complained_before=BEFORE, complained_after=2, dead_after=2, dead_before=(3, 9),
    )  # fmt: skip
    account = AccountPlan(
        name=NEWS, headers=("X-Campaign",), values=("spring", "summer"), first=0, days=70,
        volume=20, quiet=(0, 0), dead=0.01, soft=0.0, complaints=0.01, unsubscribes=1,
        zone="UTC", storms=(storm,),
    )  # fmt: skip
    plan = Plan(accounts=(account,), start=50, end=71, offset="Z", seed=7)
    return replace(plan, **changes)  # type: ignore[arg-type]
