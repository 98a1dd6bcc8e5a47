"""Words a bounce writes joined or spaced out, read as words: error names and tokens
("NoSuchUser", "mailbox_not_found", "USER-UNKNOWN", "user.unknown", "userunknown") and
letters set apart ("u s e r  u n k n o w n"). A dead mailbox written so beside a passing
cause was put back (issue 33, eleventh review, A1).

A token is parted only where every part is a word the tables or English know
(:func:`~.unread_words.known_words`), so names stay whole ("SpamCop", "cop" being no such
word; "Message-ID", a compound of two words on a hyphen)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .unread_words import known_words

#: Nouns of a mailbox: a predicate joined to one is parted on one hyphen or dot, and a
#: token glued without a case change is parted only around one.
NOUNS = ("user", "mailbox", "recipient", "account", "address", "addressee")
_NOUN = "|".join(NOUNS)

#: A token of words joined by case, hyphens or underscores.
_JOINED = re.compile(r"\b[A-Za-z]+(?:[-_][A-Za-z]+)+\b|\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b")
#: Words joined by dots (read as words only where they are not a host's name: :func:`_split`).
_DOTTED = re.compile(r"(?<![\w.@])[A-Za-z]+(?:\.[A-Za-z]+){1,3}(?![\w.@])")
_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
#: A word glued from letters without a case change ("userunknown", "NOSUCHUSER"), or but
#: its first ("Mailboxdoesnotexist", as a zero-width space dropped leaves it).
_GLUED = re.compile(rf"\b(?=[A-Za-z]*(?i:{_NOUN}))(?:[A-Z]?[a-z]{{7,}}|[A-Z]{{7,}})\b")
#: Letters set apart by a space, a dot or a hyphen ("u s e r", "U.s.e.r", "u-s-e-r").
_SPACED = re.compile(r"(?<![\w.-])[A-Za-z](?:[ .-]{1,4}[A-Za-z]){3,}(?![\w])")


def _forms() -> tuple[tuple[str, re.Pattern[str], Callable[[str], str]], ...]:
    """Each form of joined words: where a text may hold it (RE2, over every text at once),
    the form itself, and how one reads as words. A text is read again in Python only for
    the forms it may hold: most bounces hold none, and many a hyphen in a host's name."""
    return (
        (r"\b[A-Za-z][ .-][A-Za-z][ .-][A-Za-z][ .-][A-Za-z]\b", _SPACED, _unspaced),
        (r"[a-z][A-Z]|[A-Za-z][-_][A-Za-z]", _JOINED, _split),
        (rf"(?i:(?:{_NOUN})\.[a-z]|[a-z]\.(?:{_NOUN}))", _DOTTED, _split),
        (rf"(?i:(?:{_NOUN})[a-z]{{3}}|[a-z]{{2}}(?:{_NOUN}))", _GLUED, _segmented),
    )


def parted(texts: pa.Array) -> pa.Array:
    """``texts`` with their joined and spaced-out words read as words, where every part is
    a word the tables or English know (each text once, for the forms it may hold)."""
    forms = _forms()
    hits = [
        np.asarray(pc.match_substring_regex(texts, hint).to_numpy(zero_copy_only=False), bool)
        for hint, _form, _how in forms
    ]
    where = np.flatnonzero(np.logical_or.reduce(hits))
    if not len(where):
        return texts
    values = texts.to_pylist()
    for i in where:
        text = values[i]
        for hit, (_hint, form, how) in zip(hits, forms, strict=True):
            if hit[i]:
                text = form.sub(_each(how), text)
        values[i] = text
    return pa.array(values, pa.string())


def _each(how: Callable[[str], str]) -> Callable[[re.Match[str]], str]:
    return lambda match: how(match[0])


def _unspaced(letters: str) -> str:
    """ "u s e r  u n k n o w n" as "user unknown": the letters joined, then read as the
    fewest known words around a mailbox noun (:func:`_segmented`), as the spacing between
    words is no surer than the spacing between letters."""
    return _segmented(re.sub(r"[ .-]", "", letters))


@cache
def _split(token: str) -> str:
    """A token joined by case, hyphens, underscores or dots as its words, where each is a
    word the tables or English know; else the token as it is."""
    known = known_words()
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


@cache
def _segmented(token: str) -> str:
    """A glued token as the fewest known words, one of them a mailbox noun ("userunknown"
    as "user unknown", "nosuchmailbox" as "no such mailbox"); kept where it is a word
    itself ("username"'s parts are words, but "accounts" is one) or no such parting is."""
    lower, known = token.lower(), known_words()
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
