"""The ``mmframe`` command: a thin layer over the library."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

#: The sub-commands, as ``mmframe --help`` lists them, each with its one line.
WHAT = {
    "emulator": "serve the MM API emulator",
    "demo": "the main job: mmframe report on the embedded emulator's demo seed",
    "report": "the deliverability report of the accounts a key sees (HTML)",
    "export": "stream a resource to a Parquet dataset",
    "cache": "list or clear the read cache (the periods cache=True keeps on disk)",
}


def build_parser(given: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """Sub-commands of ``mmframe``; with ``given``, only those get their options.

    The others are listed by name and line only: ``mmframe --help`` then loads nothing
    else (the emulator's options load the emulator, the read options the loaders).
    """
    from . import __version__
    from .cli_once import OnceParser

    parser = argparse.ArgumentParser(
        prog="mmframe",  # help is read in a terminal: plain words, no reStructuredText
        description="Read, report on and fix Dyn Message Management accounts; serve the emulator.",
    )
    parser.add_argument("--version", action="version", version=f"mmframe {__version__}")
    # Every option of a sub-command that takes a value is given once (argparse kept the last).
    commands: Any = parser.add_subparsers(dest="command", required=True, parser_class=OnceParser)
    for name, what in WHAT.items():
        if given is not None and name not in given:
            commands.add_parser(name, help=what, description=what + ".")
        elif name == "emulator":
            from .emulator.__main__ import build_parser as emulator_parser

            commands.add_parser(
                name, parents=[emulator_parser()], add_help=False, help=what, description=what
            )
        else:
            _OPTIONS[name](_command(commands, name, what))
    return parser


def _demo_options(demo: argparse.ArgumentParser) -> None:
    demo.add_argument(
        "--out", default="mmframe-demo", help="folder for the outputs (default: mmframe-demo)"
    )
    demo.add_argument("--apply", action="store_true", help="also carry out the fixes found")
    demo.add_argument("--no-progress", action="store_true", help="no progress bars")


def _report_options(report: argparse.ArgumentParser) -> None:
    report.add_argument(
        "--start",
        type=date_arg,
        help="first day, year first (2026-11-01, or today: midnight UTC) (default: 90 days "
        "before --end, or before the end of today, UTC, or of the --as-of day)",
    )
    report.add_argument(
        "--end",
        type=date_arg,
        help="end of the range, exclusive (default and at most: now, or --as-of; nothing "
        "after it has happened yet)",
    )
    report.add_argument(
        "--accounts",
        type=accounts_arg,
        help="usernames, comma-separated, or all (default: every account the key sees)",
    )
    report.add_argument(
        "--out", default="mmframe-report", help="folder for the report (default: mmframe-report)"
    )
    _endpoint_options(report)
    report.add_argument(
        "--as-of",
        type=as_of_arg,
        help="report as if it were this moment, at most now: nothing after it is read, and "
        "a period still running at it is marked partial (default: the clock)",
    )
    _cache_option(report)
    report.add_argument("--no-progress", action="store_true", help="no progress bars")


def _cache_option(parser: argparse.ArgumentParser) -> None:
    """``--cache [FOLDER]``: the reads' ``cache=`` (the per-user folder when no folder is
    given; default: ``MMFRAME_CACHE``, else off)."""
    from .cli_cache import cache_folder as _cache_folder

    parser.add_argument(
        "--cache",
        nargs="?",
        const=True,
        default=None,
        type=_cache_folder,
        metavar="FOLDER",
        help="keep closed months on disk and check each by one count on the next run "
        "(default folder: the per-user cache; default: MMFRAME_CACHE, else off)",
    )


def _export_options(export: argparse.ArgumentParser) -> None:
    export.add_argument("resource", choices=["suppressions"])
    export.add_argument(
        "--start",
        type=date_arg,
        required=True,
        help="first instant, year first (UTC unless an offset; today: midnight UTC)",
    )
    export.add_argument("--end", type=date_arg, required=True, help="end of the range (exclusive)")
    export.add_argument("--out", required=True, help="dataset folder (resumed if present)")
    export.add_argument(
        "--freq", type=freq_arg, default="MS", help="partition period (default MS: monthly)"
    )
    _endpoint_options(export)
    _read_options(export)


def _cache_options(cache: argparse.ArgumentParser) -> None:
    from .cli_cache import options

    options(cache)


_OPTIONS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "demo": _demo_options,
    "report": _report_options,
    "export": _export_options,
    "cache": _cache_options,
}


def _command(commands: Any, name: str, what: str) -> argparse.ArgumentParser:
    """A sub-command whose one line shows in ``mmframe --help`` and heads its own help."""
    parser: argparse.ArgumentParser = commands.add_parser(name, help=what, description=what + ".")
    return parser


def _endpoint_options(parser: argparse.ArgumentParser) -> None:
    """``--url`` and ``--apikey``, each read from the environment when not given."""
    parser.add_argument("--url", help="API base URL, ending in /rest/json (default: MMFRAME_URL)")
    parser.add_argument(
        "--apikey",
        help="API key (default: MMFRAME_APIKEY, safer: a command line is visible to others)",
    )


def _read_options(parser: argparse.ArgumentParser) -> None:
    """The read options a command line can give, described as :mod:`mmframe.options` does."""
    from .options import DEFAULTS, MEANING

    parser.add_argument(
        "--accounts",
        type=accounts_arg,
        help=f"{MEANING['accounts']}, comma-separated (default: every account the key sees, "
        "as report reads)",
    )
    parser.add_argument("--as-of", type=as_of_arg, help=f"{MEANING['as_of']}, at most now")
    parser.add_argument(
        "--max-requests", type=int, default=DEFAULTS["max_requests"], help=MEANING["max_requests"]
    )
    parser.add_argument(
        "--on-error", choices=["raise", "warn"], default="raise", help=MEANING["on_error"]
    )
    _cache_option(parser)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def accounts_arg(text: str) -> str | list[str]:
    """``--accounts``: ``all``, or usernames separated by commas (at least one, none empty)."""
    if text.strip().lower() == "all":
        return "all"
    names = [name.strip() for name in text.split(",")]
    if not any(names):
        raise argparse.ArgumentTypeError(f"no username in {text!r}: give usernames or all")
    if "all" in (name.lower() for name in names):  # it read as an unknown account "all"
        raise argparse.ArgumentTypeError(
            f"{text!r}: all stands alone (every account the key sees): give all, or usernames"
        )
    if not all(names):  # "a@x.io," read a@x.io alone, without a word
        raise argparse.ArgumentTypeError(
            f"{text!r} has an empty username (a comma too many?): separate usernames by one comma"
        )
    return names


def _check_folders(args: argparse.Namespace) -> None:
    """An empty ``--out`` (it would be the current folder) and a ``--cache`` folder that
    cannot be made are refused before anything is read (the cache was skipped silently)."""
    if not str(args.out).strip():
        from .cli_failures import OUT_EXAMPLE

        raise ValueError(
            "--out is empty (an unset shell variable?): give it a folder, such as "
            f"./{OUT_EXAMPLE[args.command]}"
        )
    cache = getattr(args, "cache", None)
    if isinstance(cache, str):
        from pathlib import Path

        try:
            Path(cache).mkdir(parents=True, exist_ok=True)
            if not os.access(cache, os.W_OK):
                raise PermissionError(13, "Permission denied", cache)
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            raise ValueError(
                f"--cache {cache}: cannot make or write it ({why}): give --cache a folder that "
                "can be made and written, or --cache alone for the per-user one"
            ) from None


def _read_args(args: argparse.Namespace) -> dict[str, Any]:
    """The read options of a parsed command line, as keyword arguments."""
    return {
        "accounts": args.accounts,
        "as_of": args.as_of,
        "max_requests": args.max_requests,
        "on_error": args.on_error,
        "progress": False if args.no_progress else None,
        "cache": args.cache,
    }


def date_arg(text: str) -> str:
    """A date option's value, checked now so that one that is no date is a usage error
    (status 2, like any other); the text itself is what the command reads."""
    from .dates import OutOfRange, ambiguous, out_of_range, to_utc

    if ambiguous(text):  # pandas would guess the month: "01/11/2026" is January 11th
        raise argparse.ArgumentTypeError(
            f"{text!r} is ambiguous (which number is the month?): write the year first, "
            f"such as 2026-11-01 or 2026-11-01T13:00 ({_ZONE})"
        )
    try:
        to_utc(text, "date")
    except OutOfRange:  # year 1 reached the server, which refused "1-01-01" as no date
        raise argparse.ArgumentTypeError(f"{text!r} {out_of_range()}") from None
    except (ValueError, TypeError):
        # argparse names the option first: "argument --start: '2026-13-01' is not a date ...";
        # pandas' own reason ("month must be in 1..12") is left out for an example that works.
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date or time: give one such as 2026-11-01 or "
            f"2026-11-01T13:00 ({_ZONE}), or today or now"
        ) from None
    return text


#: How a date option's time zone is read, as its errors say.
_ZONE = "UTC, unless an offset such as +02:00 follows"


def as_of_arg(text: str) -> str:
    """``--as-of``: a date (:func:`date_arg`) that is not after now, checked when parsed.

    A moment still to come would have the page claim data up to it, the running period
    whole; it is refused as a usage error, naming now on the clock every read takes."""
    from .dates import after_now, to_utc

    now = after_now(to_utc(date_arg(text), "--as-of"))
    if now is not None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is after now ({now:%Y-%m-%d %H:%M} UTC): nothing after now has "
            "happened yet; give a moment up to now, or leave --as-of out for now"
        )
    return text


def freq_arg(text: str) -> str:
    """``--freq``, checked when parsed: one that is no pandas frequency is a usage error
    told in one line, with examples (pandas' own message repeats itself in reprs)."""
    from .dates import check_freq

    try:
        check_freq(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("freq=")) from None
    return text


def _export(args: argparse.Namespace) -> int:
    from .cli_connect import endpoint, open_session
    from .export import export_suppressions
    from .reporting.scope import accounts_of

    _check_folders(args)
    with open_session(endpoint(args.url, args.apikey)) as session:
        # The accounts report reads: a master key's every account, not its own alone (its
        # mail is usually in the sub-accounts), a sub-account key's own.
        read = _read_args(args) | {"accounts": accounts_of(session, args.accounts)}
        manifest = export_suppressions(
            args.out, args.start, args.end, freq=args.freq, session=session, **read
        )
    rows = int(manifest["rows"].sum())
    parts = f"{len(manifest)} partition{'' if len(manifest) == 1 else 's'}"
    print(f"wrote {rows:,} row{'' if rows == 1 else 's'} in {parts} to {args.out}")
    return 0


def _report(args: argparse.Namespace) -> int:
    """``mmframe report``: 0, or a failure :func:`main` reports."""
    from pathlib import Path

    from .cli_connect import endpoint, open_session
    from .reporting import build
    from .reporting.scope import accounts_of

    _check_folders(args)
    where = endpoint(args.url, args.apikey)
    with open_session(where) as session:  # a bad key or host fails here, before any read
        # An unknown account fails here too, before the report says it is reading.
        accounts = None if args.accounts is None else accounts_of(session, args.accounts)
        _evidence, path = build(
            session, Path(args.out), args.start, args.end, accounts=accounts,
            as_of=args.as_of, progress=False if args.no_progress else None, stream=sys.stderr,
            cache=args.cache, forks=True,
        )  # fmt: skip
    print(f"wrote {path}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .demo import run

    _check_folders(args)
    run(Path(args.out), apply=args.apply, progress=False if args.no_progress else None)
    return 0


def _emulator(args: argparse.Namespace) -> int:
    from .emulator.__main__ import serve

    return serve(args)


def _cache(args: argparse.Namespace) -> int:
    from .cli_cache import run

    return run(args)


#: The sub-commands; each returns its exit status or raises.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": _demo,
    "report": _report,
    "export": _export,
    "emulator": _emulator,
    "cache": _cache,
}


def _reader_gone() -> int:
    """141, silently: the reader of stdout closed it early (``mmframe cache info | head -1``),
    which is no failure; a process killed by SIGPIPE (Python ignores it) exits so. Stdout is
    pointed at the null device, or the flush at exit would fail again, with a traceback."""
    with contextlib.suppress(OSError, ValueError):  # no real stdout: nothing to flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 128 + signal.SIGPIPE if hasattr(signal, "SIGPIPE") else 1


class Terminated(BaseException):
    """SIGTERM, raised where the command is (a BaseException, as KeyboardInterrupt is: no
    ``except Exception`` takes it), so that it unwinds as Ctrl-C does: bars closed, the
    demo's emulator stopped, one line said."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


@contextlib.contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` in the block (the main thread only can take a
    signal's handler; elsewhere, as in a test's thread, nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mmframe`` console script.

    Exit status: 0; 2 for a usage error (argparse says which); 1 for any other failure,
    told in one line ``error: ...`` on stderr (no traceback, no key); 130 when interrupted;
    143 when terminated (SIGTERM); 141, without a word, when the reader of the output
    closed it early (``| head``).
    """
    given = sys.argv[1:] if argv is None else list(argv)
    # The first word that is no option names the command (mmframe's own options take no
    # value): only its options are built, and only what they need is loaded.
    chosen = next((word for word in given if not word.startswith("-")), None)
    parser = build_parser([chosen] if chosen in WHAT else [])
    args = parser.parse_args(given)
    if getattr(args, "start", False) is not False:  # report and export: a range is read
        from .cli_range import check_range

        check_range(parser, args)
    try:
        with _sigterm_unwinds():
            status = COMMANDS[args.command](args)
            sys.stdout.flush()  # here, not at exit: a reader gone is told apart below
        return status
    except BrokenPipeError:
        return _reader_gone()
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("error: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except Exception as exc:  # the one place every failure becomes one line
        from .cli_failures import told

        print(f"error: {told(exc, args)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
