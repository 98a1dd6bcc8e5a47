"""The headline's change from the previous range says when that range holds mail only from
part-way in (fifth review: "previous 90 days: 1,085 (+217%)" compared with a range mostly
before the account's history began, and read as growth)."""

from __future__ import annotations

import pandas as pd

import mmframe as mm
from mmframe.reporting import headline
from mmframe.reporting.scope import Scope

NOW = pd.Timestamp("2026-12-01", tz="UTC")
START = pd.Timestamp("2026-09-02", tz="UTC")


def _sends(first: str, last: str, per_day: int) -> pd.DataFrame:
    days = pd.date_range(first, last, freq="D", tz="UTC", inclusive="left")
    rows = [
        {"email": f"u{d:03d}{i:03d}@example.com", "sender": "mail@sender.example",
         "sent_at": day + pd.Timedelta(hours=9)}
        for d, day in enumerate(days) for i in range(per_day)
    ]  # fmt: skip
    return pd.DataFrame(rows)


def _figures(make_emulator, first: str) -> list[headline.Figure]:
    emulator = make_emulator("empty", clock=lambda: NOW.timestamp())
    emulator.replay(sent=_sends(first, "2026-12-01", 3))
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        scope = Scope(session, None, False)
        before = headline.read_previous(scope, START, NOW, "MS", NOW)
        rates = mm.read_rates(START, NOW, freq="MS", session=session, progress=False)
    now = headline.totals(rates)
    (head,) = headline.headlines(now, before, list(now.index), START, NOW)
    return head.figures


def test_a_previous_range_with_mail_only_from_part_way_says_from_when(make_emulator):
    sent = _figures(make_emulator, "2026-08-01")[0]
    # 2026-06-04 to 2026-09-02: mail only from August (the month it began).
    assert "previous 90 days" in sent.before
    assert "nothing counted before 2026-08-01" in sent.before, sent.before


def test_a_previous_range_with_mail_throughout_says_nothing_more(make_emulator):
    sent = _figures(make_emulator, "2026-05-01")[0]
    assert "previous 90 days" in sent.before and "before" not in sent.before, sent.before
