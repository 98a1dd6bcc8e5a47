"""The page checks' cheap kernels agree with the plain definitions they replace, on any text.

A million-row read runs these on every page; each was a regex or a copy of the column,
now a kernel or two. Hypothesis holds them to the old definitions."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from mmframe import answers, page_parsing

#: Text with the characters that decide each check: digits, "@", whitespace (ASCII and
#: not), capitals in and out of ASCII, and anything else.
TEXT = st.text(
    alphabet=st.sampled_from("09a@Z .\t\n\u00a0\u2003\u00c9\u0130\u1e9e\u00df\u3000x\ufeff")
    | st.characters(codec="utf-8"),
    max_size=24,
)
COLUMN = st.lists(st.none() | TEXT, max_size=12)


def _old_domains(emails: pa.Array) -> pa.Array:
    """The definition before: split at the last "@" when every address has one, else a
    regex over all (which leaves text before a line break alone)."""
    if pc.all(pc.match_substring(emails, "@")).as_py() is not False:
        parts = pc.split_pattern(emails, "@", max_splits=1, reverse=True)
        return pc.utf8_lower(pc.list_element(parts, 1))
    bare = pc.replace_substring_regex(emails, pattern="^.*@", replacement="")
    return pc.utf8_lower(bare)


@given(COLUMN)
def test_domains_are_what_follows_the_last_at_lower_cased(texts):
    emails = pa.array(texts, pa.string())
    assert page_parsing.domains(emails).to_pylist() == _old_domains(emails).to_pylist()


@given(COLUMN)
def test_blank_is_empty_or_only_whitespace(texts):
    column = pa.array(texts, pa.string())
    trimmed = pc.utf8_length(pc.utf8_trim_whitespace(column))
    assert answers._any_blank(column) == bool(pc.any(pc.equal(trimmed, 0)).as_py())


@given(COLUMN | st.lists(st.none() | st.from_regex(r"\A[0-9]{0,21}\Z"), max_size=12))
def test_digits_are_what_the_regex_matched(texts):
    column = pa.array(texts, pa.string())
    matched = pc.all(pc.match_substring_regex(column, r"^[0-9]{1,18}$")).as_py() is not False
    assert answers._all_digits(column, 18) == matched
