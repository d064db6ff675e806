"""Connector and user-token clients kept per service URL, instead of built for every turn.

SDK workaround. The Agents SDK's ``RestChannelServiceClientFactory`` builds a new connector
client and a new user-token client for every turn, each opening its own aiohttp
``ClientSession`` (a connection pool, a TLS context, no keep-alive across turns) and each
calling ``get_product_info`` (two scans of every installed distribution), then closes both at
the end of the turn (``ChannelServiceAdapter.process_activity``). That was about 10% of a
Teams turn's CPU. A client is nothing but a session with headers (base URL, User-Agent,
bearer token), so one per (service URL, token) serves every turn concurrently, as aiohttp
sessions are meant to be used.

The SDK closes the clients it was handed at the end of each turn, so the shared ones ignore
``close()``; :meth:`ClientPool.aclose` (on app cleanup) closes them for real. A client is
replaced when its token changes (MSAL renews it about hourly), and the one it replaces is
closed only after :data:`GRACE_SECONDS`, so that turns still using it finish.

Upstream (microsoft/Agents-for-Python): the factory should accept a shared ``ClientSession``
(or reuse clients per service URL), and ``get_product_info`` should be computed once.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.core.connector.client import connector_client as _connector_module
from microsoft_agents.hosting.core.connector.client import user_token_client as _token_module
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from adapters import outbound

# Longer than a turn may take (adapters.teams.endpoint.TURN_TIMEOUT_SECONDS is 12).
GRACE_SECONDS = 30.0
# Teams uses a handful of regional service URLs; the bound only stops a flood of made-up ones
# (anonymous local mode accepts any loopback URL) from keeping sessions open.
MAX_CLIENTS = 32


def cache_product_info() -> None:
    """Make the SDK's ``get_product_info`` compute its User-Agent once per process.

    It calls ``importlib.metadata.version("microsoft-agents-connector")``, a distribution
    that does not exist (the package ships as ``microsoft-agents-hosting-core``), so every
    call scans all installed distributions before giving up; the answer never changes.
    Idempotent. Upstream: cache it (``functools.cache``) and look up the right name.
    """
    for module in (_connector_module, _token_module):
        current: Callable[[], str] = module.get_product_info
        if not hasattr(current, "cache_info"):
            module.get_product_info = functools.cache(current)  # type: ignore[attr-defined]


class SharedConnectorClient(TeamsConnectorClient):
    """A connector client on a no-redirect session that outlives the turns using it."""

    async def close(self) -> None:
        """Turns end by closing their client: this one stays open for the next turn."""

    async def aclose(self) -> None:
        """Close the session for real (replaced, evicted, or the app is stopping)."""
        await self.client.close()


class SharedUserTokenClient(UserTokenClient):
    """A user-token client on a no-redirect session that outlives the turns using it."""

    async def close(self) -> None:
        """Turns end by closing their client: this one stays open for the next turn."""

    async def aclose(self) -> None:
        """Close the session for real (replaced, evicted, or the app is stopping)."""
        await self.client.close()


class ClientPool:
    """Shared clients, one per (kind, endpoint) and event loop, rebuilt when the token changes."""

    def __init__(self) -> None:
        cache_product_info()
        self._clients: dict[tuple[Any, ...], tuple[str, Any]] = {}
        self._retiring: dict[asyncio.Task[None], Any] = {}

    def connector(self, service_url: str, token: str) -> SharedConnectorClient:
        """The shared connector client for ``service_url`` with ``token``."""
        base = service_url if service_url.endswith("/") else service_url + "/"

        def build() -> SharedConnectorClient:
            return SharedConnectorClient(
                endpoint=base, token=token, session=outbound.session(base_url=base)
            )

        client: SharedConnectorClient = self._get(("connector", base), token, build)
        return client

    def user_tokens(self, endpoint: str, token: str, app_id: str | None) -> SharedUserTokenClient:
        """The shared user-token client for ``endpoint`` with ``token``."""
        base = endpoint if endpoint.endswith("/") else endpoint + "/"

        def build() -> SharedUserTokenClient:
            return SharedUserTokenClient(
                endpoint=base,
                token=token,
                app_id=app_id,
                session=outbound.session(base_url=base),
            )

        client: SharedUserTokenClient = self._get(("tokens", base, app_id), token, build)
        return client

    def _get(self, key: tuple[Any, ...], token: str, build: Callable[[], Any]) -> Any:
        # Sessions belong to the loop that made them: a client is never shared across loops.
        key = (*key, id(asyncio.get_running_loop()))
        found = self._clients.get(key)
        if found is not None and found[0] == token:
            return found[1]
        if found is not None:
            self._retire(found[1])
        elif len(self._clients) >= MAX_CLIENTS:
            oldest = next(iter(self._clients))
            self._retire(self._clients.pop(oldest)[1])
        client = build()
        self._clients[key] = (token, client)
        return client

    def _retire(self, client: Any) -> None:
        async def later() -> None:
            await asyncio.sleep(GRACE_SECONDS)
            await client.aclose()

        task = asyncio.get_running_loop().create_task(later())
        self._retiring[task] = client
        task.add_done_callback(lambda done: self._retiring.pop(done, None))

    async def aclose(self) -> None:
        """Close every client of the running loop now (the app is stopping)."""
        loop_id = id(asyncio.get_running_loop())
        for key in [k for k in self._clients if k[-1] == loop_id]:
            await self._clients.pop(key)[1].aclose()
        for task, client in list(self._retiring.items()):
            task.cancel()
            await client.aclose()
