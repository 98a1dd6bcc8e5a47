"""Dead-mailbox words in the other languages triage reads, as families, not strings: in
each language of ``data/mailbox_words.csv``, a mailbox, account or user noun followed by a
does-not-exist, unknown or disabled predicate within a few words ("La cuenta de correo no
existe", "Das E-Mail-Konto existiert nicht"), or such a word before the noun ("Onbekende
gebruiker"); accents optional and case folded ("El buzon NO EXISTE" reads the same). The
same predicates said of the sender ("La cuenta del remitente no existe"), or of how many
recipients were unknown ("Zu viele unbekannte Empfänger"), are the sender's matter.

A row of ``data/bounce_phrases.csv`` whose pattern is ``{mailbox_words:<family>}`` stands
for the family's pattern (:func:`expand`), at that row's place in the order."""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib.resources import files

#: Each base letter with its accented forms: a word the table writes with one may come
#: without it, or with another (pt-PT "electrónico", pt-BR "eletrônico").
_ACCENTED = {
    "a": "áàâãäå", "e": "éèêë", "i": "íìîï", "o": "óòôõö", "u": "úùûü", "c": "ç", "n": "ñ",
}  # fmt: skip
_BASE = {accented: base for base, forms in _ACCENTED.items() for accented in forms}
#: The combining accents a decomposed letter carries (U+0300 to U+036F: acute, grave,
#: circumflex, tilde, diaeresis, cedilla, ...): all of Unicode's marks made RE2 ten times
#: slower over a million bounces.
_MARKS = r"[\x{300}-\x{36f}]*"
#: German writes an umlaut as its letter and an e where it has no umlauts ("Empfaenger").
_UMLAUT = {"ä": "ae", "ö": "oe", "ü": "ue"}
#: One word between the noun and its predicate: no punctuation, so a clause that ends
#: ("Demasiados mensajes desde su cuenta, inténtelo más tarde") joins nothing after it.
_WORD = r"[^\s.,;:!?()<>\[\]]+"
_GAP = 8  # "La dirección de correo [a la que intentas escribir ya] no existe"
#: Where a word ends: RE2's ``\b`` knows ASCII letters only, so after an accented one
#: ("désactivé.") a space or punctuation after it, or the text's end, says it (not any
#: other character than a letter: such a Unicode class made RE2 five times slower).
_END = r"(?:\b|$|[\s.,;:!?()<>\[\]\"'\x{2019}/-])"
#: An apostrophe, typed or typographic (U+2019, as word processors write it).
_APOSTROPHE = r"['\x{2019}]"
_MARKER = re.compile(r"^\{mailbox_words:(?P<family>[a-z_]+)\}$")


def _folded(words: str) -> str:
    """``words`` (an RE2 fragment, written with its accents) with each accented letter
    matching its base letter and the other accents too, written composed or decomposed
    (a base letter, then combining marks), and an apostrophe matching a typographic one."""
    out: list[str] = []
    in_class = False
    for char in words:
        base = _BASE.get(char.lower())
        if base is not None:
            forms = base + _ACCENTED[base]
            folded = f"[{forms}]{_MARKS}"
            if char.lower() in _UMLAUT:
                folded = f"(?:{_UMLAUT[char.lower()]}|{folded})"
            out.append(forms if in_class else folded)
        else:
            out.append(_APOSTROPHE if char == "'" and not in_class else char)
        in_class = (in_class or char == "[") and char != "]"
    return "".join(out)


@cache
def _words() -> dict[str, dict[str, str]]:
    """Per language, per part (noun, gone, disabled, before, sender, too_many, bad), the
    folded alternatives as one group."""
    source = files("mmframe.analysis").joinpath("data", "mailbox_words.csv")
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        out.setdefault(row["language"], {})[row["part"]] = f"(?:{_folded(row['words'])})"
    return out


def _family(name: str, part: dict[str, str]) -> str:
    after = rf"(?:\s+{_WORD}){{0,{_GAP}}}\s+"
    noun = rf"\b{part['noun']}"
    if name == "gone":
        before = rf"\b{part['before']}\s+(?:{_WORD}\s+)?(?:[ld]{_APOSTROPHE})?{part['noun']}{_END}"
        return rf"{noun}{after}{part['gone']}{_END}|{before}"
    if name == "disabled":
        return rf"{noun}{after}{part['disabled']}{_END}"
    if name == "sender":
        return rf"\b{part['sender']}{after}(?:{part['gone']}|{part['disabled']}){_END}"
    if name == "too_many":
        return rf"\b{part['too_many']}(?:\s*{_WORD}){{0,3}}?\s+{part['bad']}[^\s.,;:!?]*"
    raise ValueError(f"no mailbox_words family {name!r}")


@cache
def family(name: str) -> str:
    """The RE2 pattern of family ``name`` (``gone``, ``disabled``, ``sender``,
    ``too_many``) in every language of the table."""
    return "|".join(_family(name, part) for part in _words().values())


@cache
def predicates() -> str:
    """The does-not-exist, unknown and disabled words of every language of the table, as
    one RE2 group with no noun ("no existe", "nicht vergeben", "désactivée")."""
    parts = _words().values()
    return "(?:" + "|".join(p[k] for p in parts for k in ("gone", "disabled")) + ")"


def expand(pattern: str) -> str:
    """``pattern`` as the phrase table means it: a ``{mailbox_words:<family>}`` marker
    stands for that family's pattern; any other pattern is itself."""
    marker = _MARKER.match(pattern)
    return family(marker["family"]) if marker else pattern
