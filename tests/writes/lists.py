"""Suppression lists the write tests serve, and the demo's storm judged as the guide does."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pandas as pd

import mmframe as mm
from mmframe.emulator import Emulator

NEWS = "news@example.com"
#: The demo's storm day.
STORM = ("2026-06-09", "2026-06-10")


@contextmanager
def one_list(
    reasons: Sequence[str], account: str = NEWS
) -> Iterator[tuple[Emulator, mm.Session, pd.DataFrame]]:
    """An emulator whose ``account`` lists ``p{i}@yahoo.com`` for ``reasons[i]``, a minute
    apart; a master session; and the list as read."""
    at = pd.Timestamp("2026-06-09 10:00", tz="UTC")
    sup = pd.DataFrame({
        "account": account, "email": [f"p{i}@yahoo.com" for i in range(len(reasons))],
        "suppressed_at": [at + pd.Timedelta(minutes=i) for i in range(len(reasons))],
        "reason": list(reasons),
    })  # fmt: skip
    with Emulator("empty", port=0) as emulator:
        emulator.replay(suppressions=sup)
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            rows = mm.read_suppressions(None, None, accounts=[account], session=session)
            yield emulator, session, rows


def judged_storm(session: mm.Session) -> pd.DataFrame:
    """The demo's storm day on news@, judged on every account's whole evidence."""
    every = {"accounts": "all", "session": session}
    day = mm.read_suppressions(*STORM, accounts=[NEWS], session=session)
    return mm.remediation_candidates(
        day,
        bounces=mm.read_bounces(None, None, **every),
        complaints=mm.read_complaints(None, None, **every),
        opt_outs=mm.read_suppressions(None, None, **every),
    )
