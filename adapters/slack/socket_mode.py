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
        self._slack = slack
        self._config = config
        self.handler: AsyncSocketModeHandler | None = None

    async def start(self, _app: web.Application | None = None) -> None:
        """Open the WebSocket (an aiohttp ``on_startup`` hook)."""
        # Built here, not in __init__: the handler's client takes the running event loop, and
        # ``coach serve`` mounts the app before aiohttp starts one (a RuntimeError at start-up).
        # apps.connections.open goes through the same SLACK_API_URL as every other call.
        self.handler = AsyncSocketModeHandler(
            self._slack.bolt,
            app_token=self._config.app_token,
            web_client=make_web_client(token=None, base_url=self._config.api_url),
        )
        await self.handler.connect_async()  # type: ignore[no-untyped-call]  # Bolt leaves it untyped
        log.info("Slack: connected over Socket Mode")

    async def stop(self, _app: web.Application | None = None) -> None:
        """Close the WebSocket (an aiohttp ``on_cleanup`` hook)."""
        if self.handler is not None:
            await self.handler.close_async()  # type: ignore[no-untyped-call]
