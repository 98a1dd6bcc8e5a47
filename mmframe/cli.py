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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mmframe`` console script."""
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from pathlib import Path

        from .demo import run

        run(Path(args.out))
        return 0
    if args.command == "emulator":
        from .emulator.__main__ import serve

        return serve(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
