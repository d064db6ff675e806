"""Bot Connector clients for messages that answer nothing: proactive sends and new chats.

Replies within a turn go through the SDK's ``TurnContext``; a nudge has no turn, so it talks
to the connector directly, with a client the SDK's own factory builds (and therefore the same
token handling: the app's MSAL credentials, or no token at all when running anonymously).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from microsoft_agents.hosting.core import (
    AuthenticationConstants,
    ChannelServiceClientFactoryBase,
    ClaimsIdentity,
    ConnectorClientBase,
)


class ConnectorClients:
    """Opens connector clients for one bot identity."""

    def __init__(
        self, *, factory: ChannelServiceClientFactoryBase, app_id: str, anonymous: bool
    ) -> None:
        self._factory = factory
        self._anonymous = anonymous
        self._identity = (
            ClaimsIdentity()
            if anonymous
            else ClaimsIdentity(
                {
                    AuthenticationConstants.AUDIENCE_CLAIM: app_id,
                    AuthenticationConstants.APP_ID_CLAIM: app_id,
                }
            )
        )

    @asynccontextmanager
    async def open(self, service_url: str) -> AsyncIterator[ConnectorClientBase]:
        """A client for ``service_url``, closed on exit."""
        client = await self._factory.create_connector_client(
            None,
            self._identity,
            service_url,
            AuthenticationConstants.AGENTS_SDK_SCOPE,
            use_anonymous=self._anonymous,
        )
        try:
            yield client
        finally:
            await client.close()
