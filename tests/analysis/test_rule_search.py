"""Rules searched in several alternations find what one alternation of them all finds.

Triage joins a family's rules into alternations small enough for RE2's fast engine
(:mod:`mmframe.analysis.rule_search`); which words decide a row must not depend on where
those joins fall.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from mmframe.analysis.phrase_tables import phrases
from mmframe.analysis.rule_search import alternations, grouped, leftmost

#: Every rule that reads an address or its domain dead, in the table's order.
RULES = [p for n, p in phrases()[:-1] if n in {"userunknown", "suspend", "hasmoved", "hostunknown"}]
#: Words the rules are made of, and words between them, so generated texts match several
#: rules at once, at the same place or apart.
WORDS = [
    "user", "users", "mailbox", "account", "recipient", "address", "domain", "unknown",
    "not found", "does not exist", "no such user", "disabled", "suspended", "deleted",
    "closed", "inactive", "moved", "host", "name", "or", "and", "is", "has been", "the",
    "550", "5.1.1", ";", ",", ":", ".", "<a@b.example>", "\n", "here", "sender", "Ünbekannt",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join),
        min_size=1,
        max_size=8,
    ),
    size=st.sampled_from([150, 600, 3_000, 10**6]),
)
def test_the_joins_do_not_change_the_words_found(texts: list[str], size: int) -> None:
    words = pa.array(texts, pa.string())
    said, start = leftmost(words, alternations(RULES, size))
    whole = "|".join(f"(?:{rule})" for rule in RULES)
    found = pc.extract_regex(words, f"(?i)^(?P<before>(?s:.*?))(?P<said>{whole})")
    for i, row in enumerate(found.to_pylist()):
        expected = (None, -1) if row is None else (row["said"], len(row["before"]))
        assert (said[i], start[i]) == expected, texts[i]


def test_every_rule_stands_in_exactly_one_join_in_order() -> None:
    whole = "|".join(f"(?:{rule})" for rule in RULES)
    for size in (1, 500, 3_000):
        assert "|".join(alternations(RULES, size)) == whole
        places = [place for _, run in grouped(RULES, size) for place in run]
        assert places == list(range(len(RULES)))
    assert len(alternations(RULES, 1)) == len(RULES)  # a rule too long stands alone
    assert alternations(RULES, len(whole)) == (whole,)
