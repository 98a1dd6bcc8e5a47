"""A spike's rows to review are named by what holds them (adv33g defect 5): rows sent to
review by a complaint, an opt-out or a dead mailbox on another account were said to be
ones "the evidence neither clears nor condemns" and counted as the storm's
``badreputation``, in the verdict sentence, the table, the summary line and What to do."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmframe as mm
from mmframe.reporting.spike_findings import spike_finding

# These judge the bounce rules on the evidence each test builds, without every complaint
# and opt-out: remediation_candidates' warning of that is tested in test_evidence_warning.py.
pytestmark = [pytest.mark.invariants, pytest.mark.filterwarnings("ignore::mmframe.EvidenceWarning")]

HERE, THERE = "news@brand.example.org", "promo@brand.example.org"
DAY = pd.Timestamp("2026-06-09", tz="UTC")
STORM = "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints"
LONE = "550 5.0.0 Delivery failed"  # a 5xx code, no known words: neither passes nor condemns
#: What another account holds against an address, and the words that must name it.
HOLDS = {
    "complaint": "reported spam",
    "unsubscribe": "unsubscribed",
    "manual": "by hand",
    "dead": "dead",
}


def _judged(held: dict[int, str], lone: set[int], n: int = 60):
    """A storm of ``n`` on HERE; row i held by ``held[i]`` on THERE, or refused alone with
    a permanent policy refusal (``lone``); the spike finding and the candidates."""
    emails = [f"u{i}@yahoo.example" for i in range(n)]
    at = [DAY + pd.Timedelta(hours=10, seconds=30 * i) for i in range(n)]
    message = [LONE if i in lone else STORM for i in range(n)]
    bounces = pd.DataFrame(
        {"account": HERE, "email": emails, "domain": "yahoo.example", "bounced_at": at,
         "message": message}
    )  # fmt: skip
    rows = bounces[["account", "email", "domain"]].assign(
        suppressed_at=[t + pd.Timedelta(seconds=1) for t in at], reason="bounce"
    )
    before = DAY - pd.Timedelta(days=40)
    theirs = [(emails[i], what) for i, what in sorted(held.items())]

    def whose(*kinds: str) -> list[str]:
        return [e for e, w in theirs if w in kinds]

    opted = [w for _, w in theirs if w in ("unsubscribe", "manual")]
    complaints = pd.DataFrame(
        {"account": THERE, "email": whose("complaint"), "complained_at": before}
    )
    lists = pd.DataFrame(
        {"account": THERE, "email": whose("unsubscribe", "manual"), "suppressed_at": before,
         "reason": opted}
    )  # fmt: skip
    dead = pd.DataFrame(
        {"account": THERE, "email": whose("dead"), "domain": "yahoo.example",
         "bounced_at": before,
         "message": "550 5.1.1 <x@yahoo.example>: Recipient address rejected: User unknown"}
    )  # fmt: skip
    every = mm.triage(pd.concat([bounces, dead], ignore_index=True))
    fix = mm.remediation_candidates(
        rows, bounces=every, complaints=complaints.astype({"complained_at": "datetime64[ns, UTC]"}),
        opt_outs=lists.astype({"suppressed_at": "datetime64[ns, UTC]"}),
    )  # fmt: skip
    spike = pd.Series({"group": HERE, "start": DAY, "count": n, "baseline": 1.0, "ratio": n})
    own = every[every["account"] == HERE].reset_index(drop=True)
    return spike_finding(spike, fix, own, scope=[HERE]), fix


def _review_sentence(said: list[str]) -> str:
    found = [s for s in said if s.startswith("Review ")]
    assert len(found) == 1, said
    return found[0]


def test_rows_held_elsewhere_are_named_for_what_holds_them():
    # adv33g 5: "Review 2 (the evidence neither clears nor condemns them): 2 badreputation."
    finding, fix = _judged({0: "complaint", 1: "dead"}, set())
    sentence = _review_sentence(finding.said)
    assert "neither clears nor condemns" not in sentence, sentence
    assert "badreputation" not in sentence, sentence
    assert re.search(r"1 who reported spam to another account", sentence), sentence
    assert re.search(r"1 whose mailbox .*dead", sentence), sentence
    table = finding.tables[0][1]
    review = table[table["verdict"] == "review"]
    assert not review["cause"].astype(str).str.contains("badreputation").any(), table
    assert "2 to review" in finding.summary and "reported spam" in finding.summary
    assert "neither clears nor condemns" not in finding.advice, finding.advice
    assert "reported spam" in finding.advice and "dead" in finding.advice, finding.advice
    assert set(fix.loc[fix["verdict"] == "review", "email"]) == {"u0@yahoo.example",
                                                                 "u1@yahoo.example"}  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(
    held=st.dictionaries(st.integers(0, 59), st.sampled_from(sorted(HOLDS)), max_size=8),
    lone=st.sets(st.integers(0, 59), max_size=4),
)
def test_every_review_group_is_counted_by_its_own_cause_across_the_finding(held, lone):
    finding, fix = _judged(held, lone)
    review = fix[fix["verdict"] == "review"]
    text = " ".join([*finding.said, finding.summary, finding.advice])
    if not len(review):
        assert "review" not in text.lower().replace("reviewed", ""), text
        return
    sentence = _review_sentence(finding.said)
    assert sentence.startswith(f"Review {len(review)}"), sentence
    for what, words in HOLDS.items():
        n = sum(1 for i, w in held.items() if w == what)
        if n:  # each group counted with its own words, in the sentence and the advice
            assert re.search(rf"\b{n} [^,;:.]*{words}", sentence), (what, sentence)
            assert words in finding.advice, (what, finding.advice)
        else:
            assert words not in sentence, (what, sentence)
    undecided = len(review) - len(held)
    if undecided:
        assert "missing or mixed" in sentence and "missing or mixed" in finding.advice
    else:
        assert "missing or mixed" not in text and "neither clears" not in text, text
    assert "badreputation" not in sentence, sentence  # a storm row in review is held
    table = finding.tables[0][1]
    rows = table.loc[table["verdict"] == "review", "rows"].astype(str).str.replace(",", "")
    assert rows.astype(int).sum() == len(review)
    assert f"{len(review)} to review" in finding.summary, finding.summary
