"""Issue 9, item 2: with credentials configured, tokens and activities are checked fully.

Before, the Agents SDK accepted (signature and audience being right) a token with any issuer,
with another tenant's Entra v1 issuer, with no ``exp``, or with no ``serviceurl`` claim; and
an activity from another tenant, or naming another ``serviceUrl`` on the same host. Each
token here is signed with the test's own RSA key and checked against a local JWKS, as the
other token tests do.

How a case is told apart: a token that passes authentication meets the body check next, so
posting ``{}`` with it gives 400 while a refused token gives 401. Activity checks post a
``typing`` activity (the bot sends nothing for it): refused, it is a 401; admitted, the SDK
starts the turn by fetching an outgoing token from Entra, which a test cannot reach (no test
leaves the machine), so the admitted control ends in a 502, "could not reply".
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import aiohttp
import jwt
import pytest

from tests.adapters.teams.harness import payload
from tests.adapters.teams.test_auth import (
    _TRUSTED,
    CLIENT_ID,
    TEAMS_SERVICE_URL,
    TENANT_ID,
    TRUSTED_KID,
    _jwks,
    _token,
)
from tests.fakes.bot_connector import FakeBotConnector
from tests.security.served import whole_app

SETTINGS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
OTHER_TENANT = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
BOT_FRAMEWORK = "https://api.botframework.com"
V1 = "https://sts.windows.net/{}/"
V2 = "https://login.microsoftonline.com/{}/v2.0"


def _env(tmp_path: Path, jwks_url: str) -> dict[str, str]:
    return {
        SETTINGS + "CLIENTID": CLIENT_ID,
        SETTINGS + "CLIENTSECRET": "not-a-real-secret",
        SETTINGS + "TENANTID": TENANT_ID,
        "TEAMS_JWKS_URL": jwks_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tokens.db'}",
    }


def _without(claim: str) -> str:
    """A token like :func:`_token`'s, minus one claim (still correctly signed)."""
    now = int(time.time())
    body = {
        "iss": BOT_FRAMEWORK,
        "aud": CLIENT_ID,
        "nbf": now - 60,
        "exp": now + 3600,
        "serviceurl": TEAMS_SERVICE_URL,
    }
    del body[claim]
    return jwt.encode(body, _TRUSTED, algorithm="RS256", headers={"kid": TRUSTED_KID})


async def _status(url: str, token: str, body: Any) -> int:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{url}/api/messages", data=data, headers=headers) as response,
    ):
        return response.status


def _run(tmp_path: Path, check: Any) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector:
            connector.jwks = _jwks()
            async with whole_app(_env(tmp_path, f"{connector.url}jwks")) as url:
                await check(url)
            assert connector.activities() == []

    asyncio.run(scenario())


TOKENS = {
    "any issuer": lambda: _token(iss="https://issuer.example/"),
    "another tenant's v1 issuer": lambda: _token(iss=V1.format(OTHER_TENANT), tid=OTHER_TENANT),
    "another tenant's v2 issuer": lambda: _token(iss=V2.format(OTHER_TENANT), tid=OTHER_TENANT),
    "no exp": lambda: _without("exp"),
    "no serviceurl": lambda: _without("serviceurl"),
}


@pytest.mark.parametrize("case", sorted(TOKENS))
def test_bad_tokens_are_refused(tmp_path: Path, case: str) -> None:
    async def check(url: str) -> None:
        assert await _status(url, TOKENS[case](), b"{}") == 401, case
        # Positive control: the Bot Framework's own token gets past authentication.
        assert await _status(url, _token(), b"{}") == 400

    _run(tmp_path, check)


@pytest.mark.parametrize(
    "issuer",
    [BOT_FRAMEWORK, V1.format(TENANT_ID), V2.format(TENANT_ID)],
    ids=["bot-framework", "tenant-v1", "tenant-v2"],
)
def test_the_accepted_issuers_get_past_authentication(tmp_path: Path, issuer: str) -> None:
    async def check(url: str) -> None:
        assert await _status(url, _token(iss=issuer, tid=TENANT_ID), b"{}") == 400

    _run(tmp_path, check)


def _typing(**changes: Any) -> dict[str, Any]:
    body = payload("personal_message", service_url=TEAMS_SERVICE_URL)
    body.update(type="typing", text="")
    body.update(changes)
    return body


def test_activities_the_token_does_not_vouch_for_are_refused(tmp_path: Path) -> None:
    other = {"tenantId": OTHER_TENANT}

    async def check(url: str) -> None:
        good = _token()
        assert await _status(url, good, _typing(id="ok")) == 502  # admitted: see the docstring
        refused = {
            "another tenant": _typing(
                id="t1",
                channelData={"tenant": {"id": OTHER_TENANT}},
                conversation=_typing()["conversation"] | other,
            ),
            "tenant only in conversation": _typing(
                id="t2", channelData={}, conversation=_typing()["conversation"] | other
            ),
            "no tenant on Teams": _typing(
                id="t3",
                channelData={},
                conversation={
                    k: v for k, v in _typing()["conversation"].items() if k != "tenantId"
                },
            ),
            "another serviceUrl on the same host": _typing(
                id="t4", serviceUrl="https://smba.trafficmanager.net/emea/"
            ),
        }
        for case, body in refused.items():
            assert await _status(url, good, body) == 401, case

    _run(tmp_path, check)
