"""A spike's causes are said in one plain vocabulary (issue 33, eighth review, 11): the
verdict lines said "Keep 37: 20 complaint and 17 userunknown", "Reactivate 371: 371
badreputation", "Review 152: 152 unknown"; the line below "27 whose mailboxes a server
called dead", What to do "17 refused as unknown or disabled mailboxes", and the table mixed
both ("userunknown (mailbox called dead)")."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.triage import REASONS
from mmframe.reporting.cause_words import REMEDIES, kinds, words
from tests.report.spike_mix import TEXTS, mixed_spike

pytestmark = pytest.mark.invariants

#: Reason names that are no English word: never in a sentence or the table.
CODES = [r for r in REASONS if r not in ("blocked", "delivered", "expired", "filtered",
                                         "rejected", "suppressed", "undefined")]  # fmt: skip
#: Names that are English words: never as a count's noun ("20 complaint", "152 unknown").
BARE = ("complaint", "unsubscribe", "manual", "unknown", "bounce", "blocked", "undefined",
        "rejected", "filtered", "suppressed", "expired", "delivered")  # fmt: skip


def _raw(text: str) -> list[str]:
    """The raw cause names ``text`` holds."""
    found = [c for c in CODES if re.search(rf"\b{c}\b", text)]
    return found + re.findall(rf"\b\d[\d,]* (?:{'|'.join(BARE)})\b(?![ -]\w)", text)


def _pieces(finding) -> dict[str, str]:
    table = finding.tables[0][1]
    return {
        "said": " ".join(finding.said),
        "summary": finding.summary,
        "advice": finding.advice,
        "table": " | ".join(table["cause"].astype(str)),
    }


def _line(finding, verdict: str) -> str:
    (line,) = [s for s in finding.said if s.startswith(verdict.capitalize() + " ")]
    return line


def _agree(finding) -> None:
    """No raw name anywhere; each table row, its words and count, in its verdict's line;
    the rows kept, and those put back after a fix, in What to do in the same words."""
    for name, text in _pieces(finding).items():
        assert not _raw(text), (name, _raw(text), text)
    table = finding.tables[0][1]
    for row in table.itertuples(index=False):
        said = f"{row.rows} {row.cause}"
        line = _line(finding, str(row.verdict))
        if "other causes" not in line:
            assert said in line, (said, line)
        if row.verdict == "keep":
            assert said in finding.advice, (said, finding.advice)


def test_the_reviews_storm_is_told_in_words_alike_in_every_part() -> None:
    # 40 deferred for volume, 6 complained before, 5 dead, 3 disabled, 4 with no bounce.
    texts = ["volume"] * 40 + ["dead"] * 5 + ["disabled"] * 3 + ["volume"] * 10
    finding, _fix = mixed_spike(texts, complained=set(range(40, 46)), silent={50, 51, 52, 53})
    _agree(finding)
    keep = _line(finding, "keep")
    assert "who reported spam" in keep and "whose mailboxes a server called dead" in keep, keep
    reactivate = _line(finding, "reactivate")
    volume = words("volume")
    assert f"{volume}." in reactivate, reactivate
    assert f"{volume}: {REMEDIES['volume']}" in finding.advice, finding.advice
    assert "with no cause found in the data" in _line(finding, "review")


def test_every_reason_has_words_that_are_not_its_name() -> None:
    every = kinds(pd.Series([*REASONS, "complaint", "unsubscribe", "manual", "unknown"]))
    for kind in every:
        said = words(str(kind))
        assert not _raw(said) and "mmframe has no words" not in said, (kind, said)


@settings(max_examples=30, deadline=None)
@given(
    texts=st.lists(st.sampled_from(sorted(TEXTS)), min_size=20, max_size=70),
    complained=st.sets(st.integers(0, 69), max_size=6),
    silent=st.sets(st.integers(0, 69), max_size=4),
)
def test_any_spike_tells_its_causes_in_one_vocabulary(texts, complained, silent) -> None:
    n = len(texts)
    finding, _fix = mixed_spike(
        texts, complained={i for i in complained if i < n}, silent={i for i in silent if i < n}
    )
    _agree(finding)
