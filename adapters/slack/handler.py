"""aiohttp ↔ Bolt: the thin HTTP layer of ``POST /slack/events`` and the OAuth pages.

Bolt answers a valid request; this layer makes sure a bad one gets a 4xx rather than a 500:
a body that is not UTF-8, or not a shape Slack sends, is a 400; a bad signature or a timestamp
more than five minutes off is a 401, checked before the body is parsed at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from adapters.json_body import json_response
from adapters.slack.body import parse
from adapters.slack.shape import is_slack_shape
from adapters.store.crypto import DataKeyError

log = logging.getLogger(__name__)

MAX_TIMESTAMP_DIGITS = 12

# A slash command's body in, its acknowledgement's body out (or None: let Bolt handle it).
AnswerInAck = Callable[[Mapping[str, Any]], dict[str, Any] | None]


def _error(status: int, message: str) -> web.Response:
    return json_response({"ok": False, "error": message}, status=status)


class SlackRequestHandler:
    """The aiohttp handlers for one Bolt app."""

    def __init__(
        self, bolt: AsyncApp, *, signing_secret: str, answer_in_ack: AnswerInAck | None = None
    ) -> None:
        """``answer_in_ack``: answer stateless slash commands here, without Bolt (see below).

        Give it only where Bolt would authorise every request without asking anything (one
        workspace with one bot token): with OAuth, Bolt must first find the installation.
        """
        if not signing_secret:
            # Bolt's own check is off (adapters/slack/app.py): this one must always run.
            raise ValueError("the Slack request handler needs a signing secret")
        self._bolt = bolt
        self._verifier = SignatureVerifier(signing_secret)
        self._answer_in_ack = answer_in_ack

    async def events(self, request: web.Request) -> web.Response:
        """``POST /slack/events``: events, slash commands and interactivity."""
        raw = await request.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _error(400, "the body is not UTF-8")
        if not self._verified(text, request):
            return _error(401, "invalid signature or stale timestamp")
        try:
            # Parsed without building a Bolt request: a stateless command never needs one,
            # and building it (headers, context, a parse) was a tenth of such a command's CPU
            # under the Slack bench.
            body = parse(text, request.content_type)
        except (ValueError, TypeError, AttributeError, KeyError, RecursionError):
            # RecursionError: json.loads gives up on a body nested ~1,000 levels deep.
            return _error(400, "the body is not a Slack payload")
        if not is_slack_shape(body):
            return _error(400, "the body is not a Slack payload")
        message = self._answered_here(body)
        if message is not None:
            return json_response(message)
        bolt_request = AsyncBoltRequest(
            body=text, query=request.query_string, headers=_headers(request)
        )
        return await to_aiohttp_response(await self._bolt.async_dispatch(bolt_request))

    def _answered_here(self, body: Mapping[str, Any]) -> dict[str, Any] | None:
        """The acknowledgement of a stateless slash command, made without Bolt's dispatch.

        Hand-written because Bolt's dispatch costs such a command a lot and does nothing for
        it (py-spy under the Slack bench: about a fifth of the server's CPU per command): a
        new Web API client per request, the middleware chain, every listener argument (say,
        respond, complete, ...) built twice, and a task for the listener that Bolt polls every
        10 ms until it acks. For a slash command none of that applies: the signature was
        checked above, one-workspace authorisation always passes, and no built-in middleware
        (SSL check, URL verification, self events) touches a command. The answer is the one
        the Bolt listener gives (``answer_in_ack``); everything else (stateful commands,
        events, buttons, OAuth mode) still goes through Bolt.
        """
        if self._answer_in_ack is None or "ssl_check" in body:
            return None
        command = body.get("command")
        if not (isinstance(command, str) and command.startswith("/")):
            return None
        return self._answer_in_ack(body)

    def _verified(self, text: str, request: web.Request) -> bool:
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "").strip()
        signature = request.headers.get("X-Slack-Signature", "").strip()
        # slack_sdk's verifier raises on a timestamp that is not a number (ValueError) or is too
        # big to subtract from the clock (OverflowError); both are a 401. Unix time has 10
        # digits until the year 2286, so anything much longer is stale or forged anyway.
        if not (timestamp.isascii() and timestamp.isdigit() and signature):
            return False
        if len(timestamp) > MAX_TIMESTAMP_DIGITS:
            return False
        try:
            return self._verifier.is_valid(body=text, timestamp=timestamp, signature=signature)
        except (ValueError, OverflowError):
            return False

    async def install(self, request: web.Request) -> web.Response:
        """``GET /slack/install``: the *Add to Slack* page (it sets the OAuth state cookie)."""
        flow = self._bolt.oauth_flow
        if flow is None:
            return _error(404, "this app is not set up for installation")
        bolt_request = AsyncBoltRequest(
            body="", query=request.query_string, headers=_headers(request)
        )
        return await to_aiohttp_response(await flow.handle_installation(bolt_request))

    async def oauth_redirect(self, request: web.Request) -> web.Response:
        """``GET /slack/oauth_redirect``: Slack sends the installer back here with a code."""
        flow = self._bolt.oauth_flow
        if flow is None:
            return _error(404, "this app is not set up for installation")
        bolt_request = AsyncBoltRequest(
            body="", query=request.query_string, headers=_headers(request)
        )
        try:
            return await to_aiohttp_response(await flow.handle_callback(bolt_request))
        except DataKeyError:
            # The installation store refuses to keep a token it cannot encrypt.
            log.error("Slack: an install failed because COACH_DATA_KEY is not set")
            return _error(503, "this server cannot store installations yet (COACH_DATA_KEY)")


def _headers(request: web.Request) -> dict[str, Any]:
    headers: dict[str, list[str]] = {}
    for key, value in request.headers.items():
        headers.setdefault(key.lower(), []).append(value)
    return headers
