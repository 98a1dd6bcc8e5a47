"""A master key's session named otherwise than its account list says, and a key rotated by
another client, on reads and writes (nineteenth review):

- W-19a: ``mm.Session(url, master_key, username="news@...")`` read ``accounts="all"`` as
  the master's own list twice (labelled admin@ and news@) and news@'s never, so a
  complaint to news@ was missed with no warning. Any read or write that acts for an
  account through such a session is refused, naming both names, before any request but
  the account list's.
- W-19b: after another client rotated a sub-account's key, ``activate`` of that
  account's rows failed until ``account_keys(refresh=True)``. A write by account reads
  the account list again first.
- W-19c: a frame read through ``s.for_account("news@...")`` whose ``account`` column is
  gone was refused with the master's session, which holds news@'s key. It goes to news@,
  the account its read names (the master's list gave that name)."""

from __future__ import annotations

import pandas as pd
import pytest

import mmframe as mm

NEWS, PROMO = "news@example.com", "promo@example.org"
STORM = ("2026-06-09", "2026-06-10")
pytestmark = pytest.mark.filterwarnings("ignore:.*never judged:mmframe.errors.EvidenceWarning")


def _requests(emulator) -> int:
    """Requests sent, but for the account list's (read again to check the name)."""
    methods = emulator.stats()["methods"]
    return sum(m["requests"] for name, m in methods.items() if name != "GET accounts")


@pytest.mark.parametrize(
    "act",
    [
        lambda s: mm.read_complaints(None, None, accounts="all", session=s),
        lambda s: mm.read_suppressions(*STORM, accounts=[NEWS], session=s),
        lambda s: pd.DataFrame({"account": [NEWS], "email": ["x@example.net"]}).mm.suppress(
            session=s
        ),
        lambda s: mm.read_suppressions(*STORM, session=s),  # its "own" account (W-20c)
        lambda s: pd.DataFrame({"email": ["x@example.net"]}).mm.suppress(session=s),
    ],
    ids=["all", "named", "write", "own read", "own write"],
)
def test_a_master_key_named_as_a_sub_account_is_refused(demo, act):
    emulator, _master = demo
    with mm.Session(emulator.url, emulator.master_apikey, username=NEWS) as wrong:
        wrong.account_keys()  # the list read: only checks are left to send
        sent = _requests(emulator)
        with pytest.raises(ValueError, match="username=") as refused:
            act(wrong)
    assert NEWS in str(refused.value) and "admin@example.com" in str(refused.value)
    assert _requests(emulator) == sent


def test_a_key_rotated_elsewhere_is_taken_up_by_a_write(demo):
    emulator, master = demo
    day = mm.read_suppressions(*STORM, accounts=[PROMO], session=master)
    rows = day[day["reason"] == "bounce"].head(2)
    with mm.Session(emulator.url, emulator.master_apikey) as theirs:
        mm.rotate_apikey(PROMO, confirm=True, session=theirs)
    plan = rows.mm.activate(session=master, dry_run=True, verdicts=("reactivate", "keep"))
    assert plan["status"].astype(str).tolist() == ["planned", "planned"]


def test_a_frame_read_for_a_listed_account_goes_there_without_its_column(demo):
    _emulator, master = demo
    news = master.for_account(NEWS)
    day = mm.read_suppressions(*STORM, session=news)  # no account column: news@'s own
    rows = day[day["reason"] == "bounce"].head(1).copy()
    plan = rows.mm.activate(session=master, dry_run=True, verdicts=("reactivate", "keep"))
    assert plan["status"].astype(str).tolist() == ["planned"]
    done = rows.mm.activate(session=master, verdicts=("reactivate", "keep"))
    assert done["status"].tolist() == ["ok"]
    state = mm.read_recipients(rows["email"].tolist(), session=news)
    assert state["suppression_status"].tolist() != ["suppressed"]
