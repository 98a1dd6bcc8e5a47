"""The thirteenth review's history (R3, R5): two accounts whose mail to yahoo.com drew 5
complaints each in May, all of them to campaign "c" (5 messages), so each account's
complaint rate is 1.98% at yahoo.com (5 over 253) and 100% at X-Campaign c; the two
accounts' yahoo.com lines are equal, one drawn over the other."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.reporting import Evidence, build

NEWS, PROMO = "news@acme.io", "promo@acme.io"
SENDERS = {NEWS: "news@news.acme.io", PROMO: "deals@promo.acme.io"}
START = pd.Timestamp("2026-04-01", tz="UTC")
END = pd.Timestamp("2026-07-01", tz="UTC")
COMPLAINED = pd.Timestamp("2026-05-10 10:00", tz="UTC")


def frames() -> dict[str, pd.DataFrame]:
    """Each account's daily mail (gmail.com and yahoo.com), and May's 5 complaints."""
    sent, complaints = [], []
    days = pd.date_range(START, END, freq="D", inclusive="left")
    for account, sender in SENDERS.items():
        for day in days:
            for k in range(16 if day.month == 5 else 10):
                domain = "yahoo.com" if k % 2 else "gmail.com"
                sent.append({"account": account, "email": f"bg{k}@{domain}", "domain": domain,
                             "sender": sender, "sent_at": day + pd.Timedelta(hours=9, seconds=k),
                             "x_campaign": f"daily-{day:%m%d}"})  # fmt: skip
        for k in range(5):
            at = COMPLAINED + pd.Timedelta(minutes=k)
            row = {"account": account, "email": f"c{k}@yahoo.com", "domain": "yahoo.com",
                   "sender": sender, "sent_at": at - pd.Timedelta(hours=1),
                   "x_campaign": "c"}  # fmt: skip
            sent.append(row)
            complaints.append(row | {"complained_at": at})
    out = {"sent": pd.DataFrame(sent), "complaints": pd.DataFrame(complaints)}
    for frame in out.values():
        for column in [c for c in frame if c.endswith("_at")]:
            frame[column] = pd.to_datetime(frame[column], utc=True)
    out["xheaders"] = pd.DataFrame(
        {"account": list(SENDERS), "xheader1": "X-Campaign", "xheader2": "",
         "xheader3": "", "xheader4": ""}
    ).astype("string")  # fmt: skip
    return out


def report(out: Path) -> tuple[Evidence, Path]:
    """The report of the range, on a fresh emulator holding :func:`frames`."""
    with Emulator("empty", port=0) as emulator:
        emulator.replay(**frames())
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            return build(session, out, START, END, as_of=END, progress=False, stream=io.StringIO())
