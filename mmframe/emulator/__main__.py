"""``python -m mmframe.emulator``: serve the MM API emulator until interrupted."""

from __future__ import annotations

import argparse
import errno
import signal
import socket
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from .replayed import ReplayError
from .seed import SEEDS
from .seed_cache import kept_at
from .server import Emulator, is_loopback
from .settings import FAULT_MODES


def build_parser(prog: str = "python -m mmframe.emulator") -> argparse.ArgumentParser:
    """The emulator's command-line options (shared with ``mmframe emulator``)."""
    parser = argparse.ArgumentParser(prog=prog, description="Serve the Dyn MM API emulator.")
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    add(
        "--allow-remote",
        action="store_true",
        help="allow --host other than loopback (anyone reaching it can use the API)",
    )
    add("--port", type=int, default=8025, help="port; 0 picks a free one (default 8025)")
    add("--db", help="SQLite file that survives restarts (default: in memory)")
    add(
        "--seed",
        choices=sorted(SEEDS),
        help="dataset for a fresh database (default demo; empty with --history)",
    )
    add(
        "--history",
        metavar="PATH",
        help="replay a history: an mmframe export, or a folder of exports and files named "
        "after their kind (accounts.csv, sent.parquet, ...); new accounts' keys are printed",
    )
    add("--seed-value", type=int, default=0, help="makes data and fault draws reproducible")
    add(
        "--fixed-keys",
        action="store_true",
        help="the seed value's account keys, the same every start (default: random keys for "
        "each fresh database, printed at start)",
    )
    add(
        "--seed-cache",
        metavar="DIR",
        help="keep seeded datasets in DIR and load them from there: a second start of the "
        "demo dataset takes a tenth of a second rather than seconds (default: keep none)",
    )
    _add_behaviour(add)
    add(
        "--stop-with-stdin",
        action="store_true",
        help="also stop when standard input closes (a parent running the emulator as its "
        "child: its exit, even a crash, closes the pipe and so stops the server)",
    )
    return parser


def _add_behaviour(add: Callable[..., object]) -> None:
    """The options of how the API behaves: latency, faults, limits, retention."""
    add("--latency-ms", type=float, default=0.0, help="fixed latency per request")
    add("--jitter-ms", type=float, default=0.0, help="extra uniform random latency")
    add("--fault-rate", type=float, default=0.0, help="probability of a fault per request")
    add(
        "--fault-mode",
        default="error-before",
        choices=FAULT_MODES,
        help="how a fault fails: error-before (a 503, nothing written), reset-after (written, "
        "then the connection drops), stall (held --stall-seconds, then a 503) or mixed (any "
        "of the three) (default error-before)",
    )
    add("--stall-seconds", type=float, default=10.0, help="how long a stall holds a request")
    add("--rate-limit", type=float, default=None, help="requests per second, then 429")
    add("--propagation-delay", type=float, default=0.0, help="seconds before writes show")
    add("--max-addresses", type=int, default=1000, help="addresses allowed per request")
    add(
        "--report-retention",
        action="store_true",
        help="reports keep 30 days of rows and 18 months of counts, as the hosted service did",
    )


def emulator_from_args(args: argparse.Namespace) -> Emulator:
    """An :class:`Emulator` configured from parsed options."""
    seed = args.seed or ("empty" if args.history else "demo")
    return Emulator(
        seed,
        seed_value=args.seed_value,
        host=args.host,
        port=args.port,
        db=args.db,
        allow_remote=args.allow_remote,
        fixed_keys=args.fixed_keys,
        seed_cache=args.seed_cache,
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        fault_rate=args.fault_rate,
        fault_mode=args.fault_mode,
        stall_seconds=args.stall_seconds,
        rate_limit=args.rate_limit,
        propagation_delay=args.propagation_delay,
        max_addresses=args.max_addresses,
        report_retention=args.report_retention,
    )


def _loading(args: argparse.Namespace) -> str:
    """What starting will take its time for, in words: seeding a dataset into a fresh
    database; nothing for the empty one, or a database already there."""
    seed = args.seed or ("empty" if args.history else "demo")
    if seed == "empty" or (args.db and Path(args.db).exists()):
        return ""
    folder = Path(args.seed_cache).expanduser() if args.seed_cache else None
    if folder is not None and kept_at(folder, seed, args.seed_value).is_file():
        return f"loading the {seed} dataset (random seed {args.seed_value}) kept in {folder}"
    kept = f", then keeping it in {folder}" if folder is not None else ""
    return f"seeding the {seed} dataset (random seed {args.seed_value}){kept}; this takes seconds"


def _taken(host: str, port: int) -> bool:
    """Whether another process listens on ``port``: bound as :meth:`Emulator.start` binds
    (``SO_REUSEADDR``), and let go at once. Any other failure is start's to tell."""
    if port == 0:
        return False
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def _failed_start(args: argparse.Namespace, exc: Exception) -> str:
    """Why the emulator did not start, in one line; a taken port named, with the way out."""
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        return f"port {args.port} on {args.host} is in use; --port 0 picks a free one"
    return str(exc)


def replayed(history: str, rows: dict[str, int]) -> str:
    """``replayed PATH: 1 suppression, 20 sent``: the rows a replay wrote, per kind."""
    # Kinds are plural nouns but "sent" and "delivered", which have no plural.
    said = [f"{n:,} {kind.removesuffix('s') if n == 1 else kind}" for kind, n in rows.items()]
    return f"replayed {history}: {', '.join(said)}"


def serve(args: argparse.Namespace) -> int:
    """Start, print the three shell lines, and serve until SIGINT or SIGTERM.

    Seeding the demo dataset takes seconds: stderr says so first, then where it serves.
    """
    if not args.allow_remote and not is_loopback(args.host):  # said with the option's name
        print(
            f"error: binding {args.host!r} makes the emulator reachable from other machines; "
            "give --allow-remote to do so on purpose",
            file=sys.stderr,
        )
        return 2
    if _taken(args.host, args.port):  # before seeding takes its seconds
        print(f"error: {_failed_start(args, OSError(errno.EADDRINUSE, 'in use'))}", file=sys.stderr)
        return 2
    loading = _loading(args)
    if loading:
        print(f"{loading} ...", file=sys.stderr, flush=True)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            emulator = emulator_from_args(args).start()
    except (ValueError, TypeError, OSError) as exc:
        print(f"error: {_failed_start(args, exc)}", file=sys.stderr)
        return 2
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    created: dict[str, str] = {}
    if args.history:
        try:
            done = emulator.replay(args.history)
        except ReplayError as exc:
            emulator.stop()
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(replayed(args.history, done.rows), file=sys.stderr)
        created = done.created
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # Before the lines a caller waits for: whoever reads them may stop the server at once.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if args.stop_with_stdin:
        threading.Thread(target=_stop_at_eof, args=(stop,), daemon=True).start()
    print(f"serving at {emulator.url} (Ctrl-C stops it)", file=sys.stderr, flush=True)
    print(f"MMFRAME_URL={emulator.url}")
    print(f"MMFRAME_APIKEY={emulator.master_apikey}")
    print(f"MMFRAME_ADMIN_TOKEN={emulator.admin_token}")
    for username, key in created.items():  # shown once, like the master key
        print(f"# created {username}: apikey {key}")
    sys.stdout.flush()
    stop.wait()
    emulator.stop()
    return 0


def _stop_at_eof(stop: threading.Event) -> None:
    """Set ``stop`` once standard input closes (what it carries is ignored)."""
    for _line in sys.stdin:
        pass
    stop.set()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m mmframe.emulator``."""
    return serve(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
