"""Checks of a validated Teams token that the Agents SDK leaves off or to configuration.

The SDK verifies the signature, audience and (when present) expiry; it checks the issuer only
when ``VALIDATE_ISSUER`` is set, which defaults to off, and it compares the ``serviceurl``
claim with the activity only by host. These close the rest, on the signature-verified claims:

- the issuer is the Bot Framework's, or the configured tenant's Entra issuer (v1 or v2);
- ``exp`` is present (a token without one would never expire);
- a Bot Framework token carries a ``serviceurl`` claim, and it names the activity's
  ``serviceUrl`` exactly (so a token cannot be replayed with our reply pointed elsewhere);
- in single-tenant mode the activity's tenant is the configured one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microsoft_agents.hosting.core import AuthenticationConstants

BOT_FRAMEWORK_ISSUER = AuthenticationConstants.AGENTS_SDK_TOKEN_ISSUER
# Entra's placeholders for "any tenant": a multi-tenant app has no one tenant to compare with.
_ANY_TENANT = frozenset({"", "common", "organizations", "consumers"})


def accepted_issuers(tenant_id: str) -> frozenset[str]:
    """The Bot Framework issuer plus ``tenant_id``'s Entra v1 and v2 issuers."""
    issuers = {BOT_FRAMEWORK_ISSUER}
    if tenant_id.lower() not in _ANY_TENANT:
        issuers.add(AuthenticationConstants.VALID_TOKEN_ISSUER_URL_TEMPLATE_V1.format(tenant_id))
        issuers.add(AuthenticationConstants.VALID_TOKEN_ISSUER_URL_TEMPLATE_V2.format(tenant_id))
    return frozenset(issuers)


def token_problem(claims: Mapping[str, Any], *, tenant_id: str) -> str | None:
    """What is wrong with a signature-verified token's claims, or ``None`` if nothing is."""
    issuer = claims.get(AuthenticationConstants.ISSUER_CLAIM)
    if not isinstance(issuer, str) or issuer not in accepted_issuers(tenant_id):
        return "Token issuer not accepted"
    if not isinstance(claims.get("exp"), int | float):
        return "Token has no expiry"
    if issuer == BOT_FRAMEWORK_ISSUER and not isinstance(claims.get("serviceurl"), str):
        return "Token has no serviceurl claim"
    return None


def activity_problem(
    claims: Mapping[str, Any], activity: Mapping[str, Any], *, tenant_id: str
) -> str | None:
    """What about ``activity`` its (verified) token does not vouch for, or ``None``."""
    claimed = claims.get("serviceurl")
    if isinstance(claimed, str) and not _same_url(claimed, str(activity.get("serviceUrl") or "")):
        return "Service URL does not match the token's serviceurl claim"
    if tenant_id.lower() in _ANY_TENANT:
        return None
    named = activity_tenants(activity)
    if not named and activity.get("channelId") != "msteams":
        return None  # channels other than Teams (Web Chat) carry no tenant at all
    if not named or any(t.lower() != tenant_id.lower() for t in named):
        return "Activity is not from the configured tenant"
    return None


def activity_tenants(activity: Mapping[str, Any]) -> tuple[str, ...]:
    """Every tenant id an activity names: ``channelData.tenant.id``, ``conversation.tenantId``."""
    channel_data = activity.get("channelData")
    tenant = channel_data.get("tenant") if isinstance(channel_data, Mapping) else None
    conversation = activity.get("conversation")
    found = (
        tenant.get("id") if isinstance(tenant, Mapping) else None,
        conversation.get("tenantId") if isinstance(conversation, Mapping) else None,
    )
    return tuple(t for t in found if isinstance(t, str) and t)


def _same_url(a: str, b: str) -> bool:
    return a.rstrip("/").lower() == b.rstrip("/").lower()
