"""The HTTP layer: an ASGI app that serves the route table with latency, faults and limits."""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as HttpRoute
from starlette.types import Receive, Scope, Send

from .faults import FaultPlan, RateLimiter
from .models import Backend
from .routes import ROUTES, Reply, Route
from .seed import SEEDS, load_seed
from .settings import Settings
from .stats import Stats
from .wire import ApiError, Params, collect_params, envelope_bytes, is_address, optional

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
    ) -> None:
        self.backend = backend
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
        load_seed(self.backend, seed, seed_value)
        self.seed, self.seed_value = seed, seed_value
        self.stats.reset()

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


class AdminRefusal(Exception):
    """An admin request that cannot be carried out: answered with ``status`` and a message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _credential(request: Request) -> str:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


async def _admin_args(request: Request, allowed: set[str]) -> tuple[dict[str, Any], bool]:
    """The request's arguments (a JSON object body, else the query) and whether they are text.

    Anything but a JSON object, and any name not in ``allowed``, is refused with 400.
    """
    raw = await request.body()
    if raw.strip():
        try:
            loaded = json.loads(raw)
        except (ValueError, RecursionError):
            raise AdminRefusal(400, "the body is not valid JSON") from None
        if not isinstance(loaded, dict):
            raise AdminRefusal(400, "the body must be a JSON object")
        args, text = loaded, False
    else:
        args, text = dict(request.query_params), True
    unknown = set(args) - allowed
    if unknown:
        raise AdminRefusal(400, f"unknown argument(s): {', '.join(sorted(unknown))}")
    return args, text


def _seed_args(runtime: Runtime, args: dict[str, Any], text: bool) -> tuple[str, int]:
    name = args.get("name", runtime.seed)
    if not isinstance(name, str) or name not in SEEDS:
        raise AdminRefusal(400, f"unknown seed {name!r}: use one of {sorted(SEEDS)}")
    value = args.get("seed_value", runtime.seed_value)
    if text and isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            raise AdminRefusal(400, f"seed_value must be an integer, not {value!r}") from None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
        raise AdminRefusal(400, f"seed_value must be an integer in [0, 2**63), not {value!r}")
    return name, value


def admin_routes(runtime: Runtime) -> list[HttpRoute]:
    """``/_emulator/...``: info, reset, seed, stats, settings, masters (SPEC A17).

    Every route needs ``Authorization: Bearer <credential>``, the credential being the
    emulator's admin token (no account's key); without it, 401 and nothing changes.
    Malformed arguments answer 400, never 500.
    """

    def guarded(
        handler: Callable[[Request], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if not runtime.is_admin(_credential(request)):
                return JSONResponse(
                    {
                        "error": "the admin routes need a credential: Authorization: Bearer "
                        "<MMFRAME_ADMIN_TOKEN> (the admin token only: no account key opens them)"
                    },
                    status_code=401,
                    headers={"WWW-Authenticate": 'Bearer realm="mmframe-emulator"'},
                )
            try:
                return await handler(request)
            except AdminRefusal as refused:
                return JSONResponse({"error": str(refused)}, status_code=refused.status)

        return endpoint

    async def info(request: Request) -> Response:
        return JSONResponse(runtime.info())

    async def reset(request: Request) -> Response:
        await run_in_threadpool(runtime.load, runtime.seed, runtime.seed_value)
        return JSONResponse(runtime.info())

    async def seed(request: Request) -> Response:
        name, value = _seed_args(runtime, *await _admin_args(request, {"name", "seed_value"}))
        await run_in_threadpool(runtime.load, name, value)
        return JSONResponse(runtime.info())

    async def stats(request: Request) -> Response:
        if request.method == "POST":
            runtime.stats.reset()
        return JSONResponse(runtime.stats.snapshot())

    async def settings(request: Request) -> Response:
        if request.method == "POST":
            names = set(runtime.settings.as_dict())
            args, text = await _admin_args(request, names)
            try:
                runtime.apply_settings(args, text=text)
            except (ValueError, TypeError) as exc:
                raise AdminRefusal(400, str(exc)) from None
        return JSONResponse(runtime.settings.as_dict())

    async def masters(request: Request) -> Response:
        args, _text = await _admin_args(request, {"username", "password"})
        username, password = args.get("username", ""), args.get("password", "emulator-password")
        if not isinstance(username, str) or not is_address(username):
            raise AdminRefusal(400, "username must be an email address")
        if not isinstance(password, str) or not password:
            raise AdminRefusal(400, "password must be non-empty text")
        try:
            with runtime.backend.store.transaction():
                apikey = runtime.backend.accounts.create_master(username, password)
        except sqlite3.IntegrityError:
            raise AdminRefusal(409, f"{username} already exists") from None
        return JSONResponse({"username": username, "apikey": apikey})

    return [
        HttpRoute("/_emulator/info", guarded(info), methods=["GET"]),
        HttpRoute("/_emulator/reset", guarded(reset), methods=["POST"]),
        HttpRoute("/_emulator/seed", guarded(seed), methods=["POST"]),
        HttpRoute("/_emulator/stats", guarded(stats), methods=["GET", "POST"]),
        HttpRoute("/_emulator/settings", guarded(settings), methods=["GET", "POST"]),
        HttpRoute("/_emulator/masters", guarded(masters), methods=["POST"]),
    ]
