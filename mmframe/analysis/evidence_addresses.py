"""The evidence frames as exports write them, read as what they hold.

Evidence is often built by hand beside the loaders' frames: a CRM's opt-outs, a complaint
report's export. They write ``<s48@yahoo.com>``, ``Jane Doe <s48@yahoo.com>``,
``"s48@yahoo.com"``, ``SMTP:s48@yahoo.com``, ``s48@yahoo.com.``, two addresses in a cell,
invisible characters, a domain in Unicode; matched as written, such a row matched no
suppression, and the person who opted out was judged ``reactivate`` with no word
(twenty-fifth and twenty-sixth reviews). Every evidence address is checked against the
API's grammar (:mod:`mmframe.addresses`, at once over the whole frame); one that fails is
read as the address or addresses it holds, and a row holding none is named in an
:class:`~mmframe.errors.EvidenceWarning`. An opt-out whose reason is no reason the API
gives (``unsubscribed``, ``spam``, none) is taken as an opt-out, and named too.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..addresses import MAX_ADDRESS, PATTERN, is_address
from ..errors import EvidenceWarning, warn

#: How many rows a warning names.
NAMED = 5
#: The reasons an opt-out frame's rows hold (the API's), and the one that is no opt-out.
REASONS = ("bounce", "complaint", "unsubscribe", "manual")
#: What may wrap an address in an export: quotes, brackets, a scheme, punctuation after it.
_WRAP = "\"'()[]<>{}.,;:!?\u00ab\u00bb\u201c\u201d\u2018\u2019 \t"
_SCHEME = re.compile(r"^(?:mailto|smtp|sip|email)\s*:\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"[,;\s]+")
#: A comment (RFC 5322): words in parentheses beside an address, holding none.
_COMMENT = re.compile(r"\([^()@]*\)")


def as_held(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``frames`` with each evidence frame's (all but ``suppressions``) addresses read as
    what they hold (a row holding two, one row each), and its opt-outs' reasons as the
    API's; a warning names the rows holding no address and the reasons taken otherwise."""
    out = dict(frames)
    said: list[str] = []
    for name, frame in frames.items():
        if name == "suppressions" or "email" not in frame.columns or not len(frame):
            continue
        read, lost = _addresses(frame)
        if lost:
            said.append(f"{len(lost):,} of {name} hold no address ({_shown(lost)})")
        if name == "opt_outs" and "reason" in read.columns:
            read, odd = _reasons(read)
            if odd:
                said.append(f"{len(odd):,} of opt_outs have a reason the API does not give, "
                            f"taken as an opt-out by hand ({_shown(odd)})")  # fmt: skip
        out[name] = read
    if said:
        warn(
            EvidenceWarning(
                "remediation_candidates: evidence rows as written do not say what is needed: "
                f"{'; '.join(said)}. A row holding no address matches no suppression, so the "
                "person it stands for is judged as if they had not complained or opted out: "
                "correct them and judge again"
            )
        )
    return out


def _addresses(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with each address the API's grammar refuses read as those it holds (its
    row repeated for each); the values holding none."""
    column = frame["email"]
    bad = ~_valid(column)
    if not bad.any():
        return frame, []
    rows = np.flatnonzero(bad)
    read_out = [_held(value) for value in column.iloc[rows]]
    held = [got for got, _whole in read_out]
    lost = [repr(column.iloc[i]) for i, (_got, whole) in zip(rows, read_out, strict=True)
            if not whole]  # fmt: skip
    repeat = np.ones(len(frame), dtype=np.intp)
    repeat[rows] = [max(len(got), 1) for got in held]
    emails = column.astype(object).to_numpy().copy()
    read = frame.iloc[np.repeat(np.arange(len(frame)), repeat)].copy()
    values = np.repeat(emails, repeat)
    at = np.cumsum(repeat) - repeat  # where each row's first copy stands
    for i, got in zip(rows, held, strict=True):
        values[at[i] : at[i] + len(got)] = got
    read["email"] = pd.Series(values, index=read.index, dtype=object)
    if (repeat > 1).any():  # a row of two addresses is two rows, each its own label
        read = read.reset_index(drop=True)
    return read, lost


def _valid(column: pd.Series) -> np.ndarray:
    """Which of ``column``'s values are addresses the API accepts, at once (a whole
    history's 250,000 rows checked one by one cost a judging half a second)."""
    try:
        text = pa.array(column, type=pa.string(), from_pandas=True)  # no copy of arrow text
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # values that are not text: as text
        text = pa.array(column.astype(str), type=pa.string())
    grammar = pc.match_substring_regex(text, f"^(?:{PATTERN})$")
    short = pc.less_equal(pc.utf8_length(text), MAX_ADDRESS)
    local = pc.less_equal(pc.find_substring(text, "@"), 64)
    valid = pc.and_(pc.and_(grammar, short), local).fill_null(False)
    return np.asarray(valid.to_numpy(zero_copy_only=False), dtype=bool)


def _held(value: object) -> tuple[list[str], bool]:
    """The addresses a written form holds: invisible characters dropped, Unicode composed,
    ``%40`` decoded, comments in parentheses dropped, a bracketed address taken from its
    display name, two or more split,
    each without its scheme and wrapping, a Unicode domain in its ASCII form; and whether
    every one it seems to hold was read (none read: not)."""
    if not isinstance(value, str):
        return [], False
    text = unicodedata.normalize("NFC", unquote(value) if "%" in value else value)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc"))
    if "(" in text:  # RFC 5322's comments: "a@x (Jane Doe)" (thirtieth review, W2)
        text = _COMMENT.sub(" ", text)
    if "<" in text and ">" in text.rsplit("<", 1)[1]:
        text = ",".join(re.findall(r"<([^<>]*)>", text))  # "Jane" <a@x>, <b@x>: the addresses
    # Every Unicode blank about it (a no-break space), as the matching strips them: a value
    # matched was named as holding no address (thirty-seventh review, 5).
    parts = _SEPARATORS.split(text.strip()) if text.count("@") > 1 else [text.strip()]
    found = []
    for part in parts:
        address = _SCHEME.sub("", part.strip().strip(_WRAP)).strip().strip(_WRAP)
        address = _ascii_domain(address)
        if address and is_address(address):
            found.append(address)
    return found, bool(found) and len(found) == sum("@" in p for p in parts)


def _ascii_domain(address: str) -> str:
    """``address`` with a Unicode domain (``exämple.com``, a fullwidth stop) in its ASCII
    form, as the API lists it; as it was where there is none."""
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return address


def _reasons(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """An opt-out frame with each reason the API does not give taken as ``manual`` (a
    person's wish, as every reason but a bounce); the reasons so taken."""
    reason = frame["reason"].astype(object)
    words = reason.map(lambda r: str(r).strip().lower() if isinstance(r, str) else "")
    odd = ~words.isin(REASONS).to_numpy()
    if not odd.any():
        return frame, []
    shown = [repr(r) for r in reason[odd]]
    fixed = words.where(~odd, "manual")
    return frame.assign(reason=pd.Categorical(fixed, categories=list(REASONS))), shown


def _shown(values: list[str]) -> str:
    """The distinct values, up to :data:`NAMED` of them, and how many more."""
    distinct = list(dict.fromkeys(values))
    more = f" and {len(distinct) - NAMED:,} more" if len(distinct) > NAMED else ""
    return ", ".join(distinct[:NAMED]) + more
