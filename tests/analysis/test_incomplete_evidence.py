"""Evidence read incomplete judges nobody back (adv9, F1): bounces and complaints read with
``on_error="warn"`` from a server that lists its last 30 days came back without October's
complaints and dead mailboxes (a PartialLoadWarning), and remediation_candidates judged
372 rows ``reactivate`` on them, with no EvidenceWarning: among them people who had
complained and mailboxes called dead. The frame now remembers that it is incomplete (and
which chunks), and no row is judged ``reactivate`` on it: those go to ``review``, cause
``incomplete``, with an EvidenceWarning naming the frame and what it lacks."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.emulator import Emulator

pytestmark = [pytest.mark.invariants, pytest.mark.clock]

NEWS, PROMO = "news@example.com", "promo@example.com"
NOW = pd.Timestamp("2026-06-20", tz="UTC")
DAY = pd.Timestamp("2026-06-09 10:00", tz="UTC")
STORM = "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints"
DEAD = "550 5.1.1 The email account that you tried to reach does not exist."


class Clock:
    """The server's clock: now is ``NOW`` (the server lists from 30 days before)."""

    def __call__(self) -> float:
        return NOW.timestamp()


@pytest.fixture(scope="module")
def retaining() -> Iterator[Emulator]:
    with Emulator("empty", port=0, clock=Clock(), report_retention=True) as emulator:
        yield emulator


def _history(n: int, bad: dict[int, tuple[str, int]]) -> dict[str, pd.DataFrame]:
    """A storm of ``n`` TSS04 deferrals on news@ (each passes); ``bad[i] = (what, days)``:
    address i complained to, or was called dead by, promo@'s servers ``days`` before now."""
    emails = [f"p{i}@yahoo.com" for i in range(n)]
    at = [DAY + pd.Timedelta(seconds=30 * i) for i in range(n)]
    mail = {"domain": "yahoo.com", "sender": "m@example.com"}
    sup = pd.DataFrame({"account": NEWS, "email": emails, "domain": "yahoo.com",
                        "suppressed_at": at, "reason": "bounce",
                        "suppression_id": range(1, n + 1)})  # fmt: skip
    sent = pd.DataFrame({"account": NEWS, "email": emails, **mail,
                         "sent_at": [x - pd.Timedelta(minutes=1) for x in at]})  # fmt: skip
    bounces = [sent.assign(bounced_at=at, bounce_type="soft", bounce_rule="softbounce",
                           message=STORM, notified=False)]  # fmt: skip
    complaints, theirs = [], []
    for i, (what, days) in sorted(bad.items()):
        old = NOW - pd.Timedelta(days=days)
        one = pd.DataFrame({"account": [PROMO], "email": [emails[i]], **mail, "sent_at": [old]})
        theirs.append(one)
        if what == "complaint":
            complaints.append(one.assign(complained_at=old + pd.Timedelta(hours=1)))
        else:
            bounces.append(one.assign(bounced_at=old + pd.Timedelta(minutes=1),
                                      bounce_type="hard", bounce_rule="hardbounce",
                                      message=DEAD, notified=False))  # fmt: skip
    frames = {"suppressions": sup, "sent": pd.concat([sent, *theirs], ignore_index=True),
              "bounces": pd.concat(bounces, ignore_index=True)}  # fmt: skip
    if complaints:
        frames["complaints"] = pd.concat(complaints, ignore_index=True)
    return frames


def _judge(session: mm.Session) -> tuple[pd.DataFrame, list[warnings.WarningMessage]]:
    """The storm day judged as the review did: evidence read with on_error="warn"."""
    every = {"accounts": "all", "session": session, "on_error": "warn"}
    rows = mm.read_suppressions("2026-06-09", "2026-06-10", accounts=[NEWS], session=session)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bounces = mm.read_bounces(None, None, **every)
        complaints = mm.read_complaints(None, None, **every)
        opt_outs = mm.read_suppressions(None, None, **every)
        fix = mm.remediation_candidates(
            rows, bounces=bounces, complaints=complaints, opt_outs=opt_outs
        )
    return fix, caught


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    n=st.integers(2, 8),
    bad=st.dictionaries(
        st.integers(0, 7),
        st.tuples(st.sampled_from(["complaint", "dead"]), st.integers(1, 200)),
        max_size=4,
    ),
)
def test_no_row_is_reactivated_on_evidence_read_incomplete(retaining, n, bad):
    emulator = retaining
    bad = {i: v for i, v in bad.items() if i < n}
    emulator.load("empty")
    emulator.replay(**_history(n, bad))
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        fix, caught = _judge(session)
        partial = [w for w in caught if issubclass(w.category, mm.PartialLoadWarning)]
        evidence = [w for w in caught if issubclass(w.category, mm.EvidenceWarning)]
        verdict = dict(zip(fix["email"], fix["verdict"].astype(str), strict=True))
        unlisted = {f"p{i}@yahoo.com" for i, (_w, days) in bad.items() if days > 30}
        if not partial:  # everything listed: judged as ever, the bad ones held
            assert not unlisted and not evidence
            assert all(verdict[f"p{i}@yahoo.com"] != "reactivate" for i in bad)
            return
        assert unlisted  # only what the server no longer lists makes a read incomplete
        # Nobody is put back on part of the evidence, and the page says why, by name.
        assert set(verdict.values()) <= {"review", "keep"}, verdict
        assert "reactivate" not in fix["verdict"].astype(str).tolist()
        held = fix[fix["cause"].astype(str) == "incomplete"]
        assert held["evidence"].str.contains("evidence read was incomplete").all()
        (said,) = [str(w.message) for w in evidence]
        assert "came back incomplete" in said and PROMO in said, said
        # A plan of the rows it clears plans nobody; the judged frame is refused whole.
        back = fix[fix["verdict"] == "reactivate"]
        assert back.mm.activate(full=True, dry_run=True, session=session).empty


def test_the_frame_read_incomplete_says_so_in_its_attrs(retaining):
    emulator = retaining
    emulator.load("empty")
    emulator.replay(**_history(3, {0: ("complaint", 90), 1: ("dead", 60)}))
    with mm.Session(emulator.url, emulator.master_apikey) as session:
        with pytest.warns(mm.PartialLoadWarning):
            complaints = mm.read_complaints(
                None, None, accounts="all", session=session, on_error="warn"
            )
        record = complaints.attrs["mmframe"]["incomplete"]
        assert record["chunks"] >= 1 and record["of"] >= record["chunks"]
        assert {r["account"] for r in record["runs"]} == {PROMO}
        assert all(r["status"] == "short" for r in record["runs"])
        # A part of the frame is as incomplete as the whole: attrs follow a filter.
        theirs = complaints[complaints["account"] == PROMO]
        assert theirs.attrs["mmframe"]["incomplete"] == record
        fix, caught = _judge(session)
        # None listed holds anything against them: each would have been reactivate.
        assert fix["verdict"].astype(str).tolist() == ["review"] * 3
        assert fix["cause"].astype(str).tolist() == ["incomplete"] * 3
        assert any(issubclass(w.category, mm.EvidenceWarning) for w in caught)
