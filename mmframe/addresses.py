"""Address syntax checks and request batching.

One grammar, the API's (docs/emulator.md, "Decisions"): ASCII only; the part before the ``@`` an RFC
5321 dot-atom of at most 64 characters (no quoted strings); the domain two or more
LDH labels of 1-63 characters (no leading or trailing hyphen, no trailing dot, no IP
literal), the last being letters (2-63) or an ``xn--`` A-label; 254 characters in all.
The emulator implements the same rule on its side, and a shared corpus tests both.
email-validator (syntax only, no DNS) words the reason when an address is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from urllib.parse import quote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from email_validator import EmailNotValidError, validate_email
from pandas.arrays import ArrowStringArray

#: GET URLs stay under what common servers and proxies accept (8 KiB request lines).
MAX_QUERY_CHARS = 7_000
MAX_LOCAL, MAX_ADDRESS = 64, 254

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TLD = r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{0,58}[A-Za-z0-9])"
#: The grammar without its length limits (checked apart, so the pattern needs no lookahead).
PATTERN = rf"{_ATEXT}+(?:\.{_ATEXT}+)*@(?:{_LABEL}\.)+{_TLD}"
_ADDRESS = re.compile(PATTERN)


def is_address(text: str) -> bool:
    """Whether ``text`` is an address the API accepts."""
    return (
        len(text) <= MAX_ADDRESS
        and text.find("@") <= MAX_LOCAL
        and _ADDRESS.fullmatch(text) is not None
    )


@lru_cache(maxsize=4096)
def problem(address: object) -> str | None:
    """Why ``address`` is not an address the API accepts, or None when it is."""
    if not isinstance(address, str) or not address.strip():
        return "missing address"
    if address != address.strip():
        return "leading or trailing spaces"
    if is_address(address):
        return None
    return _explain(address)


def _explain(address: str) -> str:
    """The reason, in words, that :func:`is_address` refused ``address``."""
    try:
        # ASCII only, as the MM API predates SMTPUTF8; no DNS look-ups.
        validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        return str(exc)
    if not address.isascii():
        return "The address is not ASCII (the API predates internationalized addresses)."
    if len(address) > MAX_ADDRESS:
        return f"The address is longer than {MAX_ADDRESS} characters."
    if address.find("@") > MAX_LOCAL:
        return f"The part before the @-sign is longer than {MAX_LOCAL} characters."
    return "The top-level domain must be letters (or an xn-- label)."


def check(values: pd.Series) -> pd.Series:
    """Why each value is not an address the API accepts (``None`` where it is), at once.

    The fast path decides every distinct string in one vectorised pass (the grammar as
    one pattern, matched by pyarrow's RE2, plus the length limits); only the refused ones
    are explained one by one (:func:`problem`). Equal to ``values.map(problem)``.
    """
    reasons = pd.Series(None, index=values.index, dtype=object)
    if values.empty:
        return reasons
    if isinstance(values.array, ArrowStringArray):
        return _check_arrow(values, reasons)
    raw = values.to_numpy(dtype=object)
    # ASCII text only: the grammar is ASCII, and Arrow cannot hold what UTF-8 cannot
    # encode (a lone surrogate from errors="surrogateescape"): the rest is explained apart.
    is_text = np.array([type(v) is str and v.isascii() for v in raw], dtype=bool)
    codes, distinct = pd.factorize(raw[is_text], use_na_sentinel=True)
    if len(distinct):
        unique = pd.Series(distinct, dtype="string[pyarrow]")
        local = unique.str.find("@")
        good = (
            (
                unique.str.fullmatch(PATTERN)
                & (unique.str.len() <= MAX_ADDRESS)
                & (local <= MAX_LOCAL)
            )
            .fillna(False)
            .to_numpy(dtype=bool)
        )
        verdicts = np.full(len(distinct), None, dtype=object)
        texts_of = np.asarray(distinct, dtype=object)
        for position in np.flatnonzero(~good):  # few: explained one by one
            verdicts[position] = problem(texts_of[position])
        reasons.iloc[np.flatnonzero(is_text)] = verdicts[codes]
    others = np.flatnonzero(~is_text)
    if len(others):
        reasons.iloc[others] = [problem(v) for v in raw[others]]
    return reasons


def _check_arrow(values: pd.Series, reasons: pd.Series) -> pd.Series:
    """:func:`check` of text Arrow holds (what a read gives): the distinct strings found in
    Arrow, with no Python string per row (200,000 of them cost a write a tenth of a second).
    Arrow holds no lone surrogate, so only missing values are explained apart."""
    text = pa.array(values.array)  # Arrow's own array, no copy
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    encoded = pc.dictionary_encode(text)
    distinct = encoded.dictionary
    if len(distinct):
        unique = pd.Series(ArrowStringArray(distinct.cast(pa.large_string())))
        good = (
            (
                unique.str.fullmatch(PATTERN)
                & (unique.str.len() <= MAX_ADDRESS)
                & (unique.str.find("@") <= MAX_LOCAL)
                & pd.Series(pc.string_is_ascii(distinct).to_numpy(zero_copy_only=False))
            )
            .fillna(False)
            .to_numpy(dtype=bool)
        )
        verdicts = np.full(len(distinct), None, dtype=object)
        for position in np.flatnonzero(~good):  # few: explained one by one
            verdicts[position] = problem(distinct[position].as_py())
        codes = encoded.indices
        present = np.flatnonzero(codes.is_valid().to_numpy(zero_copy_only=False))
        taken = codes.drop_null().to_numpy(zero_copy_only=False)
        reasons.iloc[present] = verdicts[taken]
    missing = np.flatnonzero(values.isna().to_numpy())
    if len(missing):
        reasons.iloc[missing] = [problem(v) for v in values.iloc[missing].to_numpy(dtype=object)]
    return reasons


def problems(addresses: Iterable[object]) -> dict[int, str]:
    """Position → reason for every invalid address."""
    reasons = check(pd.Series(list(addresses), dtype=object))
    return {i: str(why) for i, why in enumerate(reasons) if why is not None}


def require_valid(addresses: Sequence[object], name: str = "emails") -> None:
    """``ValueError`` naming the invalid addresses (up to ten) and their positions."""
    bad = problems(addresses)
    if bad:
        shown = "; ".join(f"[{i}] {addresses[i]!r}: {why}" for i, why in list(bad.items())[:10])
        more = f" (+{len(bad) - 10} more)" if len(bad) > 10 else ""
        raise ValueError(f"{name}: {len(bad)} invalid address(es): {shown}{more}")


def distinct(addresses: Iterable[str]) -> list[str]:
    """Addresses without case-insensitive repeats, first spelling kept, in order."""
    first: dict[str, str] = {}
    for address in addresses:
        first.setdefault(address.lower(), address)
    return list(first.values())


def batches(
    addresses: Sequence[str], *, limit: int, max_chars: int | None = None
) -> Iterator[list[str]]:
    """Consecutive groups of at most ``limit`` addresses (and ``max_chars`` URL-encoded)."""
    group: list[str] = []
    size = 0
    for address in addresses:
        cost = len(quote(address, safe="")) + 3  # the %2C that joins it
        if group and (len(group) >= limit or (max_chars and size + cost > max_chars)):
            yield group
            group, size = [], 0
        group.append(address)
        size += cost
    if group:
        yield group
