"""Address syntax checks (email-validator, syntax only: no DNS) and request batching."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from urllib.parse import quote

from email_validator import EmailNotValidError, validate_email

#: GET URLs stay under what common servers and proxies accept (8 KiB request lines).
MAX_QUERY_CHARS = 7_000


@lru_cache(maxsize=65_536)
def problem(address: object) -> str | None:
    """Why ``address`` is not a valid address, or None when it is."""
    if not isinstance(address, str) or not address.strip():
        return "missing address"
    if address != address.strip():
        return "leading or trailing spaces"
    try:
        # ASCII only, as the MM API predates SMTPUTF8; no DNS look-ups.
        validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def problems(addresses: Iterable[object]) -> dict[int, str]:
    """Position → reason for every invalid address."""
    return {i: why for i, a in enumerate(addresses) if (why := problem(a)) is not None}


def require_valid(addresses: Sequence[object], name: str = "emails") -> None:
    """``ValueError`` naming the invalid addresses (up to ten) and their positions."""
    bad = problems(addresses)
    if bad:
        shown = "; ".join(f"[{i}] {addresses[i]!r}: {why}" for i, why in list(bad.items())[:10])
        more = f" (+{len(bad) - 10} more)" if len(bad) > 10 else ""
        raise ValueError(f"{name}: {len(bad)} invalid address(es): {shown}{more}")


def distinct(addresses: Iterable[str]) -> list[str]:
    """Addresses without case-insensitive repeats, first spelling kept, in order."""
    first: dict[str, str] = {}
    for address in addresses:
        first.setdefault(address.lower(), address)
    return list(first.values())


def batches(
    addresses: Sequence[str], *, limit: int, max_chars: int | None = None
) -> Iterator[list[str]]:
    """Consecutive groups of at most ``limit`` addresses (and ``max_chars`` URL-encoded)."""
    group: list[str] = []
    size = 0
    for address in addresses:
        cost = len(quote(address, safe="")) + 3  # the %2C that joins it
        if group and (len(group) >= limit or (max_chars and size + cost > max_chars)):
            yield group
            group, size = [], 0
        group.append(address)
        size += cost
    if group:
        yield group
