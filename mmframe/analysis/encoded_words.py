"""Bounce texts decoded as a raw message carries them: quoted-printable, RFC 2047 words,
HTML entities, URL and JSON escapes, and a Latin word's Cyrillic or Greek look-alike
letters read as Latin ones (:func:`decoded`); and :func:`each_where`, which the other
readings of a text use to rewrite only the texts a pattern matches, each distinct one once."""

from __future__ import annotations

import contextlib
import email.header
import html
import quopri
import re
import urllib.parse
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Text a raw message carries encoded: quoted-printable ("Empf=C3=A4nger", "Empf=E4nger"),
#: RFC 2047 words ("=?UTF-8?Q?...?="), HTML entities ("Empf&auml;nger", "&#228;"), URL
#: escapes ("Empf%C3%A4nger") and JSON's ("Empf\u00e4nger").
_ENCODED = (
    r"=[0-9A-Fa-f]{2}|&#?[0-9A-Za-z]+;|=\?[^?\s]+\?[QqBb]\?|%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}"
    r"|\\[nrt]|=\r?\n"
)
_RFC2047 = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")


def decoded(texts: pa.Array) -> pa.Array:
    """``texts`` with encodings decoded where a text has them (each such text once), and
    a Latin word's Cyrillic or Greek look-alike letters read as the Latin ones ("Mailbox"
    written with a Cyrillic a)."""
    texts = each_where(texts, _ENCODED, _decode)
    return each_where(texts, _MIXED_SCRIPT, _unconfused)


#: A Latin letter beside a Cyrillic or a Greek one: a word of mixed scripts.
_MIXED_SCRIPT = r"\p{Latin}[\p{Cyrillic}\p{Greek}]|[\p{Cyrillic}\p{Greek}]\p{Latin}"
#: Cyrillic and Greek letters that look like Latin ones (Unicode's confusables, in part).
_LOOK_ALIKE = str.maketrans(
    "аеорсухіјѕԁӏАВЕКМНОРСТХІЈЅοαειкνρτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdlABEKMHOPCTXIJSoaeikvptuxABEZHIKMNOPTYX",
)


def _unconfused(text: str) -> str:
    """``text`` with each word of mixed scripts read in Latin letters."""
    return re.sub(
        r"\w+",
        lambda m: m[0].translate(_LOOK_ALIKE) if re.search(r"[A-Za-z]", m[0]) else m[0],
        text,
    )


def each_where(texts: pa.Array, pattern: str, how: Callable[[str], str]) -> pa.Array:
    """``texts`` with ``how`` applied to each text that ``pattern`` (RE2) matches, each
    distinct one once (a storm repeats one text); nulls as they are."""
    hit = pc.fill_null(pc.match_substring_regex(texts, pattern), False)
    where = np.flatnonzero(np.asarray(hit.to_numpy(zero_copy_only=False), bool))
    if not len(where):
        return texts
    values = texts.to_pylist()
    read: dict[str, str] = {}
    for i in where:
        text = values[i]
        values[i] = read[text] if text in read else read.setdefault(text, how(text))
    return pa.array(values, pa.string())


def _decode(text: str) -> str:
    # A text set in capitals sets its entities so ("USER&NBSP;UNKNOWN"): read them as named.
    text = re.sub(r"&[A-Z][A-Za-z]+;", lambda m: _entity(m[0]), text)
    text = _RFC2047.sub(_rfc2047, html.unescape(text))
    text = re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m[1], 16)), text)
    text = re.sub(r"\\([nrt])", lambda m: _ESCAPES[m[1]], text)
    text = re.sub(r"=\r?\n", "", text)  # quoted-printable's soft line break
    for escape, how in (("=", quopri.decodestring), ("%", _unquoted)):
        if not re.search(f"{escape}[0-9A-Fa-f]{{2}}", text):
            continue
        raw = how(text.encode("utf-8"))
        # UTF-8 where it decodes; else Latin-1, only where each escape stands in a word
        # ("Empf=E4nger"), never "id=AB12" made "id«12".
        with contextlib.suppress(UnicodeDecodeError):
            text = raw.decode("utf-8")
            continue
        # ... and each a letter in capitals' hex, as the encodings write it: "result=bestaat"
        # is a key and its value, not "result¾staat".
        in_words = rf"(?:[^{escape}]|(?<=[A-Za-z]){escape}[0-9A-F]{{2}}(?=[A-Za-z]))*"
        codes = re.findall(rf"{escape}([0-9A-Fa-f]{{2}})", text)
        if re.fullmatch(in_words, text) and all(chr(int(c, 16)).isalpha() for c in codes):
            text = raw.decode("latin-1")
    return text


#: JSON's and C's escapes of a line break and a tab, as a text stored escaped writes them.
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}


def _entity(name: str) -> str:
    plain = html.unescape(name)
    return plain if plain != name else html.unescape(name.lower())


def _unquoted(raw: bytes) -> bytes:
    return urllib.parse.unquote_to_bytes(raw)


def _rfc2047(match: re.Match[str]) -> str:
    try:
        return str(email.header.make_header(email.header.decode_header(match[0])))
    except (LookupError, ValueError, UnicodeDecodeError):
        return match[0]
