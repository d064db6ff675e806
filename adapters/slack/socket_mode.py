"""Socket Mode: the same listeners over a WebSocket Slack opens to us, for when no public URL can
reach the server (behind a firewall, or on a laptop).

:class:`SocketModeRunner` connects on the aiohttp server's start-up and closes on clean-up, so
``coach serve`` does it by itself when ``SLACK_APP_TOKEN`` is set;
:func:`app.socket_mode.run_socket_mode` runs it without a web server at all.
"""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.slack.app import SlackApp
from adapters.slack.client import make_web_client
from adapters.slack.config import SlackConfig

log = logging.getLogger(__name__)


class SocketModeRunner:
    """Connects a Bolt app to Slack over Socket Mode, and disconnects it."""

    def __init__(self, slack: SlackApp, *, config: SlackConfig) -> None:
        # apps.connections.open goes through the same SLACK_API_URL as every other call.
        self.handler = AsyncSocketModeHandler(
            slack.bolt,
            app_token=config.app_token,
            web_client=make_web_client(token=None, base_url=config.api_url),
        )

    async def start(self, _app: web.Application | None = None) -> None:
        """Open the WebSocket (an aiohttp ``on_startup`` hook)."""
        await self.handler.connect_async()  # type: ignore[no-untyped-call]  # Bolt leaves it untyped
        log.info("Slack: connected over Socket Mode")

    async def stop(self, _app: web.Application | None = None) -> None:
        """Close the WebSocket (an aiohttp ``on_cleanup`` hook)."""
        await self.handler.close_async()  # type: ignore[no-untyped-call]
