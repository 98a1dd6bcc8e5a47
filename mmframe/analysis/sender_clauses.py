"""Clauses a bounce says of the sender: its own address, domain, HELO name or account refused
("450 4.1.8 Sender address rejected: Domain not found", "Helo command rejected: Host not
found", "Your sending account is disabled", "550 5.1.7 Invalid sender address: mailbox does
not exist"). Dead words in such a clause are the sender's, not the recipient's: the sender's
DNS broke, and a storm of them is no list of dead mailboxes (twelfth review, A1-4).

A sender's clause runs from the words naming the sender (:data:`SENDER_WORDS`, or an X.1.7
or X.1.8 status, RFC 3463's "bad sender's mailbox address" and "bad sender's system
address") to the first of: a clause's end (``;``, ``,``, ``.`` before a blank, a bracket,
a line's end, a dash set off by blanks, "and", "or", "but"), another reply code or
enhanced status (a later hop's answer), or a word naming the recipient ("recipient",
"RCPT", "addressee", "destination"). So only dead words after the sender's words and
before any of these are the sender's: "Sender address rejected: User unknown in local
recipient table" is, "sender verify failed: recipient mailbox does not exist", "Sender
address rejected: Domain not found; User unknown" and "User unknown, sender verify
failed" are not. Where a clause's end is not written, the words stay the recipient's:
nobody is put back on a guess.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .bounce_words import dead_or_domain, words_of
from .encoded_words import each_where
from .rule_search import leftmost

#: Words whose subject is the sender: the sender (its address, domain, mailbox), its HELO
#: name, its envelope's address, "your" account or domain (a reply speaks to the client,
#: the sender's server), and the X.1.7 and X.1.8 statuses (RFC 3463: the sender's mailbox
#: or system address is bad). Not "from" alone, nor "your message" (a DSN to the sender
#: says "your message to <rcpt> could not be delivered": its subject is the message).
SENDER_WORDS = (
    "(?i)\\bsender(?:['\u2019]s|s['\u2019])?\\b"  # a typographic apostrophe too
    r"|\b(?:helo|ehlo)\b|\b(?:envelope|mail)[- ]from\b"
    r"|\breturn[- ]path\b|\bfrom (?:address|domain)\b|\bsending account\b"
    # The sending host's own names: its reverse DNS, its PTR record, the client host, "your
    # IP" ("Reverse DNS lookup failed for host 192.0.2.1: host not found": forty-first
    # review, O2, read as the recipient's domain).
    r"|\b(?:reverse dns|reverse lookup|rdns|ptr|client host|your (?:ip|host))\b"
    r"|\byour (?:e-?mail |sending |sender )?(?:account|domain)\b"
    # The sender in the languages the tables read ("La cuenta del remitente no existe":
    # thirty-eighth review, B3, a storm of it was held).
    r"|\b(?:remitentes?|remetentes?|mittent[ei]|absenders?|exp[ée]diteurs?|afzenders?)\b"
    r"|(?:^|[^0-9.])[45]\.1\.[78](?:[^0-9.]|\.[^0-9]|\.?$)"
)
#: Where a clause ends, so the words after it are no longer said of the sender: a
#: separator or a bracket, "and", "or", "but", "which" (another statement may follow), a reply
#: code or an enhanced status (another answer), a recipient's noun.
_CLAUSE_END = re.compile(
    r"[;,!?\n()\[\]&+/\"]|\.(?=\s|$)|\s-{1,2}\s|\s:\s|>>|(?:^|\s)[245][0-9]{2}(?=[ -]|$)"
    r"|\b(?:and|or|but|nor|plus|also|then|as well as|which|who)\b"
    # Another script than the sender's words' (Latin): another statement ("... Domain not
    # found 用户不存在": thirty-ninth review, B3).
    r"|(?<=[\x00-\x7f])\s*(?=[\u0400-\u04ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])"
    r"|(?<![0-9.])[245]\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9])"
    r"|\b(?:recipient|rcpt|addressee|destination|destinat[aá]ri|destinataire|empf[aä]nger"
    r"|ontvanger)",
    re.IGNORECASE,
)
#: A word said of the sender before its noun ("Invalid Sender.", "unknown sender"): its own.
_SENDERS_ADJECTIVE = re.compile(
    # Opening its clause, on the sender's own line: "User unknown\n... Sender" and "Recipient
    # <a@x> unknown Sender ..." are the recipient's, then the sender's.
    r"(?i)(?:^|[.;,:!?()\[\]\n])[ \t]*(?:invalid|unknown|bad|illegal|unverified|non-?existent"
    r"|forged|blocked|banned)[ \t]+$"
)
#: The sender's own noun after its word ("Sender address", "sender's mailbox"): its subject.
_OWN_NOUN = re.compile(
    r"(?i)(?:['\u2019]s|s['\u2019])?(?:\s+(?:e-?mail\s+)?(?:address|domain|mailbox|account|user"
    r"|name|server|ip|host|login))?"
)
#: A mailbox noun that opens a statement of its own after the sender's words, not the
#: reason a colon introduces ("sender verify failed user unknown", "... the user you are
#: sending to does not exist"; not "Sender address rejected: User unknown"): another's
#: subject (fortieth review, B-2).
_NEW_SUBJECT = re.compile(
    r"(?i)(?<![:\s])\s+(?:(?:the|target|remote|destination|this|that|your)\s+)?(?=(?:users?|usernames?"
    r"|mailbox(?:es)?|mail box|inbox|accounts?|logins?|alias|e-?mails?|usuari[oa]s?|cuentas?"
    r"|buz[oó]n|utilisateurs?|comptes?|bo[iî]tes?|benutzer|kont(?:o|en)|postf[aä]ch|utent[ei]"
    r"|casell[ae]|gebruikers?|usu[aá]ri[oa]s?|contas?|caixas?)\b)"
)
_SENDER = re.compile(SENDER_WORDS)


def senders_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` said of the sender: from its words (:data:`SENDER_WORDS`) to
    its clause's end (:data:`_CLAUSE_END`), in order."""
    spans: list[tuple[int, int]] = []
    at = 0
    while found := _SENDER.search(text, at):
        start = found.start() + (0 if text[found.start()].isalnum() else 1)
        if said := _SENDERS_ADJECTIVE.search(text, 0, start):  # "Invalid Sender.": its own
            start = said.start() + len(said[0]) - len(said[0].lstrip(".;,:!?()[]\n \t"))
        stop = _second_statement(text, found.end(), _clause_stop(text, found))
        spans.append((start, stop))
        at = max(stop, found.end())
    return spans


def _clause_stop(text: str, found: re.Match[str]) -> int:
    """Where the clause of the sender's words ``found`` ends (:data:`_CLAUSE_END`, or a
    mailbox noun opening a statement of its own, :data:`_NEW_SUBJECT`), read from the
    last of the sender's words in it ("5.1.7 Invalid sender address: ...")."""
    while True:
        own = _OWN_NOUN.match(text, found.end())
        after = own.end() if own else found.end()
        subject = _NEW_SUBJECT.search(text, after)
        if subject and subject.start() == after:  # the value of the sender's noun, its
            subject = _NEW_SUBJECT.search(text, after + 1)  # colon dropped: "address: mailbox"
        ends = [m.start() for m in (_CLAUSE_END.search(text, after), subject) if m]
        stop = min(ends, default=len(text))
        later = _SENDER.search(text, found.end(), stop)
        if later is None or later.end() <= found.end():
            return stop
        found = later


def _second_statement(text: str, start: int, stop: int) -> int:
    """Where the sender's clause (from ``start``, to ``stop`` as its words end it) ends
    sooner: at a second statement that an address or a domain cannot receive ("Domain not
    found & user unknown", "... Domain not found no such user", whatever joins them), or
    at one that runs past ``stop`` ("Sender address rejected: unknown recipient": the
    recipient's, however the clause began); else ``stop``."""
    at = start
    for second in (False, True):
        found, where = leftmost(pa.array([text[at:]], pa.string()), dead_or_domain())
        if found[0] is None:
            return stop
        begins = at + int(where[0])
        ends = begins + max(len(found[0]), 1)
        if begins >= stop:
            return stop
        if second or ends > stop:
            return begins
        at = ends
    return stop


def _without_spans(text: str) -> str:
    kept, at = [], 0
    for start, stop in senders_spans(text):
        kept.append(text[at:start])
        at = stop
    return " ".join([*kept, text[at:]])


def without_senders_clauses(words: pa.Array) -> pa.Array:
    """``words`` (as :func:`~.bounce_words.words_of` gives) with each span said of the
    sender (:func:`senders_spans`) set aside, so a dead family's words read in what is
    left are the recipient's."""
    return each_where(words, SENDER_WORDS, _without_spans)


def said_of_the_sender(words: pa.Array, phrase: np.ndarray) -> np.ndarray:
    """Whether each text's deciding ``phrase`` (triage's evidence) stands in a span said of
    the sender (:func:`senders_spans`) or names the sender itself."""
    out = np.zeros(len(words), dtype=bool)
    for i, (text, said) in enumerate(zip(words.to_pylist(), phrase, strict=True)):
        if not text or not isinstance(said, str) or not said:
            continue
        if _SENDER.search(said):
            out[i] = True
            continue
        at = text.lower().find(said.lower())
        out[i] = at >= 0 and any(s <= at < e for s, e in senders_spans(text))
    return out


#: Refusals of the sender's own identity, quota or IP in words that name no sender: Amazon
#: SES's unverified identity ("The following identities failed the check": the sending
#: address or domain is not verified in the sender's SES account), Exchange Online's
#: submission quota (the sender's tenant sent too much), Cloudmark's link for asking the
#: sending IP's reputation reset (set aside as a link when the phrases are read).
OWN_IDENTITY_QUOTA_OR_IP = (
    r"(?i)identit(?:y|ies) failed the check|submission\.?exception:?\s*submissionquotaexceeded"
    r"|submission ?quota ?exceeded|csi\.cloudmark\.com/(?:[a-z]{2}/)?reset"
)
#: The reasons a refusal of the sender's own address, domain or account is read as.
_REFUSED = ("rejected",)


def senders_own_refusal(texts: pa.Array, read: pd.DataFrame) -> np.ndarray:
    """Whether each text (``read`` its triage, row for row) is a refusal of the sender's
    own: a ``rejected`` decided by a phrase said of the sender (:func:`said_of_the_sender`:
    "Sender address rejected", "Your sending account is disabled"), or the words of
    :data:`OWN_IDENTITY_QUOTA_OR_IP`."""
    named = np.asarray(
        pc.match_substring_regex(texts, OWN_IDENTITY_QUOTA_OR_IP).to_numpy(False), dtype=bool
    )
    refused = np.asarray(
        read["reason"].isin(_REFUSED) & (read["decided_by"] == "phrase"), dtype=bool
    )
    where = np.flatnonzero(refused & ~named)
    if len(where):
        words = words_of(texts.take(pa.array(where)), joined=False, lines=True)
        phrase = read["evidence"].astype(object).to_numpy()[where]
        named[where] = said_of_the_sender(words, phrase)
    return named
