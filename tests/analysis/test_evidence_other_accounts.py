"""Evidence read for fewer accounts than the key sees is said (tenth review, F12): the
suppressions of one account judged on bounces, complaints and opt-outs read with
``accounts=[that account]`` put back 29 addresses that complained, opted out or were
called dead on the key's other accounts, without an :class:`mmframe.EvidenceWarning`.
The loaders record the accounts the key sees (``attrs["mmframe"]["seen"]``, when known),
so the gap is named, as a missing complaints frame is; and the refusal of an evidence
frame without ``account`` advises reading it with ``accounts="all"``."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm

pytestmark = pytest.mark.invariants

SEEN = ("admin@acme.io", "news@acme.io", "shop@acme.io")
OWN = SEEN[1]
DAY = pd.Timestamp("2026-11-12", tz="UTC")
DEFERRAL = "452 4.2.2 Mailbox full, try again later"


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


def _nothing(column: str) -> pd.DataFrame:
    at = DAY - pd.Timedelta(days=300)
    return pd.DataFrame({"account": [OWN], "email": ["someone.else@web.example"],
                         column: [at], "reason": "unsubscribe"})  # fmt: skip


reads = st.sets(st.sampled_from(SEEN), min_size=1).map(sorted)


@settings(max_examples=40, deadline=None)
@given(read=st.tuples(reads, reads, reads), rows=st.integers(0, 4), known=st.booleans())
def test_a_reactivate_on_evidence_narrowed_to_fewer_accounts_always_comes_with_the_warning(
    read, rows, known
):
    sup, bounces = _day(rows)
    seen = list(SEEN) if known else None
    names = ("bounces", "complaints", "opt_outs")
    frames = (bounces, _nothing("complained_at"), _nothing("suppressed_at"))
    given = {n: _stamped(f, r, seen) for n, f, r in zip(names, frames, read, strict=True)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = mm.remediation_candidates(sup, **given)
    said = [str(w.message) for w in caught if issubclass(w.category, mm.EvidenceWarning)]
    assert len(caught) == len(said)  # no other warning
    back = int((out["verdict"] == "reactivate").sum())
    narrowed = {n: [a for a in SEEN if a not in r] for n, r in zip(names, read, strict=True)}
    narrowed = {n: unread for n, unread in narrowed.items() if unread and known}
    if not back or not narrowed:  # nothing put back, or nothing known to be unread: silent
        assert said == []
        return
    (message,) = said
    assert f"{back} {'row' if back == 1 else 'rows'} judged reactivate" in message, message
    for name, unread in narrowed.items():
        assert f"{name} read without {', '.join(unread)}" in message, message
    for name in set(names) - set(narrowed):
        assert f"{name} read without" not in message, message
    assert 'accounts="all"' in message and "could be among them" in message, message


def test_the_demos_news_account_judged_on_its_own_evidence_alone_is_said(demo_session):
    news = {"accounts": ["news@example.com"], "session": demo_session}
    rows = mm.read_suppressions("2026-06-09", "2026-06-10", **news)
    evidence = {
        "bounces": mm.read_bounces(None, None, **news),
        "complaints": mm.read_complaints(None, None, **news),
        "opt_outs": mm.read_suppressions(None, None, **news),
    }
    seen = evidence["bounces"].attrs["mmframe"]["seen"]  # the master's account list
    others = [name for name in seen if name != "news@example.com"]
    assert len(others) == len(seen) - 1 and "ops@example.com" in others, seen
    with pytest.warns(mm.EvidenceWarning) as caught:
        judged = mm.remediation_candidates(rows, **evidence)
    (message,) = [str(w.message) for w in caught]
    back = int((judged["verdict"] == "reactivate").sum())
    assert back and f"{back:,} rows judged reactivate" in message, message
    for name in ("bounces", "complaints", "opt_outs"):
        assert f"{name} read without {', '.join(others)}" in message, message


def test_an_evidence_frame_without_account_is_refused_with_the_read_that_gives_it_all(
    demo_session,
):
    rows = mm.read_suppressions(
        "2026-06-09", "2026-06-10", accounts=["news@example.com"], session=demo_session
    )
    mine = mm.read_complaints(None, None, session=demo_session)  # the session's own account
    with pytest.raises(ValueError) as raised:
        mm.remediation_candidates(rows, complaints=mine)
    message = str(raised.value)
    assert 'read_complaints(None, None, accounts="all")' in message, message
    assert "insert(" not in message and "the same accounts=" not in message, message
