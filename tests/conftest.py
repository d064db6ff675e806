"""Suite-wide guards (no test may reach beyond this machine) and the shared server fixture."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web

from tests.servers import served

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _allowed(address: object) -> bool:
    if not isinstance(address, tuple):  # AF_UNIX sockets (PostgreSQL's socket) are local
        return True
    host = str(address[0])
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _allowed(address):
        raise RuntimeError(f"test tried to reach the network: {address!r}")
    _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _allowed(address):
        raise RuntimeError(f"test tried to reach the network: {address!r}")
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def _no_internet() -> object:
    """Turn any connection to a non-loopback address into a test failure."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


@pytest.fixture
async def served_app() -> AsyncIterator[Callable[[web.Application], Awaitable[str]]]:
    """Start aiohttp apps on ephemeral loopback ports: ``url = await served_app(app)``.

    Every app started is cleaned up when the test ends.
    """
    async with contextlib.AsyncExitStack() as stack:

        async def serve(app: web.Application) -> str:
            return await stack.enter_async_context(served(app))

        yield serve
