"""Who sent an activity: the SDK's JWT validation, or the anonymous identity for local runs.

Without credentials the door is shut (401 for everyone) unless the operator explicitly asked
for the anonymous local mode (``TEAMS_ALLOW_ANONYMOUS=1``): a Slack-only deployment must not
leave an unauthenticated way into people's journals open by forgetting a setting.

The SDK's aiohttp middleware does this too, but it is app-wide (it would also guard
``/slack/events``), stores the identity under a string request key (aiohttp 3.14 warns), and
lets some malformed tokens escape as exceptions (a 500). This wraps the SDK's validator so
that every failure is a 401.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from jwt import PyJWK, PyJWKClient
from jwt.exceptions import PyJWKClientConnectionError
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    ClaimsIdentity,
    HttpResponse,
    JwtTokenValidator,
)

from adapters.teams.token_checks import activity_problem, token_problem

log = logging.getLogger(__name__)


class _FixedJwks:
    """Signing keys from one JWKS URL, whatever issuer the token names (tests only)."""

    def __init__(self, url: str) -> None:
        self._client = PyJWKClient(url, cache_keys=False, timeout=5)

    async def get_signing_key(self, _jwks_uri: str, header: dict[str, Any]) -> PyJWK:
        return await asyncio.to_thread(self._client.get_signing_key, header["kid"])


class Authorizer:
    """Turns an ``Authorization`` header into a claims identity or a 401/503 response.

    Example:
        >>> import asyncio
        >>> closed = Authorizer(configuration=None)  # no credentials: nobody gets in
        >>> asyncio.run(closed.authorize(None)).status_code
        401
        >>> local = Authorizer(configuration=None, allow_anonymous=True)  # local runs only
        >>> asyncio.run(local.authorize(None)).allow_anonymous
        True
    """

    def __init__(
        self,
        *,
        configuration: AgentAuthConfiguration | None,
        jwks_url: str = "",
        allow_anonymous: bool = False,
    ) -> None:
        self._validator: JwtTokenValidator | None = None
        self._allow_anonymous = allow_anonymous and configuration is None
        self._tenant_id = str(configuration.TENANT_ID or "") if configuration is not None else ""
        if configuration is not None:
            self._validator = JwtTokenValidator(configuration)
            if jwks_url:
                # The SDK fetches keys from Microsoft's fixed endpoints and has no setting for
                # another; tests swap in their own key set through the validator's key source.
                self._validator._jwk_client_manager = _FixedJwks(jwks_url)  # type: ignore[assignment]

    @property
    def anonymous(self) -> bool:
        """True in the explicit anonymous local mode, where callers carry no token."""
        return self._validator is None and self._allow_anonymous

    async def authorize(self, header: str | None) -> ClaimsIdentity | HttpResponse:
        """Validate the bearer token in ``header``; anonymous mode accepts anything."""
        if self._validator is None:
            if self._allow_anonymous:
                return ClaimsIdentity()
            return _unauthorized("Teams is not configured on this server")
        if not header:
            return _unauthorized("Authorization header not found")
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            return _unauthorized("Invalid authorization header format")
        try:
            identity = await self._validator.validate_token(parts[1])
        except PyJWKClientConnectionError:
            # Microsoft's key endpoint is down: not the caller's fault, and Teams will retry.
            log.warning("teams: could not fetch token signing keys")
            return HttpResponse(status_code=503, body={"error": "Signing keys unavailable"})
        except Exception as exc:  # noqa: BLE001 - every other failure means "not a valid token"
            log.warning("teams: rejected a token (%s)", type(exc).__name__)
            return _unauthorized("Invalid token or authentication failed.")
        problem = token_problem(identity.claims or {}, tenant_id=self._tenant_id)
        if problem is not None:
            log.warning("teams: rejected a token (%s)", problem)
            return _unauthorized(problem)
        return identity

    def admit(self, identity: ClaimsIdentity, activity: Mapping[str, Any]) -> HttpResponse | None:
        """A 401 when the activity claims what its token does not vouch for, else ``None``.

        Checked after the body is read: the token's ``serviceurl`` must name the activity's
        ``serviceUrl``, and in single-tenant mode the activity must come from that tenant.
        Anonymous mode has no token, so nothing to compare (it accepts local URLs only).
        """
        if self._validator is None:
            return None
        problem = activity_problem(identity.claims or {}, activity, tenant_id=self._tenant_id)
        if problem is None:
            return None
        log.warning("teams: refused an activity (%s)", problem)
        return _unauthorized(problem)


def _unauthorized(message: str) -> HttpResponse:
    return HttpResponse(
        status_code=401, body={"error": message}, headers={"WWW-Authenticate": "Bearer"}
    )
