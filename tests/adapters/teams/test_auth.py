"""With credentials configured, /api/messages needs a valid token: 401 otherwise, never 500.

Tokens are signed with RSA keys made here. The fake connector publishes the trusted key's
JWKS and the server fetches it there (``TEAMS_JWKS_URL``), so validation runs the SDK's real
signature, audience and expiry checks without leaving the machine.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.coach import Coach
from tests.adapters.teams.harness import payload, serve
from tests.fakes.bot_connector import FakeBotConnector

CLIENT_ID = "9f0c7d4e-5b1a-4c3d-8e2f-1a2b3c4d5e6f"
TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
TRUSTED_KID = "trusted-key"
TEAMS_SERVICE_URL = "https://smba.trafficmanager.net/uk/"

_TRUSTED = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_FORGER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwks() -> dict[str, Any]:
    key = json.loads(RSAAlgorithm.to_jwk(_TRUSTED.public_key()))
    key.update({"kid": TRUSTED_KID, "use": "sig", "alg": "RS256"})
    return {"keys": [key]}


def _token(
    *, key: rsa.RSAPrivateKey = _TRUSTED, kid: str | None = TRUSTED_KID, **claims: Any
) -> str:
    now = int(time.time())
    body = {
        "iss": "https://api.botframework.com",
        "aud": CLIENT_ID,
        "nbf": now - 60,
        "exp": now + 3600,
        "serviceurl": TEAMS_SERVICE_URL,
        **claims,
    }
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(body, key, algorithm="RS256", headers=headers)


@pytest.fixture
def secured_env(tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}",
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": CLIENT_ID,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "not-a-real-secret",
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": TENANT_ID,
    }


def _check(coach: Coach, env: dict[str, str], headers: dict[str, str] | None, status: int) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector:
            connector.jwks = _jwks()
            async with serve(coach, {**env, "TEAMS_JWKS_URL": f"{connector.url}jwks"}) as server:
                body = payload("personal_message", service_url=TEAMS_SERVICE_URL)
                got, answer = await server.post(body, headers=headers)
                assert got == status
                assert "error" in answer
                assert connector.activities() == []  # nothing was answered

    asyncio.run(scenario())


def test_no_token_gets_401(coach: Coach, secured_env: dict[str, str]) -> None:
    _check(coach, secured_env, None, 401)


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", "bearer not.a.jwt", "Bearer " + "x" * 5000],
)
def test_malformed_authorization_gets_401(
    coach: Coach, secured_env: dict[str, str], header: str
) -> None:
    _check(coach, secured_env, {"Authorization": header}, 401)


def test_forged_token_gets_401(coach: Coach, secured_env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector:
            connector.jwks = _jwks()
            env = {**secured_env, "TEAMS_JWKS_URL": f"{connector.url}jwks"}
            async with serve(coach, env) as server:
                forged = _token(key=_FORGER)  # same kid and claims, the wrong key
                body = payload("personal_message", service_url=TEAMS_SERVICE_URL)
                status, _ = await server.post(body, headers={"Authorization": f"Bearer {forged}"})
                assert status == 401
                # The keys were fetched: the signature check itself refused the token.
                assert connector.requests("jwks")
                assert connector.activities() == []

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "00000000-0000-0000-0000-000000000000"},  # another bot's token
        {"exp": int(time.time()) - 3600, "nbf": int(time.time()) - 7200},  # expired
        {"aud": [CLIENT_ID]},  # array audiences are not accepted
    ],
)
def test_valid_signature_with_wrong_claims_gets_401(
    coach: Coach, secured_env: dict[str, str], claims: dict[str, Any]
) -> None:
    _check(coach, secured_env, {"Authorization": f"Bearer {_token(**claims)}"}, 401)


def test_token_without_key_id_gets_401_not_500(coach: Coach, secured_env: dict[str, str]) -> None:
    _check(coach, secured_env, {"Authorization": f"Bearer {_token(kid=None)}"}, 401)


def test_token_for_another_service_url_gets_401(coach: Coach, secured_env: dict[str, str]) -> None:
    """A genuine token replayed with an activity pointing our reply (and token) elsewhere."""

    async def scenario() -> None:
        async with FakeBotConnector() as connector:
            connector.jwks = _jwks()
            env = {**secured_env, "TEAMS_JWKS_URL": f"{connector.url}jwks"}
            async with serve(coach, env) as server:
                body = payload("personal_message", service_url=connector.url)
                status, answer = await server.post(
                    body, headers={"Authorization": f"Bearer {_token()}"}
                )
                assert status == 401
                assert "Service URL" in answer["error"]
                assert connector.activities() == []

    asyncio.run(scenario())


def test_bad_body_with_valid_token_is_400_and_without_token_is_401(
    coach: Coach, secured_env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector:
            connector.jwks = _jwks()
            env = {**secured_env, "TEAMS_JWKS_URL": f"{connector.url}jwks"}
            async with serve(coach, env) as server:
                good = {"Authorization": f"Bearer {_token()}"}
                assert (await server.post(None, raw=b"{oops", headers=good))[0] == 400
                # Unauthenticated callers learn nothing about what a valid body looks like.
                assert (await server.post(None, raw=b"{oops"))[0] == 401

    asyncio.run(scenario())
