"""Evidence with no record of its read is not taken as complete (eleventh review, A2):
``pd.concat`` of two loaders' opt-outs (attrs differ, so pandas keeps none) that left an
account out cleared that account's opt-outs without a word, and ``.mm.activate`` planned
them. A frame without the loaders' record (concatenated, built by hand, its attrs
cleared) is said to be of unknown coverage in an :class:`mmframe.EvidenceWarning`,
naming the accounts the other frames name that it has no rows of; a loader's frame,
filtered after the read, keeps its record, whose count of the rows read names what it
lost (tests/analysis/test_evidence_narrowed.py)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm

pytestmark = pytest.mark.invariants

SEEN = ("admin@acme.io", "news@acme.io", "shop@acme.io", "tiny@acme.io")
OWN = SEEN[1]
DAY = pd.Timestamp("2026-11-12", tz="UTC")
DEFERRAL = "452 4.2.2 Mailbox full, try again later"
NAMES = ("bounces", "complaints", "opt_outs")
TIMES = {"bounces": "bounced_at", "complaints": "complained_at", "opt_outs": "suppressed_at"}


def _stamped(frame: pd.DataFrame, read: list[str], seen: list[str] | None) -> pd.DataFrame:
    """``frame`` as a loader stamps a read from the first of ``read``, its key seeing
    ``seen`` (None: not known)."""
    frame = frame.copy()
    frame.attrs["mmframe"] = {"kind": "x", "accounts": read, "seen": seen,
                              "query": {"start": None, "end": None}}  # fmt: skip
    return frame


def _day(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` suppressions of OWN on one day, each after a deferral that passes."""
    emails = [f"d{i}@web.example" for i in range(n)]
    at = pd.Series([DAY + pd.Timedelta(hours=9, minutes=i) for i in range(n)],
                   dtype="datetime64[ns, UTC]")  # fmt: skip
    sup = pd.DataFrame({"account": OWN, "email": emails, "suppressed_at": at,
                        "reason": "bounce", "domain": "web.example"})  # fmt: skip
    bounces = sup[["account", "email", "domain"]].assign(
        bounced_at=at - pd.Timedelta(seconds=20), message=DEFERRAL, bounce_type="soft"
    )
    return sup, bounces


def _part(name: str, account: str) -> pd.DataFrame:
    """One account's evidence, as its own loader's read: nothing of the day's addresses."""
    frame = pd.DataFrame(
        {"account": [account], "email": [f"someone.else@{account.split('@')[0]}.example"],
         TIMES[name]: [DAY - pd.Timedelta(days=300)], "reason": "unsubscribe",
         "message": DEFERRAL, "domain": "web.example", "bounce_type": "soft"}
    )  # fmt: skip
    return _stamped(frame, [account], list(SEEN))


def _joined(name: str, accounts: list[str], base: pd.DataFrame | None) -> pd.DataFrame:
    """Reads of each of ``accounts`` joined with ``pd.concat`` (with ``base``, the day's
    own bounces, for bounces): their attrs differ, so the join keeps none, as a frame
    built by hand has none."""
    parts = [_part(name, a) for a in accounts] + ([base] if base is not None else [])
    joined = pd.concat(parts, ignore_index=True) if parts else _part(name, OWN).iloc[:0]
    joined.attrs = {}  # one part alone keeps its attrs: a frame built by hand has none
    return joined


splits = st.one_of(st.none(), st.sets(st.sampled_from(SEEN)).map(sorted))


@settings(max_examples=60, deadline=None)
@given(split=st.tuples(splits, splits, splits), rows=st.integers(0, 3), known=st.booleans())
def test_evidence_without_a_record_of_its_read_always_comes_with_the_warning(split, rows, known):
    sup, bounces = _day(rows)
    sup = _stamped(sup, [OWN], list(SEEN) if known else None)
    given = {}
    for name, accounts in zip(NAMES, split, strict=True):
        own = bounces if name == "bounces" else None
        whole = pd.concat([_part(name, a) for a in SEEN] + ([own] if own is not None else []))
        given[name] = (
            _stamped(whole, list(SEEN), list(SEEN))  # a loader's read of every account
            if accounts is None
            else _joined(name, accounts, own)
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = mm.remediation_candidates(sup, **given)
    said = [str(w.message) for w in caught if issubclass(w.category, mm.EvidenceWarning)]
    assert len(caught) == len(said)  # no other warning
    back = int((out["verdict"] == "reactivate").sum())
    assert back == rows
    unknown = [n for n, accounts in zip(NAMES, split, strict=True) if accounts is not None]
    if not back or not unknown:  # nothing put back, or every frame a loader's whole read
        assert said == []
        return
    (message,) = said
    assert f"{back} {'row' if back == 1 else 'rows'} judged reactivate" in message, message
    # The accounts the inputs name: the key's (the suppressions' attrs), those read, and
    # those with rows in any frame.
    named = set(SEEN) if known else {OWN}
    named |= {a for accounts in split if accounts is not None for a in accounts}
    named |= set(SEEN) if None in split else set()
    for name, accounts in zip(NAMES, split, strict=True):
        if accounts is None:
            assert f"{name} of unknown coverage" not in message, message
            continue
        have = set(accounts) | ({OWN} if name == "bounces" and rows else set())
        absent = sorted(named - have)
        listed = f"; no rows of {', '.join(absent)}" if absent else ")"
        assert f"{name} of unknown coverage (no record of its read{listed}" in message, message
    assert 'accounts="all"' in message and "could be among them" in message, message
    assert "pd.concat" in message, message


def test_a_record_without_a_count_of_rows_read_is_not_counted():
    # A filter keeps attrs; a record that counts no rows (made by hand, or by an mmframe
    # before the count) cannot tell a filtered frame from its read, and says nothing.
    sup, bounces = _day(2)
    whole = {
        n: _stamped(pd.concat([_part(n, a) for a in SEEN] + ([bounces] if n == "bounces" else [])),
                    list(SEEN), list(SEEN))
        for n in NAMES
    }  # fmt: skip
    cut = whole["opt_outs"][whole["opt_outs"]["account"] != "tiny@acme.io"]
    assert cut.attrs == whole["opt_outs"].attrs
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = mm.remediation_candidates(sup, **{**whole, "opt_outs": cut})
    assert (out["verdict"] == "reactivate").all()


def test_the_reviewers_concatenated_opt_outs_are_said_with_the_accounts_left_out(demo_session):
    every = {"accounts": "all", "session": demo_session}
    news = "news@example.com"
    rows = mm.read_suppressions("2026-06-09", "2026-06-10", accounts=[news], session=demo_session)
    seen = rows.attrs["mmframe"]["seen"]
    other = next(name for name in seen if name != news)

    def opted(account: str) -> pd.DataFrame:
        return mm.read_suppressions(None, None, accounts=[account], session=demo_session)

    opt_outs = pd.concat([opted(news), opted(other)])
    assert opt_outs.attrs == {}  # pandas keeps attrs on concat only where all are equal
    with pytest.warns(mm.EvidenceWarning) as caught:
        judged = mm.remediation_candidates(
            rows,
            bounces=mm.read_bounces(None, None, **every),
            complaints=mm.read_complaints(None, None, **every),
            opt_outs=opt_outs,
        )
    (message,) = [str(w.message) for w in caught]
    back = int((judged["verdict"] == "reactivate").sum())
    assert back and f"{back:,} rows judged reactivate" in message, message
    having = set(opt_outs["account"].astype(str))
    absent = sorted((n for n in seen if n not in having), key=str.lower)
    assert len(absent) >= len(seen) - 2, (seen, having)
    said = f"opt_outs of unknown coverage (no record of its read; no rows of {', '.join(absent)}"
    assert said in message, message
    assert "bounces of unknown" not in message and "complaints of unknown" not in message
