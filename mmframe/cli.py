"""The ``mmframe`` command: a thin layer over the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


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
    export.add_argument("--accounts", help="'all' or comma-separated usernames (master key)")
    export.add_argument("--freq", default="MS", help="partition period (default MS: monthly)")
    export.add_argument("--url", help="API base URL (default: MMFRAME_URL)")
    export.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def _export(args: argparse.Namespace) -> int:
    from .client import connect
    from .errors import MMError
    from .export import export_suppressions

    accounts = args.accounts
    if accounts and accounts != "all":
        accounts = [a.strip() for a in accounts.split(",") if a.strip()]
    try:
        session = connect(args.url)  # the key only ever comes from MMFRAME_APIKEY
        manifest = export_suppressions(
            args.out,
            args.start,
            args.end,
            accounts=accounts,
            freq=args.freq,
            session=session,
            progress=False if args.no_progress else None,
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
