"""The admin surface under ``/_emulator/`` (SPEC A17): info, reset, seed, stats, settings,
masters, replay; every route behind the admin token."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as HttpRoute

from .replayed import ReplayError
from .seed import SEEDS
from .wire import is_address

if TYPE_CHECKING:
    from .app import Runtime

Handler = Callable[[Request], Awaitable[Response]]
_REFUSED = (
    "the admin routes need a credential: Authorization: Bearer <MMFRAME_ADMIN_TOKEN> "
    "(the admin token only: no account key opens them)"
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


class Admin:
    """The admin routes of one emulator's runtime, each a method."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def guarded(self, handler: Handler) -> Handler:
        """``handler`` behind the admin token: 401 without it, 400 for a refusal."""

        async def endpoint(request: Request) -> Response:
            if not self.runtime.is_admin(_credential(request)):
                return JSONResponse(
                    {"error": _REFUSED},
                    status_code=401,
                    headers={"WWW-Authenticate": 'Bearer realm="mmframe-emulator"'},
                )
            try:
                return await handler(request)
            except AdminRefusal as refused:
                return JSONResponse({"error": str(refused)}, status_code=refused.status)

        return endpoint

    async def info(self, request: Request) -> Response:
        return JSONResponse(self.runtime.info())

    async def reset(self, request: Request) -> Response:
        await run_in_threadpool(self.runtime.load, self.runtime.seed, self.runtime.seed_value)
        return JSONResponse(self.runtime.info())

    async def seed(self, request: Request) -> Response:
        args = await _admin_args(request, {"name", "seed_value"})
        name, value = _seed_args(self.runtime, *args)
        await run_in_threadpool(self.runtime.load, name, value)
        return JSONResponse(self.runtime.info())

    async def stats(self, request: Request) -> Response:
        if request.method == "POST":
            self.runtime.stats.reset()
        return JSONResponse(self.runtime.stats.snapshot())

    async def settings(self, request: Request) -> Response:
        if request.method == "POST":
            args, text = await _admin_args(request, set(self.runtime.settings.as_dict()))
            try:
                self.runtime.apply_settings(args, text=text)
            except (ValueError, TypeError) as exc:
                raise AdminRefusal(400, str(exc)) from None
        return JSONResponse(self.runtime.settings.as_dict())

    async def replay(self, request: Request) -> Response:
        """Load the history in the folder ``path`` (on the emulator's machine)."""
        args, _text = await _admin_args(request, {"path", "account"})
        path, account = args.get("path"), args.get("account")
        if not isinstance(path, str) or not path:
            raise AdminRefusal(400, "path must name a folder holding a history")
        if account is not None and not isinstance(account, str):
            raise AdminRefusal(400, "account must be a username")
        try:
            done = await run_in_threadpool(self.runtime.replay, path, {}, account=account)
        except ReplayError as exc:
            raise AdminRefusal(400, str(exc)) from None
        return JSONResponse({"rows": done.rows, "created": done.created})

    async def masters(self, request: Request) -> Response:
        args, _text = await _admin_args(request, {"username", "password"})
        username, password = args.get("username", ""), args.get("password", "emulator-password")
        if not isinstance(username, str) or not is_address(username):
            raise AdminRefusal(400, "username must be an email address")
        if not isinstance(password, str) or not password:
            raise AdminRefusal(400, "password must be non-empty text")
        try:
            with self.runtime.backend.store.transaction():
                apikey = self.runtime.backend.accounts.create_master(username, password)
        except sqlite3.IntegrityError:
            raise AdminRefusal(409, f"{username} already exists") from None
        return JSONResponse({"username": username, "apikey": apikey})


#: (path, handler name, verbs) of every admin route.
ROUTES: tuple[tuple[str, str, list[str]], ...] = (
    ("info", "info", ["GET"]),
    ("reset", "reset", ["POST"]),
    ("seed", "seed", ["POST"]),
    ("stats", "stats", ["GET", "POST"]),
    ("settings", "settings", ["GET", "POST"]),
    ("masters", "masters", ["POST"]),
    ("replay", "replay", ["POST"]),
)


def admin_routes(runtime: Runtime) -> list[HttpRoute]:
    """``/_emulator/...``: info, reset, seed, stats, settings, masters, replay (SPEC A17).

    Every route needs ``Authorization: Bearer <credential>``, the credential being the
    emulator's admin token (no account's key); without it, 401 and nothing changes.
    Malformed arguments answer 400, never 500.
    """
    admin = Admin(runtime)
    return [
        HttpRoute(f"/_emulator/{path}", admin.guarded(getattr(admin, name)), methods=verbs)
        for path, name, verbs in ROUTES
    ]
