"""Teams settings from the environment, in the Microsoft 365 Agents SDK's own names.

The SDK reads nested settings from ``__``-separated variables; the ones that matter here are
``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID``, ``…__CLIENTSECRET`` and
``…__TENANTID`` (the Azure bot's app registration). With none of them set the endpoint is
shut (every request gets a 401) unless ``TEAMS_ALLOW_ANONYMOUS=1`` asks for the anonymous local
mode of the Agents Playground and the tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from microsoft_agents.activity import load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.core import AgentAuthConfiguration

SETTINGS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
CLIENT_ID = SETTINGS + "CLIENTID"
CLIENT_SECRET = SETTINGS + "CLIENTSECRET"
TENANT_ID = SETTINGS + "TENANTID"
CREDENTIALS = (CLIENT_ID, CLIENT_SECRET, TENANT_ID)
# Tests only: where to fetch the keys that sign incoming tokens. The SDK has no setting for
# this (it fetches Microsoft's keys), and tests may not reach the internet.
JWKS_URL = "TEAMS_JWKS_URL"
# Explicit opt-in to the unauthenticated local mode: without it, no credentials means no Teams.
ALLOW_ANONYMOUS = "TEAMS_ALLOW_ANONYMOUS"
# The SDK's configuration families; LOGGING__ is its documented log-level switch.
_SDK_PREFIXES = ("CONNECTIONS__", "CONNECTIONSMAP__", "AGENTAPPLICATION__", "LOGGING__")


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamsConfig:
    """What the Teams adapter needs to know about its deployment."""

    client_id: str = ""
    tenant_id: str = ""
    # True when any credential is set: tokens are then required on /api/messages.
    authenticated: bool = False
    missing: tuple[str, ...] = ()
    # TEAMS_ALLOW_ANONYMOUS=1 with no credentials: local tools only (loopback serviceUrl).
    allow_anonymous: bool = False
    jwks_url: str = ""
    database_url: str = ""
    sdk: Mapping[str, Any] = field(default_factory=dict)


def load_config(env: Mapping[str, str]) -> TeamsConfig:
    """Read the Teams settings out of ``env`` (``os.environ`` or a test's dict)."""
    values = {name: env.get(name, "").strip() for name in CREDENTIALS}
    authenticated = any(values.values())
    sdk_env = {k: v for k, v in env.items() if k.startswith(_SDK_PREFIXES) and v.strip()}
    return TeamsConfig(
        client_id=values[CLIENT_ID],
        tenant_id=values[TENANT_ID],
        authenticated=authenticated,
        missing=tuple(n for n, v in values.items() if not v) if authenticated else (),
        allow_anonymous=not authenticated and anonymous_allowed(env),
        jwks_url=env.get(JWKS_URL, "").strip(),
        database_url=env.get("DATABASE_URL", ""),
        sdk=load_configuration_from_env(sdk_env) if authenticated else {},
    )


def anonymous_allowed(env: Mapping[str, str]) -> bool:
    """True when ``TEAMS_ALLOW_ANONYMOUS`` asks for the unauthenticated local mode."""
    return env.get(ALLOW_ANONYMOUS, "").strip().lower() in {"1", "true", "yes", "on"}


def connection_manager(config: TeamsConfig) -> MsalConnectionManager:
    """The SDK's connection manager: MSAL with the app's credentials, or an anonymous stub.

    Anonymously, the SDK never asks the stub for a token (it sends without one), but its
    adapter still needs a connection manager to exist.
    """
    if config.authenticated:
        return MsalConnectionManager(**config.sdk)
    anonymous = AgentAuthConfiguration(anonymous_allowed=True)
    return MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": anonymous})
