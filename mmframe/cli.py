"""The ``mmframe`` command: a thin layer over the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any


def build_parser() -> argparse.ArgumentParser:
    """Sub-commands of ``mmframe``."""
    parser = argparse.ArgumentParser(prog="mmframe", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    from .emulator.__main__ import build_parser as emulator_parser

    commands.add_parser(
        "emulator", parents=[emulator_parser()], add_help=False, help="serve the MM API emulator"
    )
    demo = commands.add_parser("demo", help="the main job on the embedded demo emulator")
    demo.add_argument("--out", default="mmframe-demo", help="folder for the outputs")
    demo.add_argument("--apply", action="store_true", help="also perform the remediation")
    export = commands.add_parser("export", help="stream a resource to a Parquet dataset")
    export.add_argument("resource", choices=["suppressions"])
    export.add_argument("--start", required=True, help="first instant (UTC unless an offset)")
    export.add_argument("--end", required=True, help="end of the range (exclusive)")
    export.add_argument("--out", required=True, help="dataset folder (resumed if present)")
    export.add_argument("--freq", default="MS", help="partition period (default MS: monthly)")
    export.add_argument("--url", help="API base URL (default: MMFRAME_URL)")
    _read_options(export)
    return parser


def _read_options(parser: argparse.ArgumentParser) -> None:
    """The read options a command line can give, described as :mod:`mmframe.options` does."""
    from .options import DEFAULTS, MEANING

    parser.add_argument("--accounts", help=f"{MEANING['accounts']}, comma-separated")
    parser.add_argument("--as-of", help=MEANING["as_of"])
    parser.add_argument(
        "--max-requests", type=int, default=DEFAULTS["max_requests"], help=MEANING["max_requests"]
    )
    parser.add_argument(
        "--on-error", choices=["raise", "warn"], default="raise", help=MEANING["on_error"]
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _read_args(args: argparse.Namespace) -> dict[str, Any]:
    """The read options of a parsed command line, as keyword arguments."""
    accounts = args.accounts
    if accounts and accounts != "all":
        accounts = [a.strip() for a in accounts.split(",") if a.strip()]
    return {
        "accounts": accounts,
        "as_of": args.as_of,
        "max_requests": args.max_requests,
        "on_error": args.on_error,
        "progress": False if args.no_progress else None,
    }


def _export(args: argparse.Namespace) -> int:
    from .client import connect
    from .errors import MMError
    from .export import export_suppressions

    try:
        session = connect(args.url)  # the key only ever comes from MMFRAME_APIKEY
        manifest = export_suppressions(
            args.out, args.start, args.end, freq=args.freq, session=session, **_read_args(args)
        )
    except (MMError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    rows = int(manifest["rows"].sum())
    print(f"wrote {rows:,} rows in {len(manifest)} partitions to {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mmframe`` console script."""
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from pathlib import Path

        from .demo import run

        run(Path(args.out), apply=args.apply)
        return 0
    if args.command == "export":
        return _export(args)
    if args.command == "emulator":
        from .emulator.__main__ import serve

        return serve(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
