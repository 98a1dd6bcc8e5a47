"""A history of accounts with long names, as an agency names its clients' accounts.

Six accounts over three weeks, their names 76 to 90 characters long: one with a spike of
hard bounces on one day (over the 2% bounce line that month), one over the complaint
limit (and over it at a small domain on one complaint, too few to judge), and four that
send a little every day with nothing over a line. What the fourth review's page tests
read: names, labels, titles and notes at 320, 390 and 1280 px.
"""

from __future__ import annotations

import pandas as pd

START, END = "2026-03-01", "2026-03-22"
SPIKE_DAY = pd.Timestamp("2026-03-15", tz="UTC")
#: 90 characters: the longest name in the fourth review (a legend entry and a title).
LONGEST = "transactional-notifications-eu-west-1@very-long-subdomain.mail.example-corporation.co.uk"
#: The account with the spike of bounces.
SPIKY = "team-02-marketing-campaigns@subsidiary-02.international-holdings.example.com"
#: The account over the complaint limit.
LOUD = "team-03-marketing-campaigns@subsidiary-03.international-holdings.example.com"
ACCOUNTS = [
    LONGEST,
    SPIKY,
    LOUD,
    *(f"team-0{i}-marketing-campaigns@subsidiary-0{i}.international-holdings.example.com"
      for i in (4, 5, 6)),
]  # fmt: skip
#: A domain of LOUD's with one complaint in two messages: drawn over the limit, not judged.
SMALL = "mc-customer.example.co.uk"
UNKNOWN = "550 5.1.1 <{email}>: Recipient address rejected: User unknown in virtual mailbox table"


def _day(account: str, day: pd.Timestamp, n: int) -> list[dict[str, object]]:
    """``n`` messages of ``account`` on ``day``, one a minute from 09:00."""
    return [
        {"account": account, "email": f"r{k:03d}.{day:%d}@gmail.com",
         "sender": "mail@" + account.split("@")[1],
         "sent_at": day + pd.Timedelta(hours=9, minutes=k), "x_campaign": "weekly"}
        for k in range(n)
    ]  # fmt: skip


def history() -> dict[str, pd.DataFrame]:
    """The frames to replay (deterministic)."""
    days = pd.date_range(START, END, freq="D", tz="UTC", inclusive="left")
    kinds: dict[str, list[dict[str, object]]] = {
        "sent": [], "bounces": [], "complaints": [], "suppressions": []
    }  # fmt: skip
    for number, account in enumerate(ACCOUNTS):
        for day in days:
            today = _day(account, day, 40 + number)
            kinds["sent"] += today
            if account == SPIKY:
                hit = today if day == SPIKE_DAY else today[:1]  # 1 a day, then all of a day
                for row in hit:
                    at = pd.Timestamp(str(row["sent_at"])) + pd.Timedelta(seconds=30)
                    kinds["bounces"].append(
                        {**row, "bounced_at": at, "bounce_type": "hard",
                         "bounce_rule": "hardbounce", "message": UNKNOWN.format(email=row["email"])}
                    )  # fmt: skip
                    kinds["suppressions"].append(
                        {"account": account, "email": row["email"], "reason": "bounce",
                         "suppressed_at": at + pd.Timedelta(seconds=1)}
                    )  # fmt: skip
            if account == LOUD:
                complained = today[:1]  # 1 in 42 a day: 2.4 %, eight times the 0.3 % limit
                if day.day in (3, 10):  # a small domain: a message a week, the first complained of
                    small = {**today[0], "email": f"r{day:%d}@{SMALL}"}
                    kinds["sent"].append(small)
                    complained += [small] if day.day == 3 else []
                for row in complained:
                    at = pd.Timestamp(str(row["sent_at"])) + pd.Timedelta(hours=2)
                    kinds["complaints"].append({**row, "complained_at": at})
                    kinds["suppressions"].append(
                        {"account": account, "email": row["email"], "reason": "complaint",
                         "suppressed_at": at}
                    )  # fmt: skip
    frames = {kind: pd.DataFrame(rows) for kind, rows in kinds.items()}
    frames["xheaders"] = pd.DataFrame([{"account": a, "xheader1": "X-Campaign"} for a in ACCOUNTS])
    return frames
