"""Searching many RE2 rules at once, in alternations RE2's fast engine can hold.

One alternation of every rule of a family (15,000 characters of pattern) is more than
RE2's DFA holds in the memory pyarrow gives it, so RE2 falls back to a search some fifty
times slower (3.4 s where 0.05 s does, on 50,000 texts). The rules are joined into
alternations of at most :data:`CHUNK` characters instead, and the leftmost match of them
all is kept, as one alternation would find it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: The most characters of pattern joined into one alternation: measured on
#: ``bench/triage.py``'s texts, 4,000 kept every family's search on the DFA, 15,000 did not.
CHUNK = 3_000
_NOWHERE = np.iinfo(np.int64).max


def grouped(rules: Sequence[str], size: int = CHUNK) -> tuple[tuple[str, range], ...]:
    """``rules`` joined, in order, into alternations of at most ``size`` characters (a rule
    longer than that stands alone), each with the places in ``rules`` of those it joins."""
    starts = [0]
    used = 0
    for place, rule in enumerate(rules):
        if place > starts[-1] and used + len(rule) > size:
            starts.append(place)
            used = 0
        used += len(rule) + 5
    bounds = [*starts, len(rules)] if rules else [0]
    return tuple(
        ("|".join(f"(?:{rule})" for rule in rules[a:b]), range(a, b))
        for a, b in itertools.pairwise(bounds)
    )


def alternations(rules: Sequence[str], size: int = CHUNK) -> tuple[str, ...]:
    """The alternations of :func:`grouped`."""
    return tuple(joined for joined, _ in grouped(rules, size))


def leftmost(texts: pa.Array, chunks: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """For each text, the words the leftmost match of any of ``chunks`` (case ignored) reads
    and where they start (in characters), or None and -1: what one alternation of them all
    finds (the leftmost start; at a tie, the earlier rule)."""
    start = np.full(len(texts), _NOWHERE, dtype=np.int64)
    said = np.full(len(texts), None, dtype=object)
    for chunk in chunks:
        hit = pc.match_substring_regex(texts, chunk, ignore_case=True)
        where = np.flatnonzero(np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool))
        if not len(where):
            continue
        found = pc.extract_regex(
            texts.take(pa.array(where)), f"(?i)^(?P<before>(?s:.*?))(?P<said>{chunk})"
        )
        begins = pc.utf8_length(found.field("before")).to_numpy(zero_copy_only=False)
        sooner = begins < start[where]  # a tie keeps the earlier chunk's, as "|" would
        start[where[sooner]] = begins[sooner]
        said[where[sooner]] = found.field("said").to_numpy(zero_copy_only=False)[sooner]
    start[start == _NOWHERE] = -1
    return said, start
