"""The triage's tables, read once from ``data/``: the phrase rules in the order they are
tried, each rule's reason when the delivery will be tried again, and what an enhanced
status code or a bare reply code says."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib.resources import files

from .mailbox_words import expand


def _data(name: str) -> list[dict[str, str]]:
    with files("mmframe.analysis").joinpath("data", name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def phrases() -> tuple[tuple[str, str], ...]:
    """(reason, RE2 pattern) rules in the order they are tried (a ``{mailbox_words:...}``
    row is that family of :mod:`.mailbox_words`)."""
    return tuple((row["reason"], expand(row["pattern"])) for row in _data("bounce_phrases.csv"))


@lru_cache(maxsize=1)
def when_retried() -> dict[int, str]:
    """The reason of a phrase row (by its place in :func:`phrases`) where the text says the
    delivery will be tried again: a connection that got no answer expires a message that
    the queue gave up on (Sisimai), but one still deferred is the way there."""
    rows = _data("bounce_phrases.csv")
    return {i: row["when_retried"] for i, row in enumerate(rows) if row["when_retried"]}


@lru_cache(maxsize=1)
def status_reasons() -> dict[str, str]:
    """Reason per enhanced status: a full code (``"4.7.1"``) or ``subject.detail`` (``"1.1"``)."""
    return {row["code"]: row["reason"] for row in _data("status_codes.csv")}


@lru_cache(maxsize=1)
def reply_reasons() -> dict[int, str]:
    """What a bare reply code says when nothing else in the text does (RFC 5321 4.2)."""
    return {int(row["code"]): row["reason"] for row in _data("reply_codes.csv")}
