"""A history of many accounts, most of them quiet: what an agency's master key sees.

Twelve accounts over two weeks: one whose complaints are far over the limit, one that
sent nothing (a manual suppression only), one with a hyphen and an apostrophe in its
name, and nine that send a little every day with nothing over a line.
"""

from __future__ import annotations

import pandas as pd

START, END = "2026-03-01", "2026-03-15"
LOUD = "ops@complaints.example.net"
IDLE = "dormant@quiet.example.org"
ODD = "o'hara+ops@edge-case.example.net"
QUIET = [f"team{i:02d}@client{i:02d}.example.com" for i in range(1, 10)]
ACCOUNTS = [*QUIET[:4], IDLE, ODD, *QUIET[4:], LOUD]


def _sent(account: str, day: pd.Timestamp, n: int) -> list[dict[str, object]]:
    """``n`` messages of ``account`` on ``day``, one a minute from 09:00."""
    sender = "mail@" + account.split("@")[1]
    return [
        {
            "account": account,
            "email": f"r{k:03d}.{day:%d}@gmail.com",
            "sender": sender,
            "sent_at": day + pd.Timedelta(hours=9, minutes=k),
            "x_campaign": "weekly",
        }
        for k in range(n)
    ]


def history() -> dict[str, pd.DataFrame]:
    """The frames to replay (deterministic)."""
    days = pd.date_range(START, END, freq="D", tz="UTC", inclusive="left")
    sent: list[dict[str, object]] = []
    complaints, suppressions = [], []
    for number, account in enumerate(ACCOUNTS):
        if account == IDLE:
            continue
        for day in days:
            today = _sent(account, day, 20 + number)
            sent += today
            if account != LOUD:
                continue
            for row in today[:2]:  # 2 in 30 a day: 6.7 %, over 20 times the 0.3 % limit
                at = pd.Timestamp(str(row["sent_at"])) + pd.Timedelta(hours=2)
                complaints.append({**row, "complained_at": at})
                suppressions.append(
                    {"account": account, "email": row["email"], "suppressed_at": at,
                     "reason": "complaint"}
                )  # fmt: skip
    suppressions.append(
        {"account": IDLE, "email": "gone@quiet.example.org",
         "suppressed_at": pd.Timestamp("2026-03-03 10:00", tz="UTC"), "reason": "manual"}
    )  # fmt: skip
    xheaders = [{"account": a, "xheader1": "X-Campaign"} for a in ACCOUNTS]
    return {
        "xheaders": pd.DataFrame(xheaders),
        "sent": pd.DataFrame(sent),
        "complaints": pd.DataFrame(complaints),
        "suppressions": pd.DataFrame(suppressions),
    }
