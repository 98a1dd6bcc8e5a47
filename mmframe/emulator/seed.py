"""Seed datasets, deterministic for a seed value: ``empty``, ``demo`` and ``large``.

``demo`` hides two incidents for an analyst to find (see :data:`STORM` and :data:`CLIMB`).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import history, seed_cache
from .draws import pick
from .history import Campaign, Mailing
from .models import Backend
from .names import FIRST, LAST

DAY = 86_400
#: Demo data spans the 730 days before this instant (exclusive).
END = int(datetime(2026, 10, 31, tzinfo=UTC).timestamp())
START = END - 730 * DAY
MASTER = "admin@example.com"
PASSWORD = "emulator-password"  # noqa: S105 - a documented demo password, not a secret

DOMAINS = {
    "gmail.com": 30,
    "yahoo.com": 14,
    "outlook.com": 10,
    "hotmail.com": 8,
    "icloud.com": 6,
    "aol.com": 4,
    "comcast.net": 3,
    "gmx.de": 2,
    "web.de": 2,
    "orange.fr": 2,
    "btinternet.com": 2,
    "att.net": 2,
    "verizon.net": 1.5,
    "proton.me": 1.5,
    "yandex.ru": 1,
    "libero.it": 1,
    "shaw.ca": 1,
    "bigpond.com": 1,
    "qq.com": 1,
    "naver.com": 1,
    "acme-widgets.com": 0.8,
    "globex.com": 0.8,
    "initech.com": 0.7,
    "umbrella-corp.com": 0.7,
    "hooli.com": 0.6,
    "vandelay.com": 0.6,
    "stark-industries.com": 0.5,
    "wayne-ent.com": 0.5,
    "cyberdyne.io": 0.5,
    "soylent.co": 0.4,
    "tyrell.com": 0.4,
    "wonka.co.uk": 0.4,
}


@dataclass(frozen=True)
class Profile:
    """How one demo account suppresses: weekday volume and reason mix."""

    username: str
    accountname: str
    sending_domain: str
    daily: float
    reasons: dict[str, float]


ACCOUNTS = (
    Profile(
        MASTER,
        "Example Corp",
        "example.com",
        6,
        {"bounce": 40, "unsubscribe": 20, "complaint": 5, "manual": 35},
    ),
    Profile(
        "ops@example.com",
        "Transactional",
        "mail.example.com",
        62,
        {"bounce": 62, "unsubscribe": 10, "complaint": 3, "manual": 25},
    ),
    Profile(
        "news@example.com",
        "Newsletters",
        "news.example.com",
        75,
        {"bounce": 50, "unsubscribe": 35, "complaint": 7, "manual": 8},
    ),
    Profile(
        "promo@example.org",
        "Promotions",
        "offers.example.org",
        58,
        {"bounce": 45, "unsubscribe": 38, "complaint": 12, "manual": 5},
    ),
    Profile(
        "billing@example.net",
        "Billing",
        "billing.example.net",
        16,
        {"bounce": 70, "unsubscribe": 2, "complaint": 2, "manual": 26},
    ),
)


@dataclass(frozen=True)
class Incident:
    """An anomaly planted in the demo data."""

    account: str
    domain: str
    reason: str
    first_day: int  # epoch seconds of the first affected UTC day
    days: int


#: A one-day bounce storm: news@ suppressions at yahoo.com jump about 30-fold.
STORM = Incident(
    "news@example.com", "yahoo.com", "bounce", int(datetime(2026, 6, 9, tzinfo=UTC).timestamp()), 1
)
#: A slow climb of complaints at hotmail.com in promo@ over six months.
CLIMB = Incident(
    "promo@example.org",
    "hotmail.com",
    "complaint",
    int(datetime(2026, 5, 1, tzinfo=UTC).timestamp()),
    183,
)
WEEKDAY = (1.0, 1.0, 1.0, 1.0, 0.95, 0.45, 0.35)  # Monday first
SENDER_LOCALS = [
    "news",
    "info",
    "noreply",
    "alerts",
    "billing",
    "support",
    "hello",
    "team",
    "updates",
    "receipts",
    "offers",
    "events",
]
SELECTORS = ("mm1", "s2024", "dkim", "k1", "selector1")


def apikey(rng: random.Random) -> str:
    """A deterministic 32-hex key."""
    return f"{rng.getrandbits(128):032x}"


class Addresses:
    """Unique, plausible recipient addresses for one account."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()
        self.domains = list(DOMAINS)
        self.cum = list(_cumulative(DOMAINS.values()))

    def draw(self, domain: str | None = None) -> str:
        domain = domain or pick(self.rng, self.domains, self.cum)
        while True:
            first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
            style = self.rng.random()
            local = (
                f"{first}.{last}"
                if style < 0.3
                else f"{first}{last[0]}{self.rng.randrange(100)}"
                if style < 0.6
                else f"{first[0]}{last}{self.rng.randrange(1000)}"
            )
            email = f"{local}@{domain}"
            if email not in self.seen:
                self.seen.add(email)
                return email


def _cumulative(weights: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _daily_rows(
    rng: random.Random, profile: Profile, draw: Addresses
) -> Iterator[tuple[str, int, str]]:
    reasons, cum = list(profile.reasons), list(_cumulative(profile.reasons.values()))
    for day in range(730):
        midnight = START + day * DAY
        growth = 1 + 0.25 * day / 730
        mean = profile.daily * growth * WEEKDAY[datetime.fromtimestamp(midnight, UTC).weekday()]
        for _ in range(max(0, round(rng.gauss(mean, mean**0.5)))):
            # Mail goes out in business hours, so bounces cluster there too.
            t = midnight + int(min(DAY - 1, max(0, rng.gauss(14 * 3600, 4 * 3600))))
            yield draw.draw(), t, pick(rng, reasons, cum)


def _incident_rows(
    rng: random.Random, draw: Addresses, incident: Incident, per_day: Callable[[int], float]
) -> Iterator[tuple[str, int, str]]:
    for day in range(incident.days):
        midnight = incident.first_day + day * DAY
        for _ in range(round(per_day(day))):
            t = midnight + int(rng.uniform(13 * 3600, 16 * 3600))
            yield draw.draw(incident.domain), t, incident.reason


def _senders(backend: Backend, rng: random.Random, account_id: int, domain: str) -> None:
    for local in SENDER_LOCALS:
        spf = int(rng.random() < 0.9)
        dkim = int(rng.random() < 0.6)
        backend.senders.add(
            account_id,
            f"{local}@{domain}",
            seeding=int(rng.random() < 0.3),
            spf=spf,
            dkim=dkim,
            dkimval=rng.choice(SELECTORS) if dkim else "",
            ready=int(rng.random() < (0.95 if spf else 0.4)),
        )


def _suppressions(backend: Backend, account_id: int, rows: list[tuple[str, int, str]]) -> None:
    rows.sort(key=lambda row: row[1])  # ids grow with time, as on a live list
    backend.suppressions.insert(account_id, rows, keep_existing=False)
    # In key order, the recipients' primary key is appended to rather than split.
    inactive = sorted(
        (account_id, email.lower(), email)
        for email, _t, reason in rows
        if reason in ("bounce", "complaint")
    )
    backend.store.conn.executemany(
        "INSERT OR IGNORE INTO recipients (account_id, email_key, email, status)"
        " VALUES (?, ?, ?, 'inactive')",
        inactive,
    )
    backend.store.forget_order(account_id)


def _account_profile(rng: random.Random, profile: Profile) -> dict[str, str]:
    return {
        "accountname": profile.accountname,
        "companyname": "Example Corp",
        "contactname": f"{rng.choice(FIRST).title()} {rng.choice(LAST).title()}",
        "address": f"{rng.randrange(1, 999)} Main Street",
        "city": "Manchester",
        "state": "NH",
        "zipcode": "03101",
        "country": "US",
        "phone": "603-867-5309",
        "timezone": "-0500",
        "tracklinks": str(rng.randrange(2)),
        "trackopens": str(rng.randrange(2)),
        "trackunsubscribes": str(rng.randrange(2)),
    }


def seed_empty(backend: Backend, rng: random.Random) -> None:
    """A master account only."""
    backend.accounts.create_master(MASTER, PASSWORD, apikey=apikey(rng), created=START)


def _mailings() -> dict[str, Mailing]:
    """How each demo account mails (volumes sized so bounces run near 0.5 % of the sent)."""
    deals = Campaign("promo-daily-deals", "offers", 16, 2, 0.35, CLIMB.first_day, CLIMB.days)
    return {
        MASTER: Mailing(300, 20_000, (Campaign("system-notices", "info", 0, 24, 1.0),),
                        (35, 10), (4, 1)),
        "ops@example.com": Mailing(9_000, 400_000, (
            Campaign("receipts", "receipts", 0, 24, 0.6),
            Campaign("password-reset", "noreply", 0, 24, 0.25),
            Campaign("alerts", "alerts", 0, 24, 0.15),
        ), (45, 15), (8, 2)),
        "news@example.com": Mailing(7_000, 250_000, (
            Campaign("newsletter-{date}", "news", 9, 3, 1.0),
        ), (26, 8), (5, 2)),
        "promo@example.org": Mailing(6_000, 200_000, (
            Campaign("promo-{week}", "offers", 10, 4, 1.0), deals,
        ), (14, 4), (2, 1)),
        "billing@example.net": Mailing(2_500, 60_000, (
            Campaign("invoices", "billing", 6, 12, 0.7),
            Campaign("payment-reminders", "billing", 12, 6, 0.3),
        ), (60, 20), (15, 4)),
    }  # fmt: skip


def seed_demo(backend: Backend, rng: random.Random) -> None:
    """A master, four sub-accounts, ~60 senders, ~150,000 suppressions, two incidents,
    and two years of mail history (about 17 million messages) consistent with them."""
    master_id = 0
    mailings = _mailings()
    histories = []
    for position, profile in enumerate(ACCOUNTS):
        account_id = _demo_account(backend, rng, profile, master_id)
        master_id = master_id or account_id
        _senders(backend, rng, account_id, profile.sending_domain)
        draw = Addresses(rng)
        rows = list(_daily_rows(rng, profile, draw))
        story = history.AccountHistory(
            account_id,
            profile.username,
            profile.sending_domain,
            mailings[profile.username],
            f"198.51.100.{10 + position}",
            rows,
        )
        rows += _incidents(rng, draw, profile, story)
        _suppressions(backend, account_id, rows)
        histories.append(story)
    history.build(
        backend,
        random.Random(rng.getrandbits(64)),
        histories,
        start=START,
        days=730,
        domains=DOMAINS,
        weekday=WEEKDAY,
    )


def _demo_account(backend: Backend, rng: random.Random, profile: Profile, master_id: int) -> int:
    """Create the master (the first profile, ``master_id`` 0) or a sub-account of it."""
    created = START - rng.randrange(30, 900) * DAY
    fields = _account_profile(rng, profile)
    if not master_id:
        backend.accounts.create_master(
            profile.username, PASSWORD, apikey=apikey(rng), created=created, profile=fields
        )
        return _account_id(backend, profile.username)
    backend.accounts.create_sub(
        master_id,
        profile.username,
        PASSWORD,
        apikey=apikey(rng),
        created=created,
        profile=fields,
        emailssent=rng.randrange(10**5, 10**7),  # replaced by the history's total
    )
    account_id = _account_id(backend, profile.username)
    backend.store.conn.execute(
        "UPDATE accounts SET xheaders = ? WHERE id = ?", (json.dumps(history.XHEADERS), account_id)
    )
    return account_id


def _incidents(
    rng: random.Random, draw: Addresses, profile: Profile, story: history.AccountHistory
) -> list[tuple[str, int, str]]:
    """The demo's two incidents, when ``profile`` is their account: the storm, the climb."""
    rows: list[tuple[str, int, str]] = []
    if profile.username == STORM.account:
        storm = list(_incident_rows(rng, draw, STORM, lambda _day: 335))
        story.storm = {email for email, _t, _r in storm}
        rows += storm
    if profile.username == CLIMB.account:
        climb = list(
            _incident_rows(
                rng, draw, CLIMB, lambda day: 12 * day / CLIMB.days * WEEKDAY[(4 + day) % 7]
            )
        )
        story.climb = {email for email, _t, _r in climb}
        story.climb_campaign = "promo-daily-deals"
        rows += climb
    return rows


LARGE = 1_000_000
#: A Lehmer generator (MINSTD) in SQL: deterministic for a seed, and no product of two
#: values below 2**31 overflows SQLite's 64-bit integers.
_MINSTD = "(({x}) * 48271 % 2147483647)"


def _pick(draw: str, weights: dict[str, float]) -> str:
    """A SQL CASE choosing a key of ``weights`` from ``draw`` (uniform in [0, 2**31 - 1))."""
    total, edges = sum(weights.values()), []
    for name, upper in zip(weights, _cumulative(weights.values()), strict=True):
        edges.append(f"WHEN {draw} < {int(upper / total * 2147483647)} THEN '{name}'")
    return f"CASE {' '.join(edges[:-1])} ELSE '{list(weights)[-1]}' END"


def seed_large(backend: Backend, rng: random.Random) -> None:
    """A master holding 1,000,000 suppressions, for benchmarks.

    Generated by SQLite itself (a recursive count, a seeded generator, one sort by time),
    so loading takes seconds: no Python object per row.
    """
    backend.accounts.create_master(MASTER, PASSWORD, apikey=apikey(rng), created=START)
    account_id = _account_id(backend, MASTER)
    seed = rng.randrange(1, 2147483647)
    first = _MINSTD.format(x=f"i + {seed}")
    second = _MINSTD.format(x=first)
    third = _MINSTD.format(x=second)
    reasons = {"bounce": 55.0, "unsubscribe": 25.0, "complaint": 8.0, "manual": 12.0}
    backend.store.conn.execute(
        f"""
        INSERT INTO suppressions (account_id, email, email_key, t, reason)
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?),
        drawn AS (SELECT i, {first} AS a, {second} AS b, {third} AS c FROM n),
        made AS (
            SELECT 'user' || printf('%07d', i) || '@' || {_pick("a", DOMAINS)} AS email,
                   ? + b % ? AS t, {_pick("c", reasons)} AS reason, i
            FROM drawn
        )
        SELECT ?, email, email, t, reason FROM made ORDER BY t, i
        """,  # noqa: S608 - built from constants of this module only
        (LARGE, START, 730 * DAY, account_id),
    )
    backend.store.conn.execute(
        "INSERT INTO recipients (account_id, email_key, email, status)"
        " SELECT account_id, email_key, email, 'inactive' FROM suppressions"
        " WHERE account_id = ? AND reason IN ('bounce', 'complaint') ORDER BY email_key",
        (account_id,),
    )
    backend.store.forget_order(account_id)
    _large_bounces(backend, account_id)


#: Bounce events of the ``large`` seed: 4 in 11 of its bounce suppressions, about 200,000.
_LARGE_BOUNCE_TEXT = (
    "CASE substr(email, instr(email, '@') + 1)"
    " WHEN 'gmail.com' THEN '550-5.1.1 The email account that you tried to reach does not"
    " exist. Please try double-checking the recipient''s email address for typos or"
    " unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser - gsmtp'"
    " WHEN 'yahoo.com' THEN '554 delivery error: dd This user doesn''t have a yahoo.com"
    " account [0] - mta7.am0.yahoodns.net'"
    " ELSE '550 5.1.1 <' || email || '>: Recipient address rejected: User unknown in virtual"
    " mailbox table' END"
)


def _large_bounces(backend: Backend, account_id: int) -> None:
    """Hard bounces behind part of the ``large`` list, made in SQL (no sends: a benchmark
    seed, not a history)."""
    insert = (
        "INSERT INTO mail_events (account_id, kind, t, sent, email, email_key, domain,"
        " sender, campaign, message_id, delivered, bouncetype, bouncerule, detail, notified)"
        " SELECT account_id, ?, t, t - 60, email, email_key,"
        " substr(email, instr(email, '@') + 1), 'news@example.com', 'bench',"
        " printf('9%013d', id), 0, ?, ?, {text}, 1 FROM suppressions"
        " WHERE account_id = ? AND reason = 'bounce' AND id % 11 < 4 ORDER BY id"
    )
    backend.store.conn.execute(
        insert.replace("{text}", _LARGE_BOUNCE_TEXT), ("bounce", "hard", "hardbounce", account_id)
    )


def _account_id(backend: Backend, username: str) -> int:
    row = backend.store.conn.execute(
        "SELECT id FROM accounts WHERE username_key = ?", (username.lower(),)
    ).fetchone()
    return int(row[0])


SEEDS: dict[str, Callable[[Backend, random.Random], None]] = {
    "empty": seed_empty,
    "demo": seed_demo,
    "large": seed_large,
}


def load_seed(
    backend: Backend,
    name: str,
    seed_value: int = 0,
    *,
    fixed_keys: bool = False,
    kept: Path | None = None,
) -> str:
    """Replace the backend's state with dataset ``name``; return the master key.

    The accounts' keys are drawn at random unless ``fixed_keys``: then they are the seed
    value's, the same on every load (the data is the seed value's either way). ``kept``:
    a folder where seeded datasets are kept (``seed_cache``): one kept there is
    loaded from it, and one seeded is kept there."""
    if name not in SEEDS:
        raise ValueError(f"unknown seed {name!r}; choose one of {', '.join(SEEDS)}")
    folder = kept if name != "empty" else None  # nothing to gain keeping the empty one
    if folder is None or not seed_cache.restore(backend, folder, name, seed_value):
        backend.store.wipe()
        with backend.store.transaction(), backend.store.bulk_load():
            backend.suppressions.pending.clear()
            SEEDS[name](backend, random.Random(seed_value))
        if folder is not None:
            seed_cache.keep(backend, folder, name, seed_value)
    if not fixed_keys:
        with backend.store.transaction():
            backend.accounts.draw_new_keys()
    key = backend.accounts.first_master_key()
    assert key is not None
    return key
