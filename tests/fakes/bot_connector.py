"""A loopback fake of the Bot Connector service that Teams bots post their messages to.

Activities name it in ``serviceUrl``; it records every request and answers like the real
service (``{"id": …}``), unless told to fail: ``fail(403)``, ``fail(429, times=2,
headers={"Retry-After": "0"})`` or ``hang(seconds)``. Built with ``tenant_rps=50`` it also
enforces Teams' per-tenant limit on message posts: beyond 50 a second (bursts of up to 50) it
answers 429 with ``Retry-After``, and counts the refusals per tenant in ``throttled``. It
also serves a JWKS (the keys that sign the tokens tests send) and a token endpoint, the two
URLs a credentialed setup fetches.

Example:
    >>> async with FakeBotConnector() as connector:  # doctest: +SKIP
    ...     payload["serviceUrl"] = connector.url
    ...     ...  # post payload to the bot
    ...     assert connector.activities()[0]["type"] == "message"
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.servers import served


@dataclass(frozen=True, slots=True)
class Received:
    """One request the fake answered."""

    method: str
    path: str
    route: str  # "send", "reply", "create", "upload", "token" or "jwks"
    body: Any
    headers: dict[str, str]
    conversation_id: str = ""
    activity_id: str = ""


@dataclass(slots=True)
class _Scripted:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FakeBotConnector:
    """The fake service; an async context manager that listens on an ephemeral port."""

    def __init__(self, *, tenant_rps: float | None = None) -> None:
        self.received: list[Received] = []
        self.tenant_rps = tenant_rps
        self.throttled: Counter[str] = Counter()
        # tenant -> (tokens, when last topped up): a token bucket per tenant, as Teams limits.
        self._allowance: dict[str, tuple[float, float]] = {}
        self.jwks: dict[str, Any] = {"keys": []}
        self._script: deque[_Scripted] = deque()
        self._ids = itertools.count(1)
        self._serving = contextlib.AsyncExitStack()
        self.url = ""
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._send)
        app.router.add_post(
            "/v3/conversations/{conversation_id}/activities/{activity_id}", self._reply
        )
        # Stands in for the OneDrive upload session URL of a file consent (loopback only).
        app.router.add_put("/upload/{name}", self._upload)
        app.router.add_get("/jwks", self._jwks)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        self._app = app

    async def __aenter__(self) -> FakeBotConnector:
        self.url = await self._serving.enter_async_context(served(self._app)) + "/"
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self._serving.aclose()

    # --- scripting ------------------------------------------------------------------------

    def fail(self, status: int, *, times: int = 1, headers: dict[str, str] | None = None) -> None:
        """Answer the next ``times`` message posts with ``status``."""
        for _ in range(times):
            self._script.append(_Scripted(status=status, headers=dict(headers or {})))

    def hang(self, seconds: float, *, times: int = 1) -> None:
        """Hold the next ``times`` message posts for ``seconds`` before answering."""
        for _ in range(times):
            self._script.append(_Scripted(status=200, delay=seconds))

    def upload_url(self, name: str) -> str:
        """The ``uploadInfo.uploadUrl`` a file consent invoke names for ``name``."""
        return f"{self.url}upload/{name}"

    # --- reading what arrived -------------------------------------------------------------

    def requests(self, *routes: str) -> list[Received]:
        """Requests to the given routes (all of them when none are named)."""
        return [r for r in self.received if not routes or r.route in routes]

    def activities(self) -> list[dict[str, Any]]:
        """The activities posted (sent or replied), in order."""
        return [r.body for r in self.requests("send", "reply")]

    # --- handlers -------------------------------------------------------------------------

    async def _record(self, request: web.Request, route: str) -> Received:
        try:
            body: Any = await request.json()
        except ValueError:
            body = await request.text()
        received = Received(
            method=request.method,
            path=request.path,
            route=route,
            body=body,
            headers=dict(request.headers),
            conversation_id=request.match_info.get("conversation_id", ""),
            activity_id=request.match_info.get("activity_id", ""),
        )
        self.received.append(received)
        return received

    async def _scripted(self) -> web.Response | None:
        if not self._script:
            return None
        step = self._script.popleft()
        if step.delay:
            await asyncio.sleep(step.delay)
        if step.status >= 300:
            return web.json_response(
                {"error": {"code": "Scripted", "message": f"scripted {step.status}"}},
                status=step.status,
                headers=step.headers,
            )
        return None

    async def _over_limit(self, request: web.Request) -> web.Response | None:
        """A 429 when this tenant has used its ``tenant_rps`` (rate-limit mode only)."""
        if self.tenant_rps is None:
            return None
        try:
            body: Any = await request.json()
        except ValueError:
            body = None
        body = body if isinstance(body, dict) else {}
        conversation = body.get("conversation") or {}
        channel_data = body.get("channelData") or {}
        tenant = str(
            conversation.get("tenantId") or (channel_data.get("tenant") or {}).get("id") or ""
        )
        now = time.monotonic()
        tokens, then = self._allowance.get(tenant, (self.tenant_rps, now))
        tokens = min(self.tenant_rps, tokens + (now - then) * self.tenant_rps)
        if tokens >= 1:
            self._allowance[tenant] = (tokens - 1, now)
            return None
        self._allowance[tenant] = (tokens, now)
        self.throttled[tenant] += 1
        wait = math.ceil((1 - tokens) / self.tenant_rps)
        return web.json_response(
            {"error": {"code": "TooManyRequests", "message": "tenant rate limit"}},
            status=429,
            headers={"Retry-After": str(max(1, wait))},
        )

    async def _send(self, request: web.Request) -> web.Response:
        if (refused := await self._over_limit(request)) is not None:
            return refused
        await self._record(request, "send")
        return await self._scripted() or web.json_response({"id": f"sent-{next(self._ids)}"})

    async def _reply(self, request: web.Request) -> web.Response:
        if (refused := await self._over_limit(request)) is not None:
            return refused
        await self._record(request, "reply")
        return await self._scripted() or web.json_response({"id": f"reply-{next(self._ids)}"})

    async def _create(self, request: web.Request) -> web.Response:
        await self._record(request, "create")
        failure = await self._scripted()
        if failure is not None:
            return failure
        n = next(self._ids)
        return web.json_response({"id": f"a:created-{n}", "activityId": f"first-{n}"})

    async def _upload(self, request: web.Request) -> web.Response:
        # Like OneDrive's upload session: the raw bytes in one PUT, answered with the item.
        body = await request.read()
        self.received.append(
            Received(
                method=request.method,
                path=request.path,
                route="upload",
                body=body,
                headers=dict(request.headers),
            )
        )
        failure = await self._scripted()
        if failure is not None:
            return failure
        name = request.match_info["name"]
        return web.json_response({"id": f"item-{next(self._ids)}", "name": name}, status=201)

    async def _jwks(self, request: web.Request) -> web.Response:
        await self._record(request, "jwks")
        return web.json_response(self.jwks)

    async def _token(self, request: web.Request) -> web.Response:
        await self._record(request, "token")
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3600, "access_token": "fake-connector-token"}
        )
