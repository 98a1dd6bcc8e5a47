"""A frame read for another account than the key's own, its ``account`` column dropped,
wrote to the key's own account: ``day[["email"]].mm.activate(full=True)`` on news@'s rows,
with the master key, took admin@'s suppression of the address off (fifteenth review,
W-15b). It is refused before any request; the key's own reads still write as before."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm
from mmframe.emulator import Emulator

pytestmark = pytest.mark.invariants

NEWS, ADMIN = "news@example.com", "admin@example.com"
AT = pd.Timestamp("2026-06-09 10:00", tz="UTC")


def test_a_frame_of_another_account_without_its_account_column_is_refused():
    sup = pd.DataFrame({"account": [NEWS, ADMIN], "email": ["s@gmail.com"] * 2,
                        "suppressed_at": AT, "reason": "bounce"})  # fmt: skip
    with Emulator("empty", port=0) as emulator:
        emulator.replay(suppressions=sup)
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            day = mm.read_suppressions(None, None, accounts=[NEWS], session=session)
            for dry_run in (True, False):
                with pytest.raises(ValueError, match="has no account column"):
                    day[["email"]].mm.activate(full=True, dry_run=dry_run, session=session)
            listed = mm.read_suppressions(None, None, accounts="all", session=session)
            assert sorted(listed["account"]) == [ADMIN, NEWS]  # nothing was taken off
            plan = day.mm.activate(full=True, dry_run=True, session=session)
            assert plan["status"].eq("planned").all()  # with its column it goes to news@
