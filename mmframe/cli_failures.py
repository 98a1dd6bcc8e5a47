"""How ``mmframe`` tells a failure: one line, in the command's words, without a key.

Loaded only when a command fails: ``mmframe --help`` imports none of it.
"""

from __future__ import annotations

import argparse


def told(exc: BaseException, args: argparse.Namespace) -> str:
    """The line ``error: ...`` says of ``exc``: an ``--out`` that cannot be made, a read
    over its budget, else the error's own first line (:func:`one_line`)."""
    return _of_out(exc, args) or _of_budget(exc, args) or one_line(exc)


def one_line(exc: BaseException) -> str:
    """What ``mmframe`` says of a failure: its first line, scrubbed of keys and passwords.

    mmframe's own errors, caller mistakes and OS errors speak for themselves; anything
    else is named by its type too (it is a bug, and the type says where to look).
    """
    from .errors import MMError
    from .redact import scrub

    if isinstance(exc, KeyError) and len(exc.args) == 1 and isinstance(exc.args[0], str):
        text = exc.args[0]  # str() of a KeyError is the repr of its message
    else:
        text = str(exc)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    speaks = isinstance(exc, MMError | ValueError | TypeError | KeyError | OSError) and first
    return scrub(first if speaks else f"{type(exc).__name__}: {first}".rstrip(": "))


#: A folder each command's ``--out`` could be, as its failure suggests (its default).
OUT_EXAMPLE = {"report": "mmframe-report", "demo": "mmframe-demo", "export": "mmframe-export"}


def _of_out(exc: BaseException, args: argparse.Namespace) -> str | None:
    """A failure to make or write the ``--out`` folder, said with the option's name and
    what to do (the OS's own words name a path the user may not recognise as theirs)."""
    from pathlib import Path

    out, where = getattr(args, "out", None), getattr(exc, "filename", None)
    if not isinstance(exc, OSError) or out is None or where is None:
        return None
    given, failed = Path(out).absolute(), Path(str(where)).absolute()
    if failed != given and failed not in given.parents and given not in failed.parents:
        return None
    why = exc.strerror or type(exc).__name__
    return (
        f"--out {out}: cannot make or write it ({why}: {where}): give --out a folder "
        f"that can be made and written, such as ./{OUT_EXAMPLE.get(args.command, 'mmframe-out')}"
    )


def _of_budget(exc: BaseException, args: argparse.Namespace) -> str | None:
    """A read over its request budget, with the remedy the command takes: export's
    ``--max-requests``; report's, a later ``--start`` (a report takes no budget: a range
    that needs more than one read may send is decades long, a typo)."""
    from .errors import RequestBudgetError

    if not isinstance(exc, RequestBudgetError) or args.command not in ("report", "export"):
        return None
    said = f"this {args.command} plans at least {exc.planned:,} requests ({exc.what}), over"
    if args.command == "export":
        return (
            f"{said} --max-requests {exc.max_requests:,}: check --start and --end, use a "
            "coarser --freq, or give a larger --max-requests to allow more"
        )
    from .reporting import DEFAULT_DAYS

    return (
        f"{said} the {exc.max_requests:,} one read may send: narrow the range with a later "
        f"--start (without one, the report covers the {DEFAULT_DAYS} days before --end)"
    )
