"""``accounts="all"`` means the same in Python as on the command line (twelfth review, S1):
with a sub-account key, ``mmframe report --accounts all`` reads the key's own account,
while ``mm.read_suppressions(..., accounts="all")`` raised ``InvalidAPIKey`` ("listing
accounts needs the master account's key"). Every loader now reads the key's own account
for "all" with such a key, its frame and record as ``accounts=None`` gives them, so the
coverage check says no more and no less of what was not read."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd
import pytest

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.reporting.scope import accounts_of

ACCOUNT = "news@example.com"
DAY = ("2026-06-09", "2026-06-10")


@pytest.fixture
def sub(demo_emulator: Emulator) -> Iterator[mm.Session]:
    """A session with news@'s own (sub-account) key."""
    with mm.Session(demo_emulator.url, demo_emulator.master_apikey) as master:
        key = master.account_keys()[ACCOUNT][1]
    with mm.Session(demo_emulator.url, key) as session:
        yield session


def _record(frame: pd.DataFrame) -> dict[str, object]:
    meta = dict(frame.attrs["mmframe"])
    meta.pop("loaded_at")
    meta.get("query", {}).pop("end", None)  # a range reaching now ends at each read's start
    return meta


READS: list[Callable[..., pd.DataFrame]] = [
    lambda **o: mm.read_suppressions(*DAY, **o),
    lambda **o: mm.read_bounces(*DAY, **o),
    lambda **o: mm.read_complaints(None, DAY[1], **o),
    lambda **o: mm.read_senders(**o),
    lambda **o: mm.read_xheaders(**o),
]


@pytest.mark.parametrize("read", READS, ids=["suppressions", "bounces", "complaints",
                                             "senders", "xheaders"])  # fmt: skip
def test_all_with_a_sub_account_key_reads_its_own_account(sub, read):
    assert accounts_of(sub, "all") is None  # the command line's decision, taken here too
    own = read(session=sub, accounts=None)
    every = read(session=sub, accounts="all")
    pd.testing.assert_frame_equal(every, own)
    assert _record(every) == _record(own)
    assert "account" not in every.columns or read is READS[-1]


def test_the_storm_fix_reads_as_the_guide_writes_it_with_a_sub_account_key(sub):
    # The guide's recipe, accounts="all" throughout, run with news@'s own key: it reads,
    # and judges as the same reads with accounts=None do (no other account is claimed);
    # the judging says the master's other accounts went unread (W-17b).
    every = {"accounts": "all", "session": sub}
    rows = mm.read_suppressions(*DAY, **every)
    evidence = {
        "bounces": mm.read_bounces(None, None, **every),
        "complaints": mm.read_complaints(None, None, **every),
        "opt_outs": mm.read_suppressions(None, None, **every),
    }
    with pytest.warns(mm.EvidenceWarning, match="read with a sub-account key"):
        judged = mm.remediation_candidates(rows, **evidence)
    assert (judged["verdict"] == "reactivate").any()
    for frame in evidence.values():
        meta = frame.attrs["mmframe"]
        assert meta["accounts"] is None and meta["seen"] is None, meta
        assert meta["sub_key"] is True, meta
