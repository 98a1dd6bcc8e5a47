"""The HTTP layer: an ASGI app that serves the route table with latency, faults and limits."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as HttpRoute
from starlette.types import Receive, Scope, Send

from .admin import admin_routes
from .faults import FaultPlan, RateLimiter
from .models import Backend
from .replayed import Replayed, ReplayError
from .routes import ROUTES, Reply, Route
from .seed import load_seed
from .settings import Settings
from .stats import Stats
from .wire import ApiError, Params, collect_params, envelope_bytes, optional

if TYPE_CHECKING:
    import pandas as pd

ALL_VERBS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


class Runtime:
    """What the HTTP layer serves: the backend plus settings, statistics and fault plans."""

    def __init__(
        self,
        backend: Backend,
        settings: Settings,
        *,
        seed: str,
        seed_value: int,
        admin_token: str | None = None,
        fixed_keys: bool = False,
        seed_cache: Path | None = None,
    ) -> None:
        self.backend = backend
        #: Where seeded datasets are kept and loaded from (None: nowhere).
        self.seed_cache = seed_cache
        #: Whether a seed loads with its seed value's keys rather than random ones.
        self.fixed_keys = fixed_keys
        #: The admin routes' only credential: generated unless given.
        self.admin_token = admin_token or secrets.token_hex(16)
        self.settings = settings
        self.stats = Stats()
        self.faults = FaultPlan(settings, seed_value)
        self.limiter = RateLimiter(settings, backend.store.clock)
        self.seed, self.seed_value = seed, seed_value
        self.apply_settings({})

    @property
    def master_apikey(self) -> str:
        """The key of the oldest master account."""
        with self.backend.store.lock:
            key = self.backend.accounts.first_master_key()
        if key is None:
            raise RuntimeError("the emulator holds no master account; load a seed")
        return key

    def load(self, seed: str, seed_value: int) -> None:
        """Replace all state with a seed dataset and forget the statistics."""
        load_seed(self.backend, seed, seed_value, fixed_keys=self.fixed_keys, kept=self.seed_cache)
        self.seed, self.seed_value = seed, seed_value
        self.stats.reset()

    def replay(
        self,
        history: str | Path | None,
        frames: Mapping[str, pd.DataFrame | None],
        *,
        account: str | None = None,
    ) -> Replayed:
        """Load a folder's history and ``frames`` in one replay (see :meth:`Emulator.replay`)."""
        from .replay import read_history, replay  # pandas: loaded by a replay only

        found = dict(read_history(history)) if history is not None else {}
        twice = set(found) & {k for k, v in frames.items() if v is not None}
        if twice:
            raise ReplayError(f"{', '.join(sorted(twice))}: given both in the folder and as frames")
        return replay(self.backend, {**found, **frames}, account=account)

    def apply_settings(self, changes: dict[str, Any], *, text: bool = False) -> None:
        """Change settings at run time, all or none (admin route and in-process callers)."""
        self.settings.update(changes, text=text)
        self.backend.suppressions.propagation_delay = self.settings.propagation_delay

    def is_admin(self, credential: str) -> bool:
        """Whether ``credential`` is the admin token (only it: the admin routes reach every
        tenant's keys and state, which no tenant's master key may)."""
        return bool(credential) and secrets.compare_digest(
            credential.encode(), self.admin_token.encode()
        )

    def info(self) -> dict[str, Any]:
        """JSON-safe description of this emulator, the master key included (admin only)."""
        return {
            "seed": self.seed,
            "seed_value": self.seed_value,
            "master_apikey": self.master_apikey,
            "settings": self.settings.as_dict(),
        }


def _reply(status: int, data: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        envelope_bytes(status, data),
        status_code=status,
        headers=headers,
        media_type="application/json",
    )


_DROP = "mmframe.drop_connection"


class DroppedResponse(Response):
    """No response at all: marks the request so :class:`ConnectionDropper` cuts the line."""

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[_DROP] = True


class ConnectionDropper:
    """Outermost ASGI layer: drops the connection of a ``reset-after`` request.

    ASGI gives an app no socket, so this reaches for the server's transport (uvicorn's send
    is a method of an object holding it) and aborts it before any response byte is written:
    the client sees the connection closed without a response. On a server without that
    attribute it falls back to headers promising a body, then closing: a broken read.
    """

    def __init__(self, app: Starlette) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
        if not scope.get(_DROP):
            return
        transport = getattr(getattr(send, "__self__", None), "transport", None)
        if transport is not None:
            transport.abort()
            await asyncio.sleep(0)  # let the server see the loss before it would answer 500
            return
        headers = [(b"content-type", b"application/json"), (b"content-length", b"64")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})


async def _params(request: Request) -> Params:
    query = request.query_params.multi_items()
    if request.method != "POST":
        return collect_params(query)  # a GET body (dyn sends "{}") is drained and ignored
    try:
        form = await request.form()
    except Exception as exc:  # malformed multipart or urlencoded bodies
        raise ApiError(452, [f"The request body could not be read: {exc}"]) from None
    return collect_params(query, [(k, v) for k, v in form.multi_items() if isinstance(v, str)])


def _run(runtime: Runtime, route: Route, params: Params) -> Reply:
    backend = runtime.backend
    with backend.store.transaction():
        backend.suppressions.settle()  # its own transaction: a refused request loses none
    with backend.store.transaction():
        caller = backend.accounts.authenticate(optional(params, "apikey"))
        if route.master_only and not caller.is_master:
            raise ApiError(451, ["This method needs the master account's key."])
        return route.handler(backend, caller, params, runtime.settings)


async def _serve(runtime: Runtime, route: Route, key: str, request: Request) -> Response:
    if (wait := runtime.limiter.retry_after()) is not None:
        runtime.stats.outcome(key, 429)
        return _reply(429, {}, {"Retry-After": str(wait)})
    if delay := runtime.faults.latency():
        await asyncio.sleep(delay)
    fault = runtime.faults.draw()
    if fault == "stall":
        await asyncio.sleep(runtime.settings.stall_seconds)
    if fault in ("stall", "error-before"):
        runtime.stats.outcome(key, 503, fault=fault)
        return _reply(503, {})
    try:
        reply = _run(runtime, route, await _params(request))
        status, data, written = 200, reply.data, reply.written
    except ApiError as refused:
        status, data, written = refused.status, refused.messages or {}, 0
    runtime.stats.outcome(key, status, addresses=written, fault=fault)
    return DroppedResponse() if fault == "reset-after" else _reply(status, data)


def build_app(runtime: Runtime) -> ConnectionDropper:
    """The ASGI app: ``/rest/json/<method>`` plus admin routes under ``/_emulator/``."""

    async def api(request: Request) -> Response:
        fmt, method = request.path_params["fmt"], request.path_params["method"].strip("/")
        route = ROUTES.get((request.method, method)) if fmt == "json" else None
        key = f"{request.method} {method}" if route else "unknown"
        runtime.stats.request(key)
        if route is None:  # unknown method, wrong verb, xml/html: before any key check
            runtime.stats.outcome(key, 404)
            return _reply(404, [f"No method {request.method} /{fmt}/{method}."])
        return await _serve(runtime, route, key, request)

    async def not_found(request: Request, exc: Exception) -> Response:
        return _reply(404, [f"No such path: {request.url.path}"])

    return ConnectionDropper(
        Starlette(
            routes=[
                HttpRoute("/rest/{fmt}/{method:path}", api, methods=ALL_VERBS),
                *admin_routes(runtime),
            ],
            exception_handlers={404: not_found, 405: not_found},
        )
    )
