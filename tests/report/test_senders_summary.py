"""The summary's sender line names what the senders lack, counted (fifth review: "1 sender
not ready, or without SPF or DKIM" left the reader to guess which of the three)."""

from __future__ import annotations

import pandas as pd

from mmframe.reporting.senders import judge


def _senders(rows: list[tuple[bool, bool, bool]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"account": "shop@acme.example", "email": f"s{i}@acme.example", "ready": ready,
             "spf": spf, "dkim": dkim, "seeding": False}
            for i, (ready, spf, dkim) in enumerate(rows)
        ]
    )  # fmt: skip


def test_one_sender_without_dkim_is_said_so():
    judged = judge(_senders([(True, True, False), (True, True, True)]), None)
    assert judged.summary == "1 sender to fix: 1 without DKIM.", judged.summary


def test_each_gap_is_counted_and_a_sender_with_several_counts_once_in_the_total():
    judged = judge(
        _senders([(False, False, False), (True, False, True), (True, True, False)]), None
    )
    assert judged.summary == ("3 senders to fix: 1 not ready, 2 without SPF and 2 without DKIM."), (
        judged.summary
    )


def test_no_gap_no_summary():
    assert judge(_senders([(True, True, True)]), None).summary == ""
