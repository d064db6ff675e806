"""How ``coach serve`` faces the network: the address it binds by default, and how long a
request body may take to arrive (and what a client that goes away mid-body costs in logs).

Kept apart from the server's wiring so that the rules live in one place and the composition
root only asks for them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from aiohttp import ClientPayloadError, web
from aiohttp.http_exceptions import ContentLengthError
from aiohttp.typedefs import Handler, Middleware

from adapters.env_numbers import env_number
from adapters.teams.config import anonymous_allowed

log = logging.getLogger(__name__)

PUBLIC_HOST = "0.0.0.0"  # a platform's router must reach the process
LOCAL_HOST = "127.0.0.1"


def bind_host(env: Mapping[str, str]) -> str:
    """The address to listen on: ``HOST`` when set, else loopback in anonymous Teams mode.

    Anonymous mode (``TEAMS_ALLOW_ANONYMOUS=1``) accepts unauthenticated activities, so unless
    the operator says otherwise only this machine may reach the server at all.
    """
    host = env.get("HOST", "").strip()
    if host:
        return host
    return LOCAL_HOST if anonymous_allowed(env) else PUBLIC_HOST


# Slack and Teams send a few KB at once; a body still arriving after this is a slow-loris
# client holding a worker, not a platform.
BODY_READ_SECONDS = 10.0


def body_read_seconds(env: Mapping[str, str]) -> float:
    """``COACH_BODY_READ_SECONDS`` (default 10): how long a request body may take to arrive."""
    value = env_number(env, "COACH_BODY_READ_SECONDS")
    return value if value is not None and value > 0 else BODY_READ_SECONDS


def body_guard(*, seconds: float = BODY_READ_SECONDS) -> Middleware:
    """aiohttp middleware: read the whole body first, within ``seconds``.

    A body that has not arrived in time is a 408. A client that goes away mid-body is logged
    once at INFO: aiohttp would log an ERROR with a traceback for each, which is noise (a
    phone losing signal), not a fault of ours. Handlers then read the body from memory.
    """

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        # A body that arrived with its headers (Slack's and Teams' usually do) is already in
        # memory and cannot stall: no timeout to arm for it (about 3% of a slash command's CPU).
        if request.body_exists and not request.content.is_eof():
            try:
                # asyncio.timeout, not wait_for: no extra task per request (Python 3.11+).
                async with asyncio.timeout(seconds):
                    await request.read()
            except TimeoutError:
                log.info(
                    "%s %s: body not received within %.0fs (408)",
                    request.method,
                    request.path,
                    seconds,
                )
                return await _answer_and_close(
                    request,
                    web.json_response({"ok": False, "error": "request body too slow"}, status=408),
                )
            except (ConnectionResetError, ClientPayloadError, ContentLengthError) as exc:
                log.info(
                    "%s %s: client went away before sending the body (%s)",
                    request.method,
                    request.path,
                    type(exc).__name__,
                )
                return web.Response(status=400)
        return await handler(request)

    return guard


async def _answer_and_close(request: web.Request, response: web.Response) -> web.Response:
    # Send the answer, then drop the connection: otherwise aiohttp keeps reading the rest of
    # the slow body for its "lingering" time (10 s), which is what the 408 was meant to stop.
    response.force_close()
    await response.prepare(request)
    await response.write_eof()
    if request.protocol is not None:
        request.protocol.force_close()
    return response
