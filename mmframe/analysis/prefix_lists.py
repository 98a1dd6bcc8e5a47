"""A block list named after one of Postfix's restriction prefixes: "<a@x.com>: Sender
address rejected: brand.example.org is listed at dbl.spamhaus.org" names the list as its
cause. The prefix says which check answered (the sender's, the recipient's, the client's,
the HELO's), not why; so where a phrase of the table matched only the prefix, a list named
after it decides, and words a phrase matched with the prefix ("Recipient address
rejected: User unknown") decide as they did."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .phrase_tables import phrases
from .refusal_words import LIST_NAMES, LIST_ZONE

#: Postfix's restriction prefixes ("<a@x.com>: Sender address rejected: ..."): they say
#: which check answered (the sender's, the recipient's, the client's, the HELO's), not why.
_PREFIX = (
    r"(?i)^(?:(?:unverified |unknown )?(?:sender address|recipient address|client host"
    r"|helo command|data command|etrn command)(?: \S+)? (?:rejected|refused|denied))$"
)
#: A block list named: a zone after "listed at" or "blocked using" first (it says which
#: list), else a list's name.
_LISTED = f"(?i)(?P<list>{LIST_ZONE}|{LIST_NAMES})"


def list_after_prefix(
    texts: pa.Array, reason: np.ndarray, evidence: np.ndarray, row: np.ndarray
) -> None:
    """Where a phrase matched only a Postfix prefix ("Sender address rejected") and the
    words after it name a block list, the list decides (``blocked``): the prefix names no
    cause, as "Sender address rejected: brand.example.org is listed at dbl.spamhaus.org"
    shows. Words after the prefix that a phrase matched with it decide as they did
    ("Recipient address rejected: User unknown" stays an unknown user)."""
    matched = np.flatnonzero(row >= 0)
    if not len(matched):
        return
    said = pa.array(evidence[matched].tolist(), pa.string())
    bare = np.asarray(pc.match_substring_regex(said, _PREFIX).to_numpy(zero_copy_only=False))
    where = matched[bare.astype(bool)]
    if not len(where):
        return
    found = pc.extract_regex(texts.take(pa.array(where)), _LISTED)
    names = found.field("list").to_pylist()
    for i, name, valid in zip(where, names, found.is_valid().to_pylist(), strict=True):
        if valid:
            reason[i], row[i] = "blocked", _names_row()
            evidence[i] = f"{name} (after '{evidence[i]}': the list decides)"


def _names_row() -> int:
    """The phrase table's row of block lists by name (the deciding row a named list gets):
    its first ``blocked`` row, as lists by name come before block words in other forms."""
    return next(i for i, (why, _pattern) in enumerate(phrases()) if why == "blocked")
