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


def _after_last_at(emails: pa.Array) -> pa.Array:
    """The definition: what follows each address's last "@" (all of it where none),
    lower-cased, read one address at a time."""
    after = [None if e is None else e.rpartition("@")[2] for e in emails.to_pylist()]
    return pc.utf8_lower(pa.array(after, pa.string()))


@given(COLUMN)
def test_domains_are_what_follows_the_last_at_lower_cased(texts):
    emails = pa.array(texts, pa.string())
    assert page_parsing.domains(emails).to_pylist() == _after_last_at(emails).to_pylist()


def test_an_address_domain_does_not_depend_on_its_neighbours():
    # A line break before the "@" read as text either way (a cache test's failing case: a
    # held chunk's domain was "", the fresh frame's "\n@").
    alone = page_parsing.domains(pa.array(["a\n@X.com"])).to_pylist()
    beside = page_parsing.domains(pa.array(["a\n@X.com", "no-at"])).to_pylist()
    assert alone == ["x.com"] and beside == ["x.com", "no-at"]


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
