"""The whole app as ``coach serve`` builds it, on a loopback port, and a redirecting server.

The attack tests drive the real application over HTTP; :func:`whole_app` serves it for one
test, and :class:`Redirector` stands in for an address that answers every request with a
redirect to another origin (what an attacker who controls the address we post to can do).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from aiohttp import web

from app.serve import build


@asynccontextmanager
async def whole_app(env: Mapping[str, str]) -> AsyncIterator[str]:
    """Serve ``build(clock=False, env=env)`` on 127.0.0.1; yield its base URL (no slash)."""
    runner = web.AppRunner(build(clock=False, env=dict(env)), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


class Redirector:
    """Answers every request with ``307`` to the same path under ``target``; counts requests."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.hits: list[str] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def _redirect(self, request: web.Request) -> web.Response:
        self.hits.append(request.path)
        raise web.HTTPTemporaryRedirect(self.target + request.path)

    async def __aenter__(self) -> Redirector:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._redirect)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/"
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
