"""The one way the report writes a number, and a data string into a sentence."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import SupportsFloat, cast

import pandas as pd


def count(n: object) -> str:
    """A whole count with thousands separators (``12,345``); ``-`` where missing."""
    try:
        value = float(cast(SupportsFloat, n))
    except (TypeError, ValueError):
        return "-"
    return "-" if math.isnan(value) else f"{round(value):,}"


def share(x: float) -> str:
    """A share as a percentage: whole percent, or one decimal below 10 %."""
    return "-" if math.isnan(x) else f"{x:.1%}" if x < 0.1 else f"{x:.0%}"


def rate_beside(rate: float, lines: Iterable[float], places: int = 2) -> str:
    """A rate as a percentage to ``places`` decimals, or to as many more as tell it from a
    line it is not on but rounds onto (``1.996%`` beside a 2 % line, never "2.00% under the
    2% line"); up to 6."""
    shown = f"{rate:.{places}%}"
    for digits in range(places, 7):
        shown = f"{rate:.{digits}%}"
        if not any(
            round(rate * 100, digits) == round(line * 100, digits)
            and not math.isclose(rate, line, rel_tol=1e-9)
            for line in lines
        ):
            break
    return shown


def capital(said: str) -> str:
    """``said`` with a capital first letter, unless its first word is a name as written (an
    address, a domain, a code: ``retail@acme.io's``, ``gmail.com:``), which stays as it is
    ("this key's account's complaints ..." began a sentence in lower case)."""
    first = said.split(" ", 1)[0]
    if not said[:1].islower() or "@" in first or "." in first.rstrip(".,;:"):
        return said
    return said[0].upper() + said[1:]


def domain_shown(domain: str) -> str:
    """A domain as people know it: an internationalised one (IDNA, ``xn--bcher-kva.de``) in
    Unicode with its ASCII form after it, for searching (``bücher.de (xn--bcher-kva.de)``);
    any other, or one that does not decode, as it is."""
    if "xn--" not in domain.lower():
        return domain
    try:
        shown = domain.encode("ascii").decode("idna")
    except UnicodeError:
        return domain
    return f"{shown} ({domain})" if shown != domain else domain


def moment(when: pd.Timestamp) -> str:
    """A UTC time as a reader wants it: the day alone at midnight, else day and time."""
    if when == when.floor("D"):
        return f"{when:%Y-%m-%d}"
    return f"{when:%Y-%m-%d} {clock(when)} UTC"


def clock(when: pd.Timestamp) -> str:
    """``10:58``, or ``10:58:25`` where the time has seconds: a range's end as given, else
    the events it counts fall after the printed end (twelfth review, R4)."""
    return f"{when:%H:%M:%S}" if when != when.floor("min") else f"{when:%H:%M}"


def duration(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """``90 days``, ``19 days 12 hours``, ``6 hours 30 minutes`` or ``45 minutes``: a
    range's length in words, to the minute (``1 minute`` at least)."""
    length = end - start
    hours, minutes = length.seconds // 3600, length.seconds % 3600 // 60
    parts = [(length.days, "day"), (hours, "hour"), (minutes, "minute")]
    said = [plural(n, unit) for n, unit in parts if n]
    return " ".join(said) or "1 minute"


def span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """A range ``[start, end)`` in words that say where it ends: ``from 2026-09-01 to
    2026-12-04 inclusive`` (an end at midnight: the last day named), ``from 2026-11-20 until
    2026-11-20 12:00 UTC, not included``, or ``on 2026-11-20`` (one whole day). A reader
    takes "to 2026-12-05" as including that day."""
    day = pd.Timedelta(days=1)
    if end == end.floor("D"):
        last = end - day
        if start == last:
            return f"on {moment(last)}"
        return f"from {moment(start)} to {moment(last)} inclusive"
    return f"from {moment(start)} until {moment(end)}, not included"


def plural(n: object, word: str, words: str | None = None) -> str:
    """``1 account``, ``3 accounts``: a count and its noun."""
    return f"{count(n)} {word if count(n) == '1' else words or word + 's'}"


#: Characters that set a direction: the explicit controls, and right-to-left letters
#: (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms, RTL astral scripts).
_DIRECTIONAL = re.compile(
    "[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_EMBEDS, _ISOLATES = "\u202a\u202b\u202d\u202e", "\u2066\u2067\u2068"
_POP, _POP_ISOLATE = "\u202c", "\u2069"


def isolate(text: object) -> str:
    """A data string as a sentence may hold it: one that sets a direction (a bounce text
    with a right-to-left override, an Arabic campaign name) is wrapped in an isolate
    (U+2068 ... U+2069, what ``<bdi>`` does) with its own controls balanced, so it can
    neither reverse nor reorder the words around it. Plain text is returned as it is."""
    value = str(text)
    if not _DIRECTIONAL.search(value):
        return value
    kept: list[str] = []
    open_: list[str] = []  # the closer each open control needs, innermost last
    for ch in value:
        if ch in _EMBEDS or ch in _ISOLATES:
            open_.append(_POP if ch in _EMBEDS else _POP_ISOLATE)
        elif ch == _POP:
            if not open_ or open_[-1] != _POP:
                continue  # a stray closer would close what surrounds the value
            open_.pop()
        elif ch == _POP_ISOLATE:
            if _POP_ISOLATE not in open_:
                continue
            while open_.pop() != _POP_ISOLATE:
                pass
        kept.append(ch)
    return "\u2068" + "".join(kept) + "".join(reversed(open_)) + "\u2069"
