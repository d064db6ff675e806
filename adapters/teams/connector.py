"""Bot Connector clients for messages that answer nothing: proactive sends and new chats.

Replies within a turn go through the SDK's ``TurnContext``; a nudge has no turn, so it talks
to the connector directly, with a client the SDK's own factory builds (and therefore the same
token handling: the app's MSAL credentials, or no token at all when running anonymously).

:class:`NoRedirectClientFactory` is that factory for both: the SDK's, except that its clients'
HTTP sessions never follow a redirect (see :mod:`adapters.outbound`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from microsoft_agents.activity import RoleTypes
from microsoft_agents.hosting.core import (
    AuthenticationConstants,
    ChannelServiceClientFactoryBase,
    ClaimsIdentity,
    Connections,
    ConnectorClient,
    ConnectorClientBase,
    RestChannelServiceClientFactory,
    TurnContext,
)
from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.core.connector.mcs import MCSConnectorClient

from adapters import outbound
from adapters.teams.client_pool import ClientPool


class NoRedirectClientFactory(RestChannelServiceClientFactory):
    """The SDK's connector client factory, with clients whose sessions refuse redirects.

    The SDK opens a fresh ``ClientSession`` inside each client and offers no option for its
    redirect policy, so the client it built is rebuilt here on a session of ours, carrying
    the same headers (and so the same bearer token). Only the session changes.

    The common cases (a Teams turn or a proactive send; the user-token client every turn
    gets) take their token the way the SDK does and use shared clients from a
    :class:`~adapters.teams.client_pool.ClientPool` instead: no session per turn. Agentic and
    Copilot Studio (connector-user) requests keep the SDK's own path.
    """

    def __init__(self, connection_manager: Connections) -> None:
        super().__init__(connection_manager)
        self.pool = ClientPool()

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        """A shared no-redirect client for ``service_url`` (the SDK's, rebuilt, when special)."""
        if _special(context) or not service_url or not audience:
            client = await super().create_connector_client(
                context, claims_identity, service_url, audience, scopes, use_anonymous
            )
            return await _without_redirects(client, service_url)
        provider = (
            self._ANONYMOUS_TOKEN_PROVIDER
            if use_anonymous
            else self._connection_manager.get_token_provider(claims_identity, service_url)
        )
        token = await provider.get_access_token(
            audience, scopes or claims_identity.get_token_scope()
        )
        return self.pool.connector(service_url, token or "")

    async def create_user_token_client(
        self, context: TurnContext, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> UserTokenClient:
        """A shared no-redirect user-token client (the SDK builds one per turn)."""
        if _special(context):
            return await super().create_user_token_client(context, claims_identity, use_anonymous)
        token = ""
        if not use_anonymous:
            provider = self._connection_manager.get_token_provider(
                claims_identity, self._token_service_endpoint
            )
            token = await provider.get_access_token(
                self._token_service_audience, claims_identity.get_token_scope()
            )
            if not token:
                raise ValueError("Failed to obtain token for user token client")
        return self.pool.user_tokens(
            self._token_service_endpoint, token, claims_identity.get_app_id()
        )


def _special(context: TurnContext | None) -> bool:
    """Requests whose clients the SDK builds differently: left to the SDK."""
    if context is None:
        return False
    activity = context.activity
    connector_user = activity.recipient is not None and (
        activity.recipient.role == RoleTypes.connector_user
    )
    return connector_user or activity.is_agentic_request()


async def _without_redirects(client: Any, service_url: str) -> ConnectorClientBase:
    if isinstance(client, ConnectorClient):
        old = client.client
        base = service_url if service_url.endswith("/") else service_url + "/"
        rebuilt = type(client)(
            endpoint=base,
            token="",  # the Authorization header travels with the copied headers
            session=outbound.session(base_url=base, headers=dict(old.headers)),
        )
        await old.close()
        return rebuilt
    if isinstance(client, MCSConnectorClient):
        old_session = client._client  # noqa: SLF001 - the SDK offers no accessor
        rebuilt_mcs = MCSConnectorClient(
            endpoint=service_url, client=outbound.session(headers=dict(old_session.headers))
        )
        await old_session.close()
        return rebuilt_mcs
    raise TypeError(f"unexpected connector client {type(client).__name__}")


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

    async def aclose(self) -> None:
        """Close the factory's shared clients, if it keeps any."""
        if isinstance(self._factory, NoRedirectClientFactory):
            await self._factory.pool.aclose()

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
