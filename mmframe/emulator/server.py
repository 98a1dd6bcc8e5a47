"""Run the emulator in process: a uvicorn server on a background thread."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import uvicorn

from .app import Runtime, build_app
from .models import Backend
from .replayed import Replayed
from .settings import Settings

if TYPE_CHECKING:
    import pandas as pd

#: uvicorn logs these on purpose-made ``reset-after`` faults; they are not errors here.
_EXPECTED = (
    "ASGI callable returned without starting response.",
    "ASGI callable returned without completing response.",
)


class _DropExpected(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in _EXPECTED


logging.getLogger("uvicorn.error").addFilter(_DropExpected())


class _Server(uvicorn.Server):
    """uvicorn's server, stopping as soon as it is told to.

    uvicorn notices ``should_exit`` on a 0.1 s tick, then sleeps 0.1 s more and polls the
    open connections every 0.1 s: 0.2-0.4 s per stop, which a test suite starting hundreds
    of emulators pays hundreds of times. Here :meth:`exit_now` wakes the loop at once and
    the shutdown polls every few milliseconds, with uvicorn's order and graceful timeout.
    """

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.1):  # uvicorn's tick: the Date header, limits
                    await self._wake.wait()
            should_exit = await self.on_tick(counter)

    def exit_now(self) -> None:
        """Ask the server to stop (from any thread) and wake its loop to notice."""
        self.should_exit = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed already
                loop.call_soon_threadsafe(wake.set)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        state, told = self.server_state, set()
        try:
            async with asyncio.timeout(self.config.timeout_graceful_shutdown):
                while (state.connections or state.tasks) and not self.force_exit:
                    # A connection the loop accepted just before the listener closed comes
                    # in after the first round: it is told too, not waited on until timeout.
                    for connection in list(state.connections):
                        if connection not in told:
                            told.add(connection)
                            _tell_to_stop(connection)
                    await asyncio.sleep(0.002)
                for server in self.servers:
                    await server.wait_closed()
        except TimeoutError:
            for task in state.tasks:
                task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
        # What is still open when the loop ends would be closed by the garbage collector,
        # with a ResourceWarning in whichever test happens to run then.
        for connection in list(state.connections):
            _close(connection)
        # A connection accepted as the listener closed may never have reached its protocol
        # (so it is in no state.connections): its transport is closed here too.
        for transport in list(getattr(asyncio.get_running_loop(), "_transports", {}).values()):
            if not transport.is_closing():
                transport.close()
        if not self.force_exit:
            await self.lifespan.shutdown()


def _tell_to_stop(connection: Any) -> None:
    """Close an idle connection; let a busy one finish its response, then close."""
    try:
        connection.shutdown()
    except Exception:  # h11 refusing the close in an odd state: the stop goes on regardless
        _close(connection)


def _close(connection: Any) -> None:
    transport = getattr(connection, "transport", None)
    if transport is not None:
        transport.close()


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1 or ``localhost``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Emulator:
    """A real HTTP server speaking the MM API over SQLite state.

    Parameters
    ----------
    seed
        Dataset loaded into a fresh database: ``"empty"``, ``"demo"`` or ``"large"``. A
        ``db`` file that already holds accounts is served as it is.
    seed_value
        Makes the dataset (and the fault draws) reproducible.
    host, port
        Where to listen; port 0 picks a free port.
    db
        SQLite file that survives restarts; None keeps the state in memory.
    admin_token
        The credential of the ``/_emulator/`` admin routes (``Authorization: Bearer
        <token>``; no account's key opens them, the master's neither); generated at random
        unless given. :attr:`admin_headers` carries it.
    allow_remote
        Must be True to bind an address other than loopback: the admin routes can read
        the master key and wipe all state, and the API accepts any write.
    fixed_keys
        Load the seed with its seed value's account keys, the same on every start (for a
        script that must know them beforehand). By default each fresh database draws its
        keys at random, like the admin token: with ``allow_remote``, a known master key
        would open every account to anyone who reaches the port. A ``db`` file keeps the
        keys it holds either way; :attr:`master_apikey` reads the master's.
    seed_cache
        A folder where seeded datasets are kept (the command line's ``--seed-cache``): a
        dataset kept there is loaded from it (the demo's in a tenth of a second rather
        than seconds), and one seeded is kept there. None (the default) keeps nothing.
    clock
        Seconds since the epoch: the time stamped on writes, and the clock of the
        propagation delay and the rate limit. Tests pass a clock they move by hand.
    **settings
        Any :class:`~mmframe.emulator.settings.Settings` field (``latency_ms``, ``fault_rate``,
        ``fault_mode``, ``rate_limit``, ``propagation_delay``, ``max_addresses``, ...).

    Examples
    --------
    >>> with Emulator(seed="empty") as emu:
    ...     emu.url.startswith("http://127.0.0.1:")
    True

    The admin routes take the admin token, and no account's key:

    >>> import requests
    >>> with Emulator(seed="empty") as emu:
    ...     as_master = {"Authorization": f"Bearer {emu.master_apikey}"}
    ...     info = f"{emu.admin_url}/info"
    ...     admin = requests.get(info, headers=emu.admin_headers, timeout=10).status_code
    ...     master = requests.get(info, headers=as_master, timeout=10).status_code
    >>> admin, master
    (200, 401)
    """

    def __init__(
        self,
        seed: str = "empty",
        *,
        seed_value: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        db: str | Path | None = None,
        admin_token: str | None = None,
        allow_remote: bool = False,
        fixed_keys: bool = False,
        seed_cache: str | Path | None = None,
        clock: Callable[[], float] = time.time,
        **settings: Any,
    ) -> None:
        if not is_loopback(host):
            if not allow_remote:
                raise ValueError(
                    f"binding {host!r} makes the emulator reachable from other machines; "
                    "pass allow_remote=True to do so on purpose"
                )
            warnings.warn(
                f"the emulator on {host!r} is reachable from other machines: anyone who "
                "reaches it can write through the API; keep MMFRAME_ADMIN_TOKEN secret",
                RuntimeWarning,
                stacklevel=2,
            )
        self.host, self.requested_port = host, port
        self.settings = Settings(**settings)
        self.backend = Backend(db, propagation_delay=self.settings.propagation_delay, clock=clock)
        self.runtime = Runtime(
            self.backend,
            self.settings,
            seed=seed,
            seed_value=seed_value,
            admin_token=admin_token,
            fixed_keys=fixed_keys,
            seed_cache=Path(seed_cache).expanduser() if seed_cache is not None else None,
        )
        if self.backend.is_empty():
            self.runtime.load(seed, seed_value)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    def __repr__(self) -> str:
        state = self.url if self._server else "stopped"
        return f"<Emulator seed={self.runtime.seed!r} {state}>"

    @property
    def port(self) -> int:
        """The port actually bound (known once started)."""
        if self._socket is None:
            raise RuntimeError("the emulator is not running; call start()")
        return int(self._socket.getsockname()[1])

    @property
    def url(self) -> str:
        """Base URL of the JSON API, e.g. ``http://127.0.0.1:8025/rest/json``."""
        return f"http://{self.host}:{self.port}/rest/json"

    @property
    def admin_url(self) -> str:
        """Base URL of the admin routes."""
        return f"http://{self.host}:{self.port}/_emulator"

    @property
    def admin_token(self) -> str:
        """The admin routes' credential (a secret: never log it)."""
        return self.runtime.admin_token

    @property
    def admin_headers(self) -> dict[str, str]:
        """Headers that authenticate a request to :attr:`admin_url`."""
        return {"Authorization": f"Bearer {self.admin_token}"}

    @property
    def master_apikey(self) -> str:
        """The master account's key (a secret: never log it)."""
        return self.runtime.master_apikey

    def start(self) -> Emulator:
        """Bind the socket and serve on a background thread; returns self."""
        if self._server is not None:
            return self
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit this: uvicorn writes headers and body separately, and
        # with Nagle on, a kept-alive client waits ~40 ms for a delayed ACK between them.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.bind((self.host, self.requested_port))
            sock.listen(2048)
        except OSError:
            sock.close()  # a port another process holds: no socket left open behind
            raise
        config = uvicorn.Config(
            build_app(self.runtime),
            # h11 everywhere (httptools is optional and would change limits between
            # machines); request lines up to 64 KiB, so a long address list gets an envelope.
            http="h11",
            h11_max_incomplete_event_size=64 * 1024,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
            backlog=2048,
        )
        self._socket, self._server = sock, _Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name=f"mmframe-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the emulator did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Stop serving, apply any delayed writes and close the database."""
        if self._server is not None and self._thread is not None:
            self._server.exit_now()
            self._thread.join(timeout=5)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(timeout=5)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None
        self.backend.close()

    def stats(self) -> dict[str, Any]:
        """Request statistics per method (same as ``GET /_emulator/stats``)."""
        return self.runtime.stats.snapshot()

    def reset_stats(self) -> None:
        """Forget the request statistics."""
        self.runtime.stats.reset()

    def configure(self, **changes: Any) -> None:
        """Change latency, faults, limits at run time."""
        self.runtime.apply_settings(changes)

    def load(self, seed: str, seed_value: int = 0) -> None:
        """Replace all state with a seed dataset."""
        self.runtime.load(seed, seed_value)

    def replay(
        self,
        history: str | Path | None = None,
        /,
        *,
        account: str | None = None,
        **frames: pd.DataFrame | None,
    ) -> Replayed:
        """Load an account's history, all or none, and serve it like a seed.

        Parameters
        ----------
        history
            A folder: an export of ``mmframe.export_suppressions`` / ``export_events``, or
            one holding such exports and files named after their kind
            (``accounts.parquet``, ``sent.csv``, ...).
        account
            The account of frames without an ``account`` column (default: the first
            master).
        **frames
            Frames shaped like mmframe's loaders' output, by kind: ``accounts``,
            ``xheaders``, ``senders``, ``suppressions``, ``sent``, ``delivered``,
            ``bounces``, ``complaints``, ``issues``, ``opens``, ``clicks``.

        Returns
        -------
        Replayed
            Rows written per kind; ``created`` maps each account created to its new key.

        Raises
        ------
        ReplayError
            Naming what is wrong (kind, column, rows); the emulator is left unchanged.

        Examples
        --------
        >>> import pandas as pd
        >>> with Emulator(seed="empty") as emu:
        ...     done = emu.replay(suppressions=pd.DataFrame({
        ...         "email": ["a@example.com"], "reason": ["bounce"],
        ...         "suppressed_at": pd.to_datetime(["2026-01-05T10:00:00Z"])}))
        >>> done.rows
        {'suppressions': 1}
        """
        return self.runtime.replay(history, frames, account=account)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
