"""Serving for tests: an aiohttp app on an ephemeral loopback port, and ``coach serve`` probes.

Every in-process server in the suite (the app under test and the fakes) starts through
:func:`served`, so each listens on 127.0.0.1 on a port the kernel picks: parallel workers
(pytest-xdist) never collide, and nothing listens beyond loopback.

Example:
    >>> async with served(build(clock=False, env=env)) as url:  # doctest: +SKIP
    ...     await session.post(url + "/slack/events", ...)

or, in an async test, the ``served_app`` fixture (``tests/conftest.py``)::

    async def test_it(served_app):
        url = await served_app(app)
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from aiohttp import web


@asynccontextmanager
async def served(app: web.Application, **runner_options: Any) -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1 on a free port; yield its base URL; clean up afterwards.

    Args:
        app: The application to serve.
        **runner_options: Passed to :class:`aiohttp.web.AppRunner` (``access_log`` defaults
            to ``None``: tests print no access log).
    """
    runner_options.setdefault("access_log", None)
    runner = web.AppRunner(app, **runner_options)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released), for ``coach serve --port``.

    Only for a server in another process, which must be told its port: in-process servers use
    :func:`served` (port 0) instead.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def answers_healthz(
    session: aiohttp.ClientSession, url: str, *, statuses: tuple[int, ...] = (200,)
) -> bool:
    """Whether the server at ``url`` is up and answers ``/healthz`` with one of ``statuses``."""
    with contextlib.suppress(aiohttp.ClientError):
        # Connection: close, so the test's first real request opens a connection of its own
        # rather than reusing the probe's (a reused one was once reset under load).
        async with session.get(f"{url}/healthz", headers={"Connection": "close"}) as response:
            return response.status in statuses
    return False
