"""The emulator's stop leaves no connection open behind it, whenever the connection came.

A socket left open when the server's loop ends is closed by the garbage collector later,
with a ResourceWarning that fails whichever test runs then (CI of stop 52)."""

from __future__ import annotations

import asyncio

import uvicorn
import uvicorn.lifespan.off

from mmframe.emulator.server import _Server


class _Transport:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


class _Connection:
    """An h11 connection as the shutdown sees it: told to stop, it closes when idle."""

    def __init__(self, connections: set, *, busy: bool = False, then=None) -> None:
        self.connections, self.busy, self.then = connections, busy, then
        self.transport = _Transport()
        self.told = 0
        connections.add(self)

    def shutdown(self) -> None:
        self.told += 1
        if self.then is not None:
            self.then()  # the loop accepts another connection meanwhile
        if not self.busy:
            self.transport.close()
            self.connections.discard(self)


def _server(graceful: float) -> _Server:
    async def app(scope, receive, send):  # never called
        raise AssertionError

    server = _Server(uvicorn.Config(app, lifespan="off", timeout_graceful_shutdown=graceful))
    server.servers = []  # startup sets these; a stop test needs neither a socket
    server.lifespan = uvicorn.lifespan.off.LifespanOff(server.config)  # nor a lifespan
    return server


def test_a_connection_accepted_during_the_stop_is_told_to_close_too():
    server = _server(graceful=30)
    connections = server.server_state.connections
    late: list[_Connection] = []
    first = _Connection(connections, then=lambda: late.append(_Connection(connections)))
    asyncio.run(asyncio.wait_for(server.shutdown(), timeout=10))
    assert first.told == 1 and first.transport.closed
    assert late and late[0].told == 1 and late[0].transport.closed
    assert not connections


def test_a_connection_still_busy_at_the_graceful_timeout_is_closed_not_left_to_the_gc():
    server = _server(graceful=0.01)
    busy = _Connection(server.server_state.connections, busy=True)
    asyncio.run(server.shutdown())
    assert busy.told == 1
    assert busy.transport.closed


def test_a_connection_that_refuses_the_stop_is_closed_and_the_others_still_told():
    server = _server(graceful=30)
    connections = server.server_state.connections
    odd = _Connection(connections)

    def refuse() -> None:
        connections.discard(odd)  # as h11 does when its transport closes
        raise RuntimeError("h11 cannot send ConnectionClosed in this state")

    odd.shutdown = refuse  # type: ignore[method-assign]
    others = [_Connection(connections) for _ in range(3)]
    asyncio.run(asyncio.wait_for(server.shutdown(), timeout=10))
    assert odd.transport.closed
    assert all(other.told == 1 and other.transport.closed for other in others)
