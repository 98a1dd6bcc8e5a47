"""The range a command reads, checked once its options are parsed: an empty range, or an
``--as-of`` before the range's start, is a usage error (status 2), as a date that is no
date is, told in one line with what to give instead, before any request."""

from __future__ import annotations

import argparse


def check_range(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Exit 2 with the sub-command's usage and one line where ``args``' range is empty or
    its ``--as-of`` is not after the range's start; return otherwise."""
    try:
        # The --as-of first: without --end it is the range's end, and "nothing had happened
        # yet" says why, in the words cli.md quotes (twelfth review).
        _check_as_of(args.as_of, args.start, args.end)
        _check_range(args.start, args.end)
    except ValueError as exc:
        _command_parser(parser, args.command).error(str(exc))


def _command_parser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The sub-command's own parser: its usage and its name (``mmframe report: error:``)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen: argparse.ArgumentParser = action.choices[command]
            return chosen
    return parser


def _check_range(start: str | None, end: str | None) -> None:
    """An empty range is refused before anything is read, in the options' words; without
    ``--end`` the range ends now, as ``--help`` says (an ``--as-of`` not after ``--start``
    is told by :func:`_check_as_of`)."""
    if start is None:
        return
    from . import dates

    first, stop = dates.to_utc(start, "--start"), dates.to_utc(end, "--end")
    if end is not None:
        bound = _given("--end", end, stop)
    else:
        # Whole seconds, as every bound is (the API's): "--start now" is this very second.
        stop = dates.now_utc().floor("s")
        bound = f"--end, which defaults to now ({stop:%Y-%m-%d %H:%M} UTC)"
    if first is not None and stop is not None and first >= stop:
        raise ValueError(
            f"empty range: {_given('--start', start, first)} is not before {bound}: "
            + _remedy(end is not None, swapped=first > stop)
        )


def _remedy(ended: bool, *, swapped: bool) -> str:
    """What to give instead of an empty range: a later ``--end``, or an earlier ``--start``."""
    if not ended:
        return "give an earlier --start"
    return "give a --start before --end" + (" (are the two swapped?)" if swapped else "")


def _given(option: str, text: str, stamp: object) -> str:
    """``--start 2026-11-01`` as given; ``today`` with the midnight it was read as."""
    if text.strip().lower() == "today":
        return f"{option} {text} ({stamp:%Y-%m-%d} 00:00 UTC)"
    return f"{option} {text}"


def _check_as_of(as_of: str | None, start: str | None, end: str | None) -> None:
    """``--as-of`` before the range's start is refused in the command's words."""
    if as_of is None:
        return
    from .dates import to_utc
    from .reporting import DEFAULT_DAYS, default_range

    now = to_utc(as_of, "--as-of")
    if now is None:
        return
    # A --start is the range's start as given (default_range would refuse a range ending
    # at --as-of's day before this line could say why).
    first = to_utc(start, "--start") if start else None
    if first is None:
        first, _stop = default_range(None, end, now)
    if now <= first:
        default = f"the range's start {first:%Y-%m-%d}, {DEFAULT_DAYS} days before --end"
        bound = f"--start {start}" if start else default
        raise ValueError(
            f"--as-of {as_of} is not after {bound}: nothing had happened yet; give a later "
            "--as-of, or an earlier --start"
        )
