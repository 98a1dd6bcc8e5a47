"""Bounce triage: why each bounce happened, in Sisimai's reason names, and whether it is final.

For each distinct bounce text (a million bounces repeat a few thousand texts), in order:

1. the SMTP reply code (``550``) and the RFC 3463 enhanced status code (``5.1.1``) found in
   it;
2. the first phrase of ``data/bounce_phrases.csv`` that matches (the wording of the major
   receivers and MTAs, most specific first) decides the reason, and is the evidence;
3. else the status code's subject and detail (``data/status_codes.csv``, the IANA registry
   of RFC 3463/5248 codes); else the reply code; else ``undefined``.

Both tables are data, not code. Matching is vectorised with Arrow's RE2 over the distinct
texts. Reason names and their meaning follow Sisimai (https://libsisimai.org/en/reason/).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib.resources import files

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Sisimai's bounce reasons (the ones a bounce text can show), as the ``reason`` category.
REASONS = (
    "authfailure",
    "badreputation",
    "blocked",
    "contenterror",
    "exceedlimit",
    "expired",
    "filtered",
    "hasmoved",
    "hostunknown",
    "mailboxfull",
    "mesgtoobig",
    "networkerror",
    "norelaying",
    "notaccept",
    "onhold",
    "policyviolation",
    "rejected",
    "requireptr",
    "securityerror",
    "spamdetected",
    "suspend",
    "syntaxerror",
    "systemerror",
    "systemfull",
    "toomanyconn",
    "undefined",
    "userunknown",
    "virusdetected",
)
REASON = pd.CategoricalDtype(list(REASONS))
#: Reasons that say the address itself cannot receive mail.
ADDRESS_REASONS = frozenset({"userunknown", "hostunknown", "hasmoved", "notaccept", "suspend"})
#: Reasons that pass with time whatever the reply class: a 552 "mailbox full" clears too.
TRANSIENT_REASONS = frozenset(
    {
        "mailboxfull",
        "exceedlimit",
        "toomanyconn",
        "systemfull",
        "systemerror",
        "networkerror",
        "expired",
        "onhold",
    }
)
#: What a bare reply code says when nothing else in the text does (RFC 5321 section 4.2).
REPLY_REASONS = {
    421: "systemerror",
    450: "systemerror",
    451: "systemerror",
    452: "systemfull",
    550: "rejected",
    551: "hasmoved",
    552: "mailboxfull",
    553: "userunknown",
    554: "rejected",
}
_REPLY = r"(?:^|[\s:;'\"(\[])(?P<reply>[245][0-9]{2})(?:[ -]|$)"
_STATUS = r"(?:^|[^0-9.])(?P<status>[245]\.[0-9]{1,3}\.[0-9]{1,3})(?:[^0-9.]|\.[^0-9]|\.?$)"


def _data(name: str) -> list[dict[str, str]]:
    with files("mmframe.analysis").joinpath("data", name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def phrases() -> tuple[tuple[str, str], ...]:
    """(reason, RE2 pattern) rules in the order they are tried."""
    return tuple((row["reason"], row["pattern"]) for row in _data("bounce_phrases.csv"))


@lru_cache(maxsize=1)
def status_reasons() -> dict[str, str]:
    """Reason per enhanced status ``subject.detail`` (``"1.1"`` -> ``userunknown``)."""
    return {row["code"]: row["reason"] for row in _data("status_codes.csv")}


def classify(texts: pa.Array | pa.ChunkedArray) -> pd.DataFrame:
    """The triage columns for each text of ``texts`` (one row per text, in order)."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    texts = pc.fill_null(texts.cast(pa.string()), "")
    n = len(texts)
    reply = _extract(texts, _REPLY, "reply")
    status = _extract(texts, _STATUS, "status")
    reason = np.full(n, "", dtype=object)
    evidence = np.full(n, None, dtype=object)
    open_ = np.ones(n, dtype=bool)
    for name, pattern in phrases():
        if not open_.any():
            break
        where = np.flatnonzero(open_)
        subset = texts.take(pa.array(where))
        hit = pc.match_substring_regex(subset, pattern, ignore_case=True)
        chosen = where[np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)]
        if len(chosen) == 0:
            continue
        found = pc.extract_regex(texts.take(pa.array(chosen)), f"(?i)(?P<phrase>{pattern})")
        reason[chosen] = name
        evidence[chosen] = found.field("phrase").to_numpy(zero_copy_only=False)
        open_[chosen] = False
    table = status_reasons()
    for i in np.flatnonzero(open_):
        code = status[i]
        if code is not None and (hit_reason := table.get(code.split(".", 1)[1])):
            reason[i], evidence[i] = hit_reason, code
        elif reply[i] is not None and int(reply[i]) in REPLY_REASONS:
            reason[i], evidence[i] = REPLY_REASONS[int(reply[i])], reply[i]
        else:
            reason[i] = "undefined"
    klass = [(s or r or "")[:1] for s, r in zip(status.tolist(), reply.tolist(), strict=True)]
    permanent = [
        (c == "5" and why not in TRANSIENT_REASONS) if c in ("4", "5") else why in ADDRESS_REASONS
        for c, why in zip(klass, reason.tolist(), strict=True)
    ]
    return pd.DataFrame(
        {
            "reason": pd.Categorical(reason, dtype=REASON),
            "permanent": pd.array(permanent, dtype="boolean"),
            "status": pd.array(status, dtype=pd.StringDtype("pyarrow")),
            "reply": pd.array(
                [None if r is None else int(r) for r in reply.tolist()], dtype="Int64"
            ),
            "evidence": pd.array(evidence, dtype=pd.StringDtype("pyarrow")),
        }
    )


def _extract(texts: pa.Array, pattern: str, group: str) -> np.ndarray:
    """The first match of ``group`` in each text (None where there is none)."""
    matched = pc.match_substring_regex(texts, pattern)
    values = np.full(len(texts), None, dtype=object)
    where = np.flatnonzero(np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool))
    if len(where):
        found = pc.extract_regex(texts.take(pa.array(where)), pattern)
        values[where] = found.field(group).to_numpy(zero_copy_only=False)
    return values


TRIAGE_COLUMNS = ("reason", "permanent", "status", "reply", "evidence")


def _without_earlier_triage(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame triage already added its columns to, without them (triaging is idempotent)."""
    if set(TRIAGE_COLUMNS) <= set(frame.columns) and str(frame["reason"].dtype) == str(REASON):
        return frame.drop(columns=list(TRIAGE_COLUMNS))
    return frame


def _texts(values: pd.Series, column: str) -> pd.Series:
    """Bounce texts as Python text (bytes decoded, numbers written out), missing kept;
    ``TypeError`` naming the rows that hold anything else (a dict, a list)."""
    if isinstance(values.dtype, pd.StringDtype):
        return values.astype(object)
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("string", "empty"):
        return values.astype(object)
    written = values.astype(object).map(_text, na_action="ignore")
    bad = written.map(lambda v: v is _UNREADABLE)
    if bad.any():
        rows = list(values.index[bad.to_numpy()][:5])
        raise TypeError(
            f"{column}: rows {rows} hold {type(values[bad].iloc[0]).__name__}, not a bounce "
            "text (text, bytes or a number)"
        )
    return written


_UNREADABLE = object()


def _text(value: object) -> object:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return _UNREADABLE


def triage(bounces: pd.DataFrame | pd.Series, *, column: str = "message") -> pd.DataFrame:
    """Why each bounce happened: ``bounces`` with the triage columns added.

    Parameters
    ----------
    bounces
        A frame with the bounce texts in ``column`` (as :func:`mmframe.read_bounces`
        gives), or a Series of texts.
    column
        The column holding the texts.

    Returns
    -------
    pandas.DataFrame
        The input's columns (an input column named like a triage column is kept as
        ``input_<name>``), then ``reason`` (Sisimai's reason names, a category),
        ``permanent`` (the receiving server refused for good: a 5xx reply, or an address
        that cannot exist, and not a reason that passes with time such as a full mailbox
        or a rate limit), ``status`` (the RFC 3463 enhanced status code in the text),
        ``reply`` (the SMTP reply code) and ``evidence`` (the phrase, status or reply
        code that decided the reason).

    Examples
    --------
    >>> mm.triage(pd.Series(["550 5.1.1 <a@x.com>: User unknown"]))["reason"][0]
    'userunknown'
    """
    if isinstance(bounces, pd.Series):
        frame = bounces.to_frame(column if bounces.name is None else bounces.name)
        column = str(frame.columns[0])
    elif isinstance(bounces, pd.DataFrame):
        frame = bounces
        if column not in frame.columns:
            raise KeyError(f"no column {column!r} with the bounce texts; pass column=")
    else:
        raise TypeError(f"triage takes a DataFrame or a Series, not {type(bounces).__name__}")
    frame = _without_earlier_triage(frame)
    codes, distinct = pd.factorize(_texts(frame[column], column), use_na_sentinel=True)
    found = classify(pa.array(list(distinct), pa.string()))
    if (codes == -1).any():  # missing texts: triaged as empty ones
        found = pd.concat([found, classify(pa.array([""], pa.string()))], ignore_index=True)
        codes = np.where(codes == -1, len(found) - 1, codes)
    rows = found.iloc[codes].reset_index(drop=True)
    rows.index = frame.index
    renamed = {c: f"input_{c}" for c in TRIAGE_COLUMNS if c in frame.columns}
    taken = [f"{c} and {n}" for c, n in renamed.items() if n in frame.columns]
    if taken:
        raise ValueError(
            f"the frame has {', '.join(taken)}: triage keeps an input column named like "
            "its own as input_<name>, so rename or drop one of them first"
        )
    out = frame.rename(columns=renamed)
    for name in TRIAGE_COLUMNS:
        out[name] = rows[name]
    out.attrs = dict(frame.attrs)
    return out
