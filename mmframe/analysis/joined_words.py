"""Words a bounce writes joined or spaced out, read as words: error names and tokens
("NoSuchUser", "mailbox_not_found", "USER-UNKNOWN", "user.unknown", "userunknown") and
letters set apart ("u s e r  u n k n o w n"). A dead mailbox written so beside a passing
cause was put back (issue 33, eleventh review, A1).

A token is parted only where every part is a word the tables or English know
(:func:`~.unread_words.known_words`), so names stay whole ("SpamCop", "cop" being no such
word; "Message-ID", a compound of two words on a hyphen)."""

from __future__ import annotations

import re
from functools import cache

#: Nouns of a mailbox: a predicate joined to one is parted on one hyphen or dot, and a
#: token glued without a case change is parted only around one.
NOUNS = ("user", "mailbox", "recipient", "account", "address", "addressee")
_NOUN = "|".join(NOUNS)

#: Where a text may hold joined or spaced words (RE2, to pick the texts to read again):
#: a case change inside a word, a hyphen or underscore between letters, a mailbox noun
#: glued to three letters or more (not "recipients") or dotted to a word, four letters or
#: more set apart by spaces.
HINT = (
    rf"[a-z][A-Z]|[A-Za-z][-_][A-Za-z]|(?i:(?:{_NOUN})(?:[a-z]{{3}}|\.[a-z])|(?:[a-z]{{2}}|\.)(?:{_NOUN}))"
    r"|\b[A-Za-z] [A-Za-z] [A-Za-z] [A-Za-z]\b"
)
#: A token of words joined by case, hyphens or underscores, or by dots (read as words
#: only where they are not a host's name: :func:`_split`).
_TOKEN = re.compile(
    r"\b[A-Za-z]+(?:[-_][A-Za-z]+)+\b|\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b"
    r"|(?<![\w.@])[A-Za-z]+(?:\.[A-Za-z]+){1,3}(?![\w.@])"
)
_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
#: A word glued from letters without a case change ("userunknown", "NOSUCHUSER").
_GLUED = re.compile(rf"\b(?=[A-Za-z]*(?i:{_NOUN}))(?:[a-z]{{7,}}|[A-Z]{{7,}})\b")
#: Letters set apart, one space between letters and two or more between words.
_SPACED = re.compile(r"(?<!\w)[A-Za-z](?: {1,4}[A-Za-z]){3,}(?!\w)")


def parted(text: str, known: frozenset[str]) -> str:
    """``text`` with its joined and spaced-out words read as words, where every part is
    a word of ``known``."""
    text = _SPACED.sub(_unspaced, text)
    text = _TOKEN.sub(lambda match: _split(match[0], known), text)
    return _GLUED.sub(lambda match: _segmented(match[0], known), text)


def _unspaced(match: re.Match[str]) -> str:
    """ "u s e r  u n k n o w n" as "user unknown"; text with a word of two letters or
    more in it is no spaced-out word, and is kept."""
    return " ".join(word.replace(" ", "") for word in re.split(r" {2,}", match[0]))


def _split(token: str, known: frozenset[str]) -> str:
    words = _PARTS.findall(re.sub(r"[-_.]", " ", token))
    # Two words on a hyphen are a compound more often than a joined phrase ("Message-ID",
    # "e-mail"): a hyphen parts three or more, or a mailbox noun from what is said of it.
    hyphened = "-" in token and "_" not in token
    if hyphened and len(words) < 3 and not {w.lower() for w in words} & set(NOUNS):
        return token
    # Dotted words are a host's unless a mailbox noun is among them and the last is no
    # label of a host's ("user.unknown", "no.such.user"; never "user.mail.ru").
    if "." in token and (len(words[-1]) < 4 or not {w.lower() for w in words} & set(NOUNS)):
        return token
    if len(words) > 1 and all(len(w) > 1 and w.lower() in known for w in words):
        return " ".join(words)
    return token


def _segmented(token: str, known: frozenset[str]) -> str:
    """A glued token as the fewest known words, one of them a mailbox noun ("userunknown"
    as "user unknown", "nosuchmailbox" as "no such mailbox"); kept where it is a word
    itself ("username"'s parts are words, but "accounts" is one) or no such parting is."""
    lower = token.lower()
    if lower in known:
        return token
    found = _fewest(lower, known)
    if found is None or len(found) < 2 or not set(found) & set(NOUNS):
        return token
    return " ".join(found)


def _fewest(text: str, known: frozenset[str]) -> tuple[str, ...] | None:
    """``text`` as the fewest words of ``known`` (two letters or more each), or None."""

    @cache
    def best(start: int) -> tuple[str, ...] | None:
        if start == len(text):
            return ()
        options = [
            (text[start:end], rest)
            for end in range(start + 2, len(text) + 1)
            if text[start:end] in known and (rest := best(end)) is not None
        ]
        if not options:
            return None
        word, rest = min(options, key=lambda option: len(option[1]))
        return (word, *rest)

    return best(0)
