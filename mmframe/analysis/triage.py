"""Bounce triage: why each bounce happened, in Sisimai's reason names, and whether it is final.

Each distinct bounce text (a million bounces repeat a few thousand texts) is read for its
signals, and the first that names a reason decides it, in this order:

1. a **phrase**: the first pattern of ``data/bounce_phrases.csv`` that matches anywhere in
   the text, once the text's justifications are set aside ("to protect our users from
   spam", "for more information, go to ...", links: they say why a rule exists, not what
   happened). The patterns are families of causes, each in the many ways servers word it,
   ordered so that what is most specific about the cause wins: the mailbox (full,
   disabled, moved); the sender (its address or domain refused); the recipient's
   existence; the message's authentication (SPF, DKIM, DMARC); security (TLS,
   certificates, credentials); relaying; the message (size, form, virus); who sends
   (a block list's name first: Spamhaus, SpamCop, SORBS, BRBL, URIBL, ...; then reputation,
   reverse DNS, block lists in words; a filtering product's name, Proofpoint, Mimecast,
   Barracuda's appliances, Cloudmark, is in no row: it says who answered, not what
   happened); rates (per time, per connection); the words of a judgement (spam,
   policy); the domain (it does not exist, it takes no mail); the way there; the
   receiving system; and the generic "mailbox unavailable" last (under a 4xx
   reply it decides nothing: the code does, as a 4xx never calls an address dead alone).
   An address is set aside first, so the words it splits count ("Mailbox <a@x.com>
   unknown"), and where a text read as another cause also says the address cannot
   receive (an unknown, disabled or moved mailbox beside a rate, a block list, its
   authentication, a full mailbox), the address's reason decides
   (:func:`~.bounce_words.dead_beside`); the sender's own address refused keeps its own.
   The way there
   follows Sisimai's precedence (``Sisimai::Reason``: NetworkError is tried before Expired;
   ``Sisimai::SMTP::Status``: X.4.1 "no answer from host" and X.4.7 are ``expired``, X.4.2
   "bad connection", X.4.4 and X.4.6 ``networkerror``): a route, DNS or loop failure is
   ``networkerror`` wherever it is named, even in a queue-expiry notice; otherwise words
   saying the queue gave up ("retry timeout exceeded", "giving up after 5 days", "message
   expired") are ``expired`` whatever connection failure they name last; then a session
   lost, reset or timed out mid-conversation is ``networkerror``; and a connection that
   timed out, was refused or never answered is ``expired`` (Sisimai's Expired lists
   "connection timed out": a bounce that names only that is the queue giving up), unless
   the text says the delivery is deferred and will be tried again (words, or a 4.X.X status
   other than X.4.7), when the message has not expired and the way there is the cause
   (``networkerror``; the phrase row's ``when_retried`` column). A whole notice (template
   prose around the server's reply) matches on the server's words, since the prose names
   no cause. A Postfix restriction prefix ("Sender address rejected:", "Client host
   rejected:") says which check answered, not why: where a phrase matched only the
   prefix and the words after it name a block list (its name, or a zone it is "listed
   at"), the list decides. Where the words
   and the reply class disagree, the words decide: a transient cause under a 5xx reply
   stays transient; an unknown domain under a 4xx reply is a domain that could not be
   reached this time (``networkerror``), and the evidence says the words overruled the
   code;
2. the RFC 3463 enhanced **status** (``5.1.1``; a specific one before a generic ``X.0.0``),
   by its full code or by its subject and detail (``data/status_codes.csv``: the IANA
   registry of RFC 3463/5248 codes);
3. the SMTP **reply** code and its class (``data/reply_codes.csv``, RFC 5321 section 4.2);
4. else ``undefined``.

``decided_by`` says which (``phrase``, ``status``, ``reply``, ``none``), so weak evidence
can be filtered out. The tables are data, not code; matching is vectorised with Arrow's
RE2. Reason names and their meaning follow Sisimai (https://libsisimai.org/en/reason/).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .bounce_input import arrow_texts, texts_of
from .bounce_words import (
    DOMAIN_UNDER_4XX,
    NOT_FOUND_THIS_TIME,
    dead_beside,
    dead_words,
    parted,
    words_of,
)
from .phrase_tables import phrases, reply_reasons, status_reasons, when_retried
from .prefix_lists import list_after_prefix
from .rule_search import grouped

#: Sisimai's bounce reasons (the ones a bounce text can show), as the ``reason`` category.
REASONS = (
    "authfailure",
    "badreputation",
    "blocked",
    "contenterror",
    "delivered",
    "exceedlimit",
    "expired",
    "failedstarttls",
    "filtered",
    "hasmoved",
    "hostunknown",
    "mailboxfull",
    "mailererror",
    "mesgtoobig",
    "networkerror",
    "norelaying",
    "notaccept",
    "notcompliantrfc",
    "onhold",
    "policyviolation",
    "rejected",
    "requireptr",
    "securityerror",
    "spamdetected",
    "speeding",
    "suppressed",
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
DECIDED_BY = pd.CategoricalDtype(["phrase", "status", "reply", "none"])
#: Reasons that say the address itself cannot receive mail: an unknown user or domain, a
#: mailbox moved or disabled, a domain that takes no mail. Final whatever the reply class.
ADDRESS_REASONS = frozenset({"userunknown", "hostunknown", "hasmoved", "notaccept", "suspend"})
#: Reasons that pass with time whatever the reply class: a 552 "mailbox full" clears too.
TRANSIENT_REASONS = frozenset(
    {
        "mailboxfull",
        "exceedlimit",
        "toomanyconn",
        "speeding",
        "systemfull",
        "systemerror",
        "networkerror",
        "expired",
    }
)
_REPLY = r"(?:^|[\s:;'\"(\[<=-])(?P<reply>[245][0-9]{2})(?:[ -]|$)"
_EDGE = r"(?:[^0-9.]|\.[^0-9]|\.?$)"  # a status ends where no digit or dotted digit follows
#: A specific enhanced status (not X.0.0) first: a notice often adds a generic one.
_SPECIFIC = (
    r"(?:^|[^0-9.])(?P<status>[245]\.(?:[1-9][0-9]{0,2}\.[0-9]{1,3}|0\.[1-9][0-9]{0,2}))" + _EDGE
)
_STATUS = r"(?:^|[^0-9.])(?P<status>[245]\.[0-9]{1,3}\.[0-9]{1,3})" + _EDGE


def _status_reason(code: str) -> str | None:
    table = status_reasons()
    return table.get(code) or table.get(code.split(".", 1)[1])


def classify(texts: pa.Array | pa.ChunkedArray) -> pd.DataFrame:
    """The triage columns for each text of ``texts`` (one row per text, in order)."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    texts = pc.fill_null(texts.cast(pa.string()), "")
    reply = _extract(texts, _REPLY, "reply")
    status = _extract(texts, _SPECIFIC, "status")
    generic = pd.isna(status)
    if generic.any():
        status[generic] = _extract(texts.filter(pa.array(generic)), _STATUS, "status")
    prose = words_of(texts, joined=False)
    words = parted(prose)
    reason, evidence, decided, row = _by_phrase(prose)
    _joined_where_silent(prose, words, (reason, evidence, decided, row))
    list_after_prefix(words, reason, evidence, row)
    _generic_words_defer_to_a_4xx(reason, evidence, decided, row, status, reply)
    _retried(words, reason, evidence, status, row)
    dead_beside(words, reason, evidence, settled=ADDRESS_REASONS)
    _words_over_codes(texts, words, reason, evidence, (status, reply))
    for i in np.flatnonzero(decided == "none"):
        code = status[i]
        found = _status_reason(code) if code is not None and code[0] != "2" else None
        if code is not None and code[0] == "2":
            found = "delivered"
        if found is not None and found in ADDRESS_REASONS and code is not None and code[0] == "4":
            reason[i] = "undefined"  # a 4xx code never calls an address dead by itself
        elif found is not None:
            reason[i], evidence[i], decided[i] = found, code, "status"
        elif (
            reply[i] is not None
            and (why := reply_reasons().get(int(reply[i])))
            and not (why in ADDRESS_REASONS and str(reply[i])[0] == "4")  # as for a status
        ):
            reason[i], evidence[i], decided[i] = why, reply[i], "reply"
        else:
            reason[i] = "undefined"
    return pd.DataFrame(
        {
            "reason": pd.Categorical(reason, dtype=REASON),
            "permanent": pd.array(_permanent(status, reply, reason), dtype="boolean"),
            "status": pd.array(status, dtype=pd.StringDtype("pyarrow")),
            "reply": pd.array(
                [None if r is None else int(r) for r in reply.tolist()], dtype="Int64"
            ),
            "evidence": pd.array(evidence, dtype=pd.StringDtype("pyarrow")),
            "decided_by": pd.Categorical(decided, dtype=DECIDED_BY),
        }
    )


def _by_phrase(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Reason, matched words, ``phrase`` where a phrase family matches (``none`` else) and
    the deciding row of :func:`phrases` (-1 where none matched)."""
    n = len(texts)
    row = np.full(n, -1, dtype=np.int64)
    reason = np.full(n, "", dtype=object)
    evidence = np.full(n, None, dtype=object)
    decided = np.full(n, "none", dtype=object)
    open_ = np.ones(n, dtype=bool)
    rules = phrases()
    # A text that no rule of a run of them matches is skipped by each: one search of the
    # run (on RE2's fast engine, see rule_search) spares every rule a search of it.
    for joined, places in grouped([pattern for _, pattern in rules]):
        where = np.flatnonzero(open_)
        if not len(where):
            break
        any_ = pc.match_substring_regex(texts.take(pa.array(where)), joined, ignore_case=True)
        near = where[np.asarray(any_.to_numpy(zero_copy_only=False), dtype=bool)]
        for place in places:
            name, pattern = rules[place]
            where = near[open_[near]]
            if not len(where):
                break
            hit = pc.match_substring_regex(texts.take(pa.array(where)), pattern, ignore_case=True)
            chosen = where[np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)]
            if len(chosen) == 0:
                continue
            found = pc.extract_regex(texts.take(pa.array(chosen)), f"(?i)(?P<phrase>{pattern})")
            reason[chosen], decided[chosen], row[chosen] = name, "phrase", place
            evidence[chosen] = found.field("phrase").to_numpy(zero_copy_only=False)
            open_[chosen] = False
    return reason, evidence, decided, row


def _joined_where_silent(prose: pa.Array, words: pa.Array, found: tuple[np.ndarray, ...]) -> None:
    """Where no phrase of the prose decided, the phrases of its joined tokens read as words
    ("NoSuchUser"): the prose first, as a token is often a name of its own (Exchange's
    "SuspiciousRemoteServerError" beside "timed out" is no spam verdict). The dead families
    read the tokens whatever the prose says (:func:`dead_beside`)."""
    silent = np.flatnonzero(found[2] == "none")
    if not len(silent):
        return
    take = pa.array(silent)
    changed = np.asarray(
        pc.not_equal(prose.take(take), words.take(take)).to_numpy(zero_copy_only=False), bool
    )
    if not changed.any():
        return
    at = silent[changed]
    again = _by_phrase(words.take(pa.array(at)))
    for mine, theirs in zip(found, again, strict=True):
        mine[at] = theirs


def _generic_words_defer_to_a_4xx(
    reason: np.ndarray,
    evidence: np.ndarray,
    decided: np.ndarray,
    row: np.ndarray,
    status: np.ndarray,
    reply: np.ndarray,
) -> None:
    """The table's last row (a recipient "rejected", a mailbox "unavailable": no cause
    named) decides nothing under a 4xx reply: a 4xx reply never makes an address-level
    reason by itself ("450 4.7.1 Recipient address rejected: Invalid HELO"), so the
    status or reply code decides, as where no phrase matched."""
    last = len(phrases()) - 1
    for i in np.flatnonzero(row == last):
        if klass(status[i], reply[i]) == "4":
            reason[i], evidence[i], decided[i], row[i] = "", None, "none", -1


#: Words that say a delivery is deferred and will be tried again (not that the queue gave
#: up): Sendmail's "Deferred:", Postfix's "delivery temporarily suspended", a retry promised.
_DEFERRED = (
    r"(?i)\bdeferred\b|temporarily suspended|will (?:be )?retr(?:y|ied)|retry (?:later|in \d)|"
    r"try again later|retrying"
)


def _retried(
    texts: pa.Array,
    reason: np.ndarray,
    evidence: np.ndarray,
    status: np.ndarray,
    row: np.ndarray,
) -> None:
    """Where the deciding phrase row has a reason for a delivery that will be tried again
    (:func:`when_retried`) and the text says so (words of :data:`_DEFERRED`, or a 4.X.X
    enhanced status other than X.4.7, delivery time expired), that reason decides: a
    connection that timed out or was refused is the way there (``networkerror``) while the
    message waits in the queue, and expires it only once the queue gives up."""
    retried = when_retried()
    where = np.flatnonzero(np.isin(row, list(retried)))
    if not len(where):
        return
    said = pc.extract_regex(texts.take(pa.array(where)), f"(?P<again>{_DEFERRED})")
    for i, again in zip(where, said.field("again").to_pylist(), strict=True):
        code = status[i]
        transient = code is not None and code[0] == "4" and not code.startswith("4.4.7")
        if again or transient:
            reason[i] = retried[int(row[i])]
            why = f"with '{again}'" if again else f"under {code}"
            evidence[i] = f"{evidence[i]} ({why}: tried again, not expired)"


#: Words that say a failed lookup will be tried again: the resolver's "Host not found, try
#: again", a temporary DNS failure, a retry promised (not advice such as "check the domain
#: and try again", nor a notice calling itself a temporary failure report).
_RETRIED = (
    r"(?i)not found, try again|temporar\S* (?:dns|name ?server|lookup|resolver) (?:failure|error)|"
    r"temporary failure in name resolution|will (?:be )?retr(?:y|ied)|retry (?:later|in \d)|"
    r"try again later"
)


def _words_over_codes(
    texts: pa.Array,
    words: pa.Array,
    reason: np.ndarray,
    evidence: np.ndarray,
    codes: tuple[np.ndarray, np.ndarray],
) -> None:
    """A host or domain not found in words saying the lookup will be tried again, or under
    a 4xx reply (Postfix's "450 4.1.2 ... Domain not found": it defers by default, for a
    lookup that may pass), is a domain that could not be reached this time (the way there:
    ``networkerror``), not one that does not exist, as a 4xx reply never calls an address
    dead by itself; the evidence says which words or code overruled the phrase. A 5xx
    "check the domain and try again" gives advice, not a retry. Where the rest of the text
    names a dead mailbox (:func:`~.bounce_words.dead_words`), that decides."""
    status, reply = codes
    found = np.flatnonzero(reason == "hostunknown")
    if not len(found):
        return
    said = pc.extract_regex(texts.take(pa.array(found)), f"(?P<again>{_RETRIED})")
    taken = words.take(pa.array(found)).to_pylist()  # without the domain's own phrase
    rest = pa.array(
        [(w or "").replace(str(evidence[i]), " ") for i, w in zip(found, taken, strict=True)],
        pa.string(),
    )
    family, dead = dead_words(rest)
    for at, (i, again) in enumerate(zip(found, said.field("again").to_pylist(), strict=True)):
        code = status[i] or reply[i]
        if family[at]:
            reason[i] = family[at]
            evidence[i] = f"{dead[at]} (beside '{evidence[i]}': the address decides)"
        elif again:
            reason[i] = "networkerror"
            evidence[i] = f"{evidence[i]} (with '{again}': {NOT_FOUND_THIS_TIME})"
        elif code is not None and str(code)[0] == "4":
            reason[i] = "networkerror"
            evidence[i] = f"{evidence[i]} (under a {code} reply: {DOMAIN_UNDER_4XX})"


def _permanent(status: np.ndarray, reply: np.ndarray, reason: np.ndarray) -> list[bool]:
    """Refused for good: a 5xx class (the status's, else the reply's) for a reason that does
    not pass with time, or an address that cannot receive mail whatever the class."""
    final = []
    for s, r, why in zip(status.tolist(), reply.tolist(), reason.tolist(), strict=True):
        klass = (s or r or "")[:1]
        final.append(why in ADDRESS_REASONS or (klass == "5" and why not in TRANSIENT_REASONS))
    return final


def klass(status: str | None, reply: int | None) -> str:
    """The reply class a bounce says: ``"4"``, ``"5"`` or ``""`` (the status's first)."""
    return (status or ("" if reply is None else str(reply)))[:1]


def _extract(texts: pa.Array, pattern: str, group: str) -> np.ndarray:
    """The first match of ``group`` in each text (None where there is none)."""
    matched = pc.match_substring_regex(texts, pattern)
    values = np.full(len(texts), None, dtype=object)
    where = np.flatnonzero(np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool))
    if len(where):
        found = pc.extract_regex(texts.take(pa.array(where)), pattern)
        values[where] = found.field(group).to_numpy(zero_copy_only=False)
    return values


TRIAGE_COLUMNS = ("reason", "permanent", "status", "reply", "evidence", "decided_by")


def _without_earlier_triage(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame triage already added its columns to, without them (triaging is idempotent)."""
    if set(TRIAGE_COLUMNS) <= set(frame.columns) and str(frame["reason"].dtype) == str(REASON):
        return frame.drop(columns=list(TRIAGE_COLUMNS))
    return frame


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
        ``reply`` (the SMTP reply code), ``evidence`` (the phrase, status or reply
        code that decided the reason) and ``decided_by`` (``phrase``, ``status``,
        ``reply`` or ``none``: how strong that evidence is).

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
    codes, distinct = pd.factorize(texts_of(frame[column], column), use_na_sentinel=True)
    found = classify(arrow_texts(distinct))
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
