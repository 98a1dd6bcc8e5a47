"""A frame judged on evidence of unknown or partial coverage says so again where its rows
are applied (adv12, A2-2): ``remediation_candidates`` warned once, where the frame was
judged, but the RemediationPanel's warning was empty and
``fix[fix.verdict == "reactivate"].mm.activate(dry_run=True)`` silent, 5 complainers
among the 84 rows. The judged record in the frame's attrs now keeps what the evidence
lacked; ``activate`` repeats it as an ``EvidenceWarning`` (not a refusal) and the panel's
warning names it."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import mmframe as mm
from mmframe.emulator import Emulator
from mmframe.widgets import RemediationPanel
from tests.evidence_record import whole

NEWS = "news@example.com"
ROWS = 6
DAY = pd.Timestamp("2026-06-09 10:00", tz="UTC")
STORM = "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints"


@pytest.fixture(scope="module")
def served():
    """An emulator holding ``ROWS`` storm suppressions, them as read, and their bounces."""
    emails = [f"p{i}@yahoo.com" for i in range(ROWS)]
    at = [DAY + pd.Timedelta(minutes=i) for i in range(ROWS)]
    sup = pd.DataFrame({"account": NEWS, "email": emails, "suppressed_at": at, "reason": "bounce"})
    bounces = pd.DataFrame({"account": NEWS, "email": emails, "domain": "yahoo.com",
                            "bounced_at": [t - pd.Timedelta(seconds=20) for t in at],
                            "bounce_type": "soft", "message": STORM})  # fmt: skip
    with Emulator("empty", port=0) as emulator:
        emulator.replay(suppressions=sup)
        with mm.Session(emulator.url, emulator.master_apikey) as session:
            rows = mm.read_suppressions(None, None, accounts=[NEWS], session=session)
            yield session, rows, whole(bounces)


def _judged(rows: pd.DataFrame, bounces: pd.DataFrame, **evidence: object) -> pd.DataFrame:
    return mm.remediation_candidates(rows, bounces=bounces, **evidence)


def test_activate_and_the_panel_repeat_what_the_evidence_lacked(served):
    session, rows, bounces = served
    with pytest.warns(mm.EvidenceWarning, match="complaints=None"):
        fix = _judged(rows, bounces, opt_outs=whole(rows))
    clear = fix[fix["verdict"] == "reactivate"]
    assert len(clear) == ROWS
    with pytest.warns(mm.EvidenceWarning, match=r"unknown or partial coverage \(complaints=None"):
        plan = clear.mm.activate(full=True, dry_run=True, session=session)
    assert plan["status"].eq("planned").all()  # a warning, not a refusal
    # Cut since, its columns dropped: the record still says it.
    with pytest.warns(mm.EvidenceWarning, match="complaints=None"):
        clear[["account", "email"]].mm.activate(dry_run=True, session=session)
    panel = RemediationPanel(fix, session)
    assert "complaints=None" in panel.warning.value, panel.warning.value
    assert "unknown or partial coverage" in panel.warning.value


def test_a_frame_judged_on_everything_says_nothing(served):
    session, rows, bounces = served
    none = pd.Series([], dtype=object)
    empty = pd.DataFrame({"account": none, "email": none,
                          "complained_at": pd.Series([], dtype="datetime64[ns, UTC]")})  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fix = _judged(rows, bounces, complaints=whole(empty), opt_outs=whole(rows))
        clear = fix[fix["verdict"] == "reactivate"]
        assert clear.mm.activate(dry_run=True, session=session)["status"].eq("planned").all()
    assert "coverage" not in RemediationPanel(fix, session).warning.value
