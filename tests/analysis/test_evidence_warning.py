"""remediation_candidates says when it judged on less than every complaint, opt-out and
bounce (issue 33, eighth review, defect 3): with its defaults (no complaints, no opt-outs)
it called 488 rows "reactivate", 15 who complained to that very account among them, and
said nothing; nor did it with bounces read from the storm's own day. Whatever could then
be put back is named in an :class:`mmframe.EvidenceWarning`, with the way to read it all."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm

pytestmark = pytest.mark.invariants

ACCOUNT = "news@example.com"
DAY = pd.Timestamp("2026-06-09", tz="UTC")
DEFERRAL = "452 4.2.2 Mailbox full, try again later"


def _day(n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` suppressions of one day, each after a deferral that passes: all reactivate."""
    emails = [f"d{i}@yahoo.com" for i in range(n)]
    at = pd.Series([DAY + pd.Timedelta(hours=9, minutes=i) for i in range(n)],
                   dtype="datetime64[ns, UTC]")  # fmt: skip
    sup = pd.DataFrame({"account": ACCOUNT, "email": emails, "suppressed_at": at,
                        "reason": "bounce", "domain": "yahoo.com"})  # fmt: skip
    bounces = sup[["account", "email", "domain"]].assign(
        bounced_at=at - pd.Timedelta(seconds=20), message=DEFERRAL, bounce_type="soft"
    )
    return sup, bounces


def _none(column: str) -> pd.DataFrame:
    """An evidence frame read whole that holds nothing of these addresses."""
    return pd.DataFrame(
        {"account": [ACCOUNT], "email": ["someone.else@yahoo.com"],
         column: [DAY - pd.Timedelta(days=300)], "reason": "unsubscribe"}
    )  # fmt: skip


def _read_from(frame: pd.DataFrame, start: str | None) -> pd.DataFrame:
    """``frame`` as a loader stamps a read from ``start`` (None: from the first)."""
    frame = frame.copy()
    frame.attrs["mmframe"] = {"kind": "x", "accounts": [ACCOUNT],
                              "query": {"start": start, "end": None}}  # fmt: skip
    return frame


@settings(max_examples=40, deadline=None)
@given(
    complaints=st.booleans(),
    opt_outs=st.booleans(),
    starts=st.tuples(*[st.sampled_from([None, "2026-06-01", "2026-06-09", "2026-06-10"])] * 3),
    rows=st.integers(0, 4),
)
def test_it_warns_exactly_when_evidence_is_missing_or_read_from_a_start(
    complaints, opt_outs, starts, rows
):
    sup, bounces = _day(rows)
    given = {
        "bounces": _read_from(bounces, starts[0]),
        "complaints": _read_from(_none("complained_at"), starts[1]) if complaints else None,
        "opt_outs": _read_from(_none("suppressed_at"), starts[2]) if opt_outs else None,
    }
    missing = [n for n in ("complaints", "opt_outs") if given[n] is None]
    short = [n for n, s in zip(("bounces", "complaints", "opt_outs"), starts, strict=True)
             if given[n] is not None and s is not None]  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = mm.remediation_candidates(sup, **given)
    said = [str(w.message) for w in caught if issubclass(w.category, mm.EvidenceWarning)]
    assert len(caught) == len(said)  # no other warning
    back = int((out["verdict"] == "reactivate").sum())
    assert back == rows
    if not (missing or short) or not back:  # nothing could be put back unseen: silent
        assert said == []
        return
    (message,) = said
    assert f"{back} {'row' if back == 1 else 'rows'} judged reactivate" in message, message
    for name in missing:
        assert f"{name}=None" in message, message
    for name, start in zip(("bounces", "complaints", "opt_outs"), starts, strict=True):
        if name in short:
            assert f"{name} read from {start}" in message, message
    # What could be put back, and the way to read it all.
    assert "could be among them" in message and "read_complaints(None, None" in message


def test_the_warning_points_at_the_callers_line():
    sup, bounces = _day()
    with pytest.warns(mm.EvidenceWarning) as caught:
        mm.remediation_candidates(sup, bounces=bounces)
    assert caught[0].filename == __file__


def test_a_day_read_with_its_own_bounces_alone_is_said(demo_session):
    # The review's case on the demo: the day's suppressions, its bounces from that day,
    # no complaints and no opt-outs.
    who = {"accounts": [ACCOUNT], "session": demo_session}
    rows = mm.read_suppressions("2026-06-09", "2026-06-10", **who)
    day = mm.read_bounces("2026-06-09", "2026-06-10", **who)
    with pytest.warns(mm.EvidenceWarning) as caught:
        judged = mm.remediation_candidates(rows, bounces=day)
    (message,) = [str(w.message) for w in caught]
    back = int((judged["verdict"] == "reactivate").sum())
    assert back and f"{back:,} rows judged reactivate" in message, message
    assert "complaints=None" in message and "opt_outs=None" in message, message
    assert "bounces read from 2026-06-09" in message, message
    # Read as the docs say, from the first on every account: not a word.
    every = {"accounts": "all", "session": demo_session}
    mm.remediation_candidates(
        rows,
        bounces=mm.read_bounces(None, None, **every),
        complaints=mm.read_complaints(None, None, **every),
        opt_outs=mm.read_suppressions(None, None, **every),
    )
