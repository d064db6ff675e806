"""Who sent an activity: the SDK's JWT validation, or the anonymous identity for local runs.

The SDK's aiohttp middleware does this too, but it is app-wide (it would also guard
``/slack/events``), stores the identity under a string request key (aiohttp 3.14 warns), and
lets some malformed tokens escape as exceptions (a 500). This wraps the SDK's validator so
that every failure is a 401.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from jwt import PyJWK, PyJWKClient
from jwt.exceptions import PyJWKClientConnectionError
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    ClaimsIdentity,
    HttpResponse,
    JwtTokenValidator,
)

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
        >>> authorizer = Authorizer(configuration=None)  # anonymous: local runs only
        >>> import asyncio
        >>> asyncio.run(authorizer.authorize(None)).allow_anonymous
        True
    """

    def __init__(self, *, configuration: AgentAuthConfiguration | None, jwks_url: str = "") -> None:
        self._validator: JwtTokenValidator | None = None
        if configuration is not None:
            self._validator = JwtTokenValidator(configuration)
            if jwks_url:
                # The SDK fetches keys from Microsoft's fixed endpoints and has no setting for
                # another; tests swap in their own key set through the validator's key source.
                self._validator._jwk_client_manager = _FixedJwks(jwks_url)  # type: ignore[assignment]

    @property
    def anonymous(self) -> bool:
        """True when no credentials are configured and every caller is accepted."""
        return self._validator is None

    async def authorize(self, header: str | None) -> ClaimsIdentity | HttpResponse:
        """Validate the bearer token in ``header``; anonymous mode accepts anything."""
        if self._validator is None:
            return ClaimsIdentity()
        if not header:
            return _unauthorized("Authorization header not found")
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            return _unauthorized("Invalid authorization header format")
        try:
            return await self._validator.validate_token(parts[1])
        except PyJWKClientConnectionError:
            # Microsoft's key endpoint is down: not the caller's fault, and Teams will retry.
            log.warning("teams: could not fetch token signing keys")
            return HttpResponse(status_code=503, body={"error": "Signing keys unavailable"})
        except Exception as exc:  # noqa: BLE001 - every other failure means "not a valid token"
            log.warning("teams: rejected a token (%s)", type(exc).__name__)
            return _unauthorized("Invalid token or authentication failed.")


def _unauthorized(message: str) -> HttpResponse:
    return HttpResponse(
        status_code=401, body={"error": message}, headers={"WWW-Authenticate": "Bearer"}
    )
