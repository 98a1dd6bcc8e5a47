"""An ``mmframe`` option that takes one value is given once: argparse keeps the last.

Loaded with the parsers (argparse only): ``mmframe --help`` imports nothing more.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

#: What to do instead of giving an option twice, where there is more to say than "once".
_INSTEAD = {
    "--accounts": ", usernames separated by commas (such as --accounts news@acme.io,shop@acme.io)",
}
#: The namespace's record of the options given so far (one parse's, on its namespace).
_GIVEN = "_options_given"


class Once(argparse.Action):
    """Store the value, as argparse's default action does, and refuse a second one.

    ``--accounts a --accounts b`` reported on b alone, without a word: a narrowed run
    must never differ silently from what was typed. The error names no value (one may be
    a key), only the option and what to do.
    """

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        given: set[str] = namespace.__dict__.setdefault(_GIVEN, set())
        if self.dest in given and self.option_strings:
            option = self.option_strings[-1]
            raise argparse.ArgumentError(
                self, f"given twice: give {option} once{_INSTEAD.get(option, '')}"
            )
        given.add(self.dest)
        setattr(namespace, self.dest, values)


class OnceParser(argparse.ArgumentParser):
    """A parser whose options that take a value are :class:`Once` unless they say otherwise
    (its sub-commands' parsers too: argparse makes them of the parser's own class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("action", None, Once)
