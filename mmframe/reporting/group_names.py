"""A group of an account's mail in words, as every finding names it."""

from __future__ import annotations

from .numbers import domain_shown, isolate


def where(by: str, group: str) -> str:
    """A group in words: ``domain hotmail.com``, or all of the account's mail (not "the
    account as a whole": the page says "the range as a whole" of the whole range, and this
    is the account's mail in a period; eleventh review, A5)."""
    if by == "domain":
        return f"domain {isolate(domain_shown(group))}"
    return "all of the account's mail" if by == "account" else f"{by} {isolate(group)}"


def at(by: str, group: str) -> str:
    """Where in the account's mail: ``at domain hotmail.com``, ``in all of the account's
    mail``."""
    return f"{'in' if by == 'account' else 'at'} {where(by, group)}"
