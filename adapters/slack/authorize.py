"""Single-workspace authorisation that survives Slack being unreachable.

Bolt's own single-workspace middleware calls ``auth.test`` on the first request and, if that
call fails for any reason but an API error, lets the exception out: the request gets a 500,
even a question the coach could answer without Slack's Web API at all. This does the same
``auth.test`` (once, cached) with a short timeout; when Slack cannot be reached it still
authorises the request with the configured bot token, marks the context
(:data:`SLACK_UNREACHABLE`) so listeners can say so in the acknowledgement, and waits a
little before asking Slack again.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncBoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

# Context key a listener reads: True when auth.test could not reach Slack for this request.
SLACK_UNREACHABLE = "coach_slack_unreachable"
UNREACHABLE_TEXT = "Slack could not be reached just now, so I couldn't do that. Please try again."
# Well inside Slack's three seconds for the acknowledgement.
AUTH_TEST_TIMEOUT_SECONDS = 2
RETRY_AFTER_SECONDS = 30.0


class SingleWorkspaceAuthorize(AsyncAuthorize):
    """``authorize`` for a single-workspace app with a bot token (see the module docstring)."""

    def __init__(self, *, token: str, client: AsyncWebClient) -> None:
        """``client`` calls ``auth.test``: give it a short timeout and no retries."""
        super().__init__()  # type: ignore[no-untyped-call]  # slack_bolt leaves it untyped
        self._token = token
        self._client = client
        self._auth_test: dict[str, Any] | None = None
        self._failed_at: float | None = None

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult | None:
        """The bot's identity from ``auth.test``, or the bare token while Slack is unreachable."""
        auth = await self._auth_test_once()
        if auth is None:
            context[SLACK_UNREACHABLE] = True
            return AuthorizeResult(
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, bot_token=self._token
            )
        return AuthorizeResult(
            enterprise_id=auth.get("enterprise_id"),
            team_id=auth.get("team_id"),
            bot_id=auth.get("bot_id"),
            bot_user_id=auth.get("user_id"),
            bot_token=self._token,
            user_id=user_id,
        )

    async def _auth_test_once(self) -> dict[str, Any] | None:
        if self._auth_test is not None:
            return self._auth_test
        if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_AFTER_SECONDS:
            return None
        try:
            response = await self._client.auth_test()
        except (SlackClientError, aiohttp.ClientError, OSError, TimeoutError) as exc:
            # SlackApiError (a revoked token, say) is a SlackClientError too: Slack answered,
            # but the bot cannot act, which for the person is the same "try again" situation.
            self._failed_at = time.monotonic()
            log.warning(
                "Slack: auth.test failed (%s); answering what needs no Web API", type(exc).__name__
            )
            return None
        self._failed_at = None
        self._auth_test = dict(response.data) if isinstance(response.data, dict) else {}
        return self._auth_test
