"""Account histories with a known story, generated in code, for the emulator to replay.

Each is one account's three months of mail (sends, deliveries, bounces, complaints and
the suppressions they caused, unsubscribes) with a quiet background, plus the incidents a
scenario names. The report is then run over the replica and must find exactly those.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ACCOUNT = "shop@example.com"
START, END = "2026-03-01", "2026-06-01"
NEWS, DEALS = "news@shop.example.com", "deals@shop.example.com"
DOMAINS = {"gmail.com": 0.4, "yahoo.com": 0.25, "hotmail.com": 0.15, "example.net": 0.2}
STORM_DAY, WAVE_DAY = "2026-04-15", "2026-04-20"
DEFERRAL = (
    "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected "
    "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"
)
UNKNOWN = "550 5.1.1 <{email}>: Recipient address rejected: User unknown in virtual mailbox table"
SCENARIOS = ("quiet", "storm", "wave", "climb", "two", "decay")


def _utc(values: object) -> pd.Series:
    return pd.Series(pd.to_datetime(values, utc=True))


def _about(sent: dict[str, object]) -> dict[str, object]:
    """The fields an event shares with the message it is about."""
    return {k: sent[k] for k in ("email", "sender", "sent_at", "x_campaign")}


class _Builder:
    """Rows of each kind, appended incident by incident, framed at the end."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.rows: dict[str, list[dict[str, object]]] = {
            k: [] for k in ("sent", "bounces", "complaints", "suppressions")
        }
        self.serial = 0

    def send(self, email: str, at: pd.Timestamp, sender: str = NEWS) -> dict[str, object]:
        self.serial += 1
        row = {
            "email": email,
            "sender": sender,
            "sent_at": at,
            "x_campaign": f"weekly-{at:%V}",
        }
        self.rows["sent"].append(row)
        return row

    def bounce(self, sent: dict[str, object], kind: str, text: str, suppress: bool) -> None:
        at = pd.Timestamp(sent["sent_at"]) + pd.Timedelta(seconds=30)
        self.rows["bounces"].append(
            {
                **_about(sent),
                "bounced_at": at,
                "bounce_type": kind,
                "bounce_rule": f"{kind}bounce",
                "message": text,
            }
        )
        if suppress:
            self.suppress(str(sent["email"]), at + pd.Timedelta(seconds=1), "bounce")

    def complain(self, sent: dict[str, object]) -> None:
        at = pd.Timestamp(sent["sent_at"]) + pd.Timedelta(hours=5)
        self.rows["complaints"].append({**_about(sent), "complained_at": at})
        self.suppress(str(sent["email"]), at + pd.Timedelta(seconds=1), "complaint")

    def suppress(self, email: str, at: pd.Timestamp, reason: str) -> None:
        self.rows["suppressions"].append({"email": email, "suppressed_at": at, "reason": reason})

    def address(self, domain: str) -> str:
        self.serial += 1
        return f"r{self.serial:06d}@{domain}"

    def frames(self) -> dict[str, pd.DataFrame]:
        out: dict[str, pd.DataFrame] = {
            "xheaders": pd.DataFrame({"account": [ACCOUNT], "xheader1": ["X-Campaign"]})
        }
        for kind, rows in self.rows.items():
            frame = pd.DataFrame(rows)
            frame.insert(0, "account", ACCOUNT)
            for column in frame.columns:
                if column.endswith("_at"):
                    frame[column] = _utc(frame[column])
            if kind == "suppressions":  # one row per address: the latest reason wins
                frame = frame.sort_values("suppressed_at").drop_duplicates("email", keep="last")
            out[kind] = frame.reset_index(drop=True)
        return out


def _background(b: _Builder, *, deals: bool, dead: float = 0.004) -> None:
    """Daily newsletters, ``dead`` of them to dead addresses, unsubscribes; deals mail to
    hotmail.com when ``deals``."""
    days = pd.date_range(START, END, freq="D", inclusive="left", tz="UTC")
    names, weights = list(DOMAINS), np.array(list(DOMAINS.values()))
    for day in days:
        at = day + pd.Timedelta(hours=9)
        for i, domain in enumerate(b.rng.choice(names, size=300, p=weights)):
            sent = b.send(b.address(str(domain)), at + pd.Timedelta(seconds=i))
            if b.rng.random() < dead:  # about one dead address a day by default
                b.bounce(sent, "hard", UNKNOWN.format(email=sent["email"]), suppress=True)
            elif b.rng.random() < 0.0002:
                b.complain(sent)
        for _ in range(b.rng.poisson(6)):
            b.suppress(
                b.address(str(b.rng.choice(names))), at + pd.Timedelta(hours=3), "unsubscribe"
            )
        if deals:
            _deals(b, day)


def _deals(b: _Builder, day: pd.Timestamp) -> None:
    """150 deals a day to hotmail.com; complaints climb month by month (0.1 % to 1.2 %)."""
    share = {3: 0.001, 4: 0.005, 5: 0.012}[day.month]
    at = day + pd.Timedelta(hours=14)
    for i in range(150):
        sent = b.send(b.address("hotmail.com"), at + pd.Timedelta(seconds=i), sender=DEALS)
        if b.rng.random() < share:
            b.complain(sent)


def _storm(b: _Builder) -> None:
    """300 deferrals at yahoo.com in one day, each wrongly turned into a suppression."""
    at = pd.Timestamp(STORM_DAY, tz="UTC") + pd.Timedelta(hours=11)
    for i in range(300):
        sent = b.send(b.address("yahoo.com"), at + pd.Timedelta(seconds=i))
        b.bounce(sent, "soft", DEFERRAL, suppress=True)


def _wave(b: _Builder) -> None:
    """An imported list mailed once: 400 unknown users over 40 small domains in one day."""
    at = pd.Timestamp(WAVE_DAY, tz="UTC") + pd.Timedelta(hours=10)
    domains = [f"shop{i:02d}.example.org" for i in range(40)]
    for i in range(400):
        sent = b.send(b.address(domains[i % 40]), at + pd.Timedelta(seconds=i))
        b.bounce(sent, "hard", UNKNOWN.format(email=sent["email"]), suppress=True)


def history(name: str) -> dict[str, pd.DataFrame]:
    """The frames of scenario ``name`` (one of :data:`SCENARIOS`), deterministic."""
    b = _Builder(seed=SCENARIOS.index(name) + 1)
    # decay: a list never cleaned, 3 % of every day's mail to dead addresses (no spike)
    _background(b, deals=name in ("climb", "two"), dead=0.03 if name == "decay" else 0.004)
    if name in ("storm", "two"):
        _storm(b)
    if name == "wave":
        _wave(b)
    return b.frames()
