"""Recipient names of the seed datasets, and the synthetic mailing audience built from them.

The demo's mail history sends to far more recipients than it stores: audience member ``j``
of a domain has an address computed from ``j`` (and ``j`` is read back from the address),
in a style the stored addresses never use, so the two never meet.
"""

from __future__ import annotations

import re

FIRST = [
    "james",
    "mary",
    "john",
    "patricia",
    "robert",
    "jennifer",
    "michael",
    "linda",
    "william",
    "elizabeth",
    "david",
    "barbara",
    "richard",
    "susan",
    "joseph",
    "jessica",
    "thomas",
    "sarah",
    "charles",
    "karen",
    "chris",
    "nancy",
    "daniel",
    "lisa",
    "matt",
    "betty",
    "anthony",
    "sandra",
    "mark",
    "ashley",
    "paul",
    "kim",
    "steven",
    "emily",
    "andrew",
    "donna",
    "josh",
    "michelle",
    "ken",
    "carol",
    "kevin",
    "amanda",
    "brian",
    "melissa",
    "george",
    "deborah",
    "tim",
    "stephanie",
    "ron",
    "rebecca",
]
LAST = [
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "rodriguez",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "thomas",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "perez",
    "thompson",
    "white",
    "harris",
    "sanchez",
    "clark",
    "ramirez",
    "lewis",
    "robinson",
    "walker",
    "young",
    "allen",
    "king",
    "wright",
    "scott",
    "torres",
    "nguyen",
    "hill",
    "flores",
    "green",
    "adams",
    "nelson",
    "baker",
    "hall",
    "rivera",
    "campbell",
    "mitchell",
    "carter",
]


_AUDIENCE = re.compile(r"([a-z]+)_([a-z]+)(\d{1,9})@([a-z0-9.-]+)")
_FIRST_AT = {name: i for i, name in enumerate(FIRST)}
_LAST_AT = {name: i for i, name in enumerate(LAST)}
_PER_ROUND = len(FIRST) * len(LAST)


def audience_address(domain: str, member: int) -> str:
    """The address of audience member ``member`` at ``domain`` (``first_last<n>@domain``)."""
    rounds, rest = divmod(member, _PER_ROUND)
    last, first = divmod(rest, len(FIRST))
    return f"{FIRST[first]}_{LAST[last]}{rounds + 1}@{domain}"


def audience_member(address: str) -> tuple[str, int] | None:
    """(domain, member) of an audience address, or None for any other address."""
    match = _AUDIENCE.fullmatch(address.lower())
    if match is None:
        return None
    first, last, rounds, domain = match.groups()
    if first not in _FIRST_AT or last not in _LAST_AT or int(rounds) < 1 or rounds[0] == "0":
        return None
    return domain, (int(rounds) - 1) * _PER_ROUND + _LAST_AT[last] * len(FIRST) + _FIRST_AT[first]
