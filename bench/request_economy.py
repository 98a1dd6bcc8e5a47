"""Requests each loader sends on the demo data, against the fewest it could send.

Run: ``python bench/request_economy.py``. The emulator runs as its own process; its
statistics count what arrived. Prints sent / minimum per loader (target: at most the
pages a list needs, plus one).
"""

from __future__ import annotations

from collections.abc import Callable

from _server import emulator_process, reset_stats, stats

import mmframe as mm
from mmframe.addresses import MAX_QUERY_CHARS, batches

EMAILS = [f"u{i}@example.com" for i in range(1500)]


def sent(admin: str) -> int:
    methods = stats(admin)["methods"]
    assert isinstance(methods, dict)
    return sum(int(v["requests"]) for v in methods.values())


def main() -> None:
    with emulator_process("--seed", "demo") as (url, key, admin), mm.Session(url, key) as s:
        s.account_keys()
        cases: list[tuple[str, Callable[[], object], Callable[[object], int]]] = [
            ("read_accounts()", lambda: mm.read_accounts(session=s), lambda f: 1),
            (
                "read_senders(accounts='all')",
                lambda: mm.read_senders(accounts="all", session=s),
                # the account list, read again ("all" is every account now), and the pages
                lambda f: 1 + sum(n // 25 + 1 for n in f.groupby("account", observed=True).size()),
            ),
            (
                "read_suppressions(2026H1, accounts='all')",
                lambda: mm.read_suppressions("2026-01-01", "2026-07-01", accounts="all", session=s),
                # the list; one count and the pages per account (the count after: exactness)
                lambda f: 1 + sum(n // 500 + 2 for n in f.groupby("account", observed=True).size()),
            ),
            (
                "read_suppression_counts(730 days)",
                lambda: mm.read_suppression_counts("2024-11-01", "2026-11-01", session=s),
                len,
            ),
            (
                "read_xheaders(accounts='all')",
                lambda: mm.read_xheaders(accounts="all", session=s),
                lambda f: 1 + len(f),  # the account list, then one request per account
            ),
            (
                "read_recipients(1,500 addresses)",
                lambda: mm.read_recipients(EMAILS, session=s),
                lambda f: len(list(batches(EMAILS, limit=1000, max_chars=MAX_QUERY_CHARS))),
            ),
        ]
        print(f"{'loader':45} {'sent':>6} {'minimum':>8} {'ratio':>6}")
        for name, load, minimum in cases:
            reset_stats(admin)
            frame = load()
            count, least = sent(admin), minimum(frame)
            print(f"{name:45} {count:6d} {least:8d} {count / least:6.2f}")


if __name__ == "__main__":
    main()
