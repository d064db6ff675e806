"""``POST /api/messages``: aiohttp request → SDK request → SDK response → aiohttp response.

The checks the SDK leaves to chance happen here first, so that no client mistake becomes a
500: the token (401), the body (400) and a retried activity id (answered once).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import HttpResponse
from pydantic import ValidationError

from adapters.teams.adapter import CoachAdapter
from adapters.teams.agent import CoachAgent
from adapters.teams.auth import Authorizer
from adapters.teams.dedupe import SeenActivities, activity_key
from adapters.teams.turnstart import CURRENT
from adapters.teams.urls import is_local_url, is_service_url

log = logging.getLogger(__name__)

_UNSAFE_ID = re.compile(r"[/?#%\\\s]")
# Teams gives a bot 15 seconds before it retries; answer (or give up) within that.
TURN_TIMEOUT_SECONDS = 12.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamsEndpoint:
    """Everything ``POST /api/messages`` needs, built once by :func:`adapters.teams.mount.mount`."""

    adapter: CoachAdapter
    agent: CoachAgent
    authorizer: Authorizer
    seen: SeenActivities
    turn_timeout: float = TURN_TIMEOUT_SECONDS

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Authenticate, validate, dedupe, then run the turn through the SDK."""
        identity = await self.authorizer.authorize(request.headers.get("Authorization"))
        if isinstance(identity, HttpResponse):
            return to_aiohttp_response(identity)
        body = await read_activity(request)
        if isinstance(body, HttpResponse):
            return to_aiohttp_response(body)
        raw, activity = body
        refused = self.authorizer.admit(identity, raw)
        if refused is not None:
            return to_aiohttp_response(refused)
        if self.authorizer.anonymous and not is_local_url(activity.service_url or ""):
            # Anonymously, anyone could make the bot post to any URL they name; local tools
            # (the Agents Playground, the tests) only ever name this machine.
            return to_aiohttp_response(
                HttpResponse(
                    status_code=401,
                    body={"error": "Without credentials only a local serviceUrl is accepted"},
                )
            )

        key = _dedupe_key(activity)
        # The dedupe claim and the rest of the turn's database work: one transaction, one hop.
        start = await self.agent.start_turn(activity, key=key)
        if not start.claimed:
            log.info("teams: activity already handled; answering the retry without a turn")
            return web.json_response({}) if activity.type == "invoke" else web.Response(status=202)

        # The turn's task copies this context, so the agent finds what the transaction found.
        token = CURRENT.set(start)
        try:
            response = await asyncio.wait_for(
                self.adapter.process_parsed(activity, identity, self.agent), self.turn_timeout
            )
        except Exception as exc:
            return await self._failed(exc, key=key)
        finally:
            CURRENT.reset(token)
        return to_aiohttp_response(response)

    async def _failed(self, exc: Exception, *, key: str | None) -> web.Response:
        if isinstance(exc, TimeoutError):
            # The answer may still have reached Teams: keep the claim so a retry cannot repeat it.
            log.warning("teams: turn timed out after %.0fs", self.turn_timeout)
            return web.json_response({"error": "Timed out"}, status=504)
        if key is not None:
            await asyncio.to_thread(self.seen.release, key)  # let Teams' retry try again
        if isinstance(exc, aiohttp.ClientResponseError):
            log.warning("teams: the Bot Connector refused our reply (%d)", exc.status)
            return web.json_response({"error": "Could not reply"}, status=502)
        if isinstance(exc, aiohttp.ClientError):
            log.warning("teams: could not reach the Bot Connector (%s)", type(exc).__name__)
            return web.json_response({"error": "Could not reply"}, status=502)
        if isinstance(exc, OSError):
            # MSAL (through requests) could not reach the identity platform for a token, or
            # another network call failed: an upstream outage, not a fault of the request.
            log.warning("teams: could not get a token or reach a service (%s)", type(exc).__name__)
            return web.json_response({"error": "Could not reply"}, status=502)
        log.exception("teams: turn failed")
        return web.json_response({"error": "Internal error"}, status=500)


async def read_activity(request: web.Request) -> tuple[dict[str, Any], Activity] | HttpResponse:
    """The request's Activity, or a 400 naming what is wrong with it."""
    try:
        raw = json.loads(await request.read())
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return _bad("Body is not JSON")
    if not isinstance(raw, dict):
        return _bad("Body is not a JSON object")
    if not isinstance(raw.get("type"), str) or not raw["type"]:
        return _bad("Activity has no type")
    conversation = raw.get("conversation")
    if not isinstance(conversation, Mapping) or not isinstance(conversation.get("id"), str):
        return _bad("Activity has no conversation.id")
    # The SDK puts both ids into connector URL paths unescaped; Teams ids never hold these.
    if _UNSAFE_ID.search(conversation["id"]) or _UNSAFE_ID.search(str(raw.get("id") or "")):
        return _bad("Activity ids hold characters Teams never uses")
    if str(raw.get("deliveryMode") or "").lower() == "expectreplies":
        # The SDK would return every reply in this HTTP response, to whoever sent it (a
        # journal, say). Teams never asks for it; replies go to the serviceUrl only.
        return _bad("deliveryMode expectReplies is not supported")
    if raw["type"] == "invoke" and (not isinstance(raw.get("name"), str) or not raw["name"]):
        return _bad("Invoke activity has no name")
    recipient = raw.get("recipient")
    if not isinstance(recipient, Mapping) or not isinstance(recipient.get("id"), str):
        # The bot's own account: every reply is sent from it.
        return _bad("Activity has no recipient.id")
    service_url = raw.get("serviceUrl")
    if not isinstance(service_url, str) or not service_url.startswith(("https://", "http://")):
        # Every reply goes to serviceUrl; without one there is nowhere to answer.
        return _bad("Activity has no serviceUrl")
    if not is_service_url(service_url):
        # The SDK joins API paths onto it: a query, fragment or user-info would break that
        # (a 500) or smuggle credentials; Bot Connector URLs never carry them.
        return _bad("Activity serviceUrl is not a plain http(s) base URL")
    try:
        activity = Activity.model_validate(raw)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
        return _bad("Activity is malformed: " + ", ".join(fields[:5]))
    except (ValueError, TypeError, RecursionError):
        return _bad("Activity is malformed")
    return raw, activity


def _bad(message: str) -> HttpResponse:
    return HttpResponse(status_code=400, body={"error": message})


def _dedupe_key(activity: Activity) -> str | None:
    if not activity.id or activity.conversation is None:
        return None
    return activity_key(
        channel_id=str(activity.channel_id or ""),
        conversation_id=activity.conversation.id,
        activity_id=activity.id,
    )


def to_aiohttp_response(response: HttpResponse) -> web.Response:
    """The SDK's framework-neutral response as an aiohttp one."""
    if response.body is not None:
        return web.json_response(
            response.body, status=response.status_code, headers=response.headers
        )
    return web.Response(status=response.status_code, headers=response.headers)
