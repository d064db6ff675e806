"""Slack signatures and Teams tokens are enforced whenever credentials are configured.

The adapters' suites test each check on its own mount; these run the whole app as ``coach
serve`` builds it, in every configuration an operator might leave it in (one platform, both,
Slack by OAuth, Teams with only some credentials set), and try each platform's door with
nothing, with garbage, and with the other platform's credentials. A positive control in each
case shows the door opens for a correctly signed request, so a 401 means "refused", not
"broken".
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
from aiohttp import web

from app.serve import build
from tests.adapters.slack.harness import BOT_TOKEN, SIGNING_SECRET, payload, sign
from tests.adapters.teams.test_auth import _FORGER, CLIENT_ID, TENANT_ID, _jwks, _token
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.security.canaries import CLIENT_SECRET

TEAMS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
SLACK_SINGLE = {"SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_BOT_TOKEN": BOT_TOKEN}
SLACK_OAUTH = {
    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    "SLACK_CLIENT_ID": "111.222",
    "SLACK_CLIENT_SECRET": "slack-client-secret",
}
TEAMS_FULL = {
    TEAMS + "CLIENTID": CLIENT_ID,
    TEAMS + "CLIENTSECRET": CLIENT_SECRET,
    TEAMS + "TENANTID": TENANT_ID,
}


async def _post(
    session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]
) -> int:
    async with session.post(url, data=body, headers=headers) as response:
        return response.status


async def _slack_door(session: aiohttp.ClientSession, url: str, *, open_status: int) -> None:
    body = json.dumps(payload("url_verification")).encode()
    now = str(int(time.time()))
    stale = str(int(time.time()) - 600)
    json_type = {"Content-Type": "application/json"}
    refused = [
        {},
        {"X-Slack-Request-Timestamp": now},
        {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=" + "0" * 64},
        {
            "X-Slack-Request-Timestamp": now,
            "X-Slack-Signature": sign(body, timestamp=now, secret=CLIENT_SECRET),
        },
        {"X-Slack-Request-Timestamp": stale, "X-Slack-Signature": sign(body, timestamp=stale)},
        {"Authorization": f"Bearer {_token()}"},  # a valid Teams token opens no Slack door
    ]
    for headers in refused:
        status = await _post(session, url + "/slack/events", body, json_type | headers)
        assert status == 401, (headers, status)
    good = {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": sign(body, timestamp=now)}
    assert await _post(session, url + "/slack/events", body, json_type | good) == open_status


async def _teams_door(
    session: aiohttp.ClientSession, url: str, connector: str, *, can_open: bool
) -> None:
    body = json.dumps(
        {
            "type": "message",
            "id": "auth-1",
            "text": "behaviours resilience",
            "serviceUrl": connector,
            "channelId": "msteams",
            "conversation": {"id": "a:1"},
            "from": {"id": "29:x"},
            "recipient": {"id": "28:bot"},
        }
    ).encode()
    now = str(int(time.time()))
    json_type = {"Content-Type": "application/json"}
    expired = _token(exp=int(time.time()) - 3600, nbf=int(time.time()) - 7200)
    refused: list[dict[str, Any]] = [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": f"Bearer {CLIENT_SECRET}"},
        {"Authorization": f"Bearer {_token(key=_FORGER)}"},
        {"Authorization": f"Bearer {_token(aud='someone-else')}"},
        {"Authorization": f"Bearer {expired}"},
        {"Authorization": "Bearer " + jwt.encode({"aud": CLIENT_ID}, "x" * 32, algorithm="HS256")},
        # Slack's signature opens no Teams door.
        {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": sign(body, timestamp=now)},
    ]
    for headers in refused:
        status = await _post(session, url + "/api/messages", body, json_type | headers)
        assert status == 401, (headers, status)
    # Positive control: a valid token gets past authentication to the body check (a 400 for
    # a body with no type; a real message would make the SDK fetch an outgoing token).
    # Without a client id no audience can match, so even that token is refused: fail closed.
    good = {"Authorization": f"Bearer {_token()}"}
    status = await _post(session, url + "/api/messages", b"{}", json_type | good)
    assert status == (400 if can_open else 401)


@pytest.mark.parametrize(
    ("slack", "teams", "slack_open"),
    [
        pytest.param(SLACK_SINGLE, {}, 200, id="slack-only"),
        pytest.param({}, TEAMS_FULL, None, id="teams-only"),
        pytest.param(SLACK_SINGLE, TEAMS_FULL, 200, id="both"),
        pytest.param(SLACK_OAUTH, TEAMS_FULL, 200, id="slack-oauth-and-teams"),
        pytest.param(SLACK_SINGLE, {TEAMS + "CLIENTID": CLIENT_ID}, 200, id="teams-client-id-only"),
        pytest.param(
            SLACK_SINGLE, {TEAMS + "CLIENTSECRET": CLIENT_SECRET}, 200, id="teams-secret-only"
        ),
    ],
)
def test_configured_credentials_are_always_enforced(
    tmp_path: Path, slack: dict[str, str], teams: dict[str, str], slack_open: int | None
) -> None:
    async def scenario() -> None:
        async with FakeSlackApi() as fake, FakeBotConnector() as connector:
            connector.jwks = _jwks()
            env = {
                "SLACK_API_URL": fake.api_url,
                "TEAMS_JWKS_URL": f"{connector.url}jwks",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'auth.db'}",
                **slack,
                **teams,
            }
            runner = web.AppRunner(build(clock=False, env=env), access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            url = f"http://127.0.0.1:{runner.addresses[0][1]}"
            try:
                async with aiohttp.ClientSession() as session:
                    if slack_open is not None:
                        await _slack_door(session, url, open_status=slack_open)
                    else:  # Slack not configured: the door is shut for everyone
                        body = json.dumps(payload("url_verification")).encode()
                        now = str(int(time.time()))
                        headers = {
                            "X-Slack-Request-Timestamp": now,
                            "X-Slack-Signature": sign(body, timestamp=now),
                        }
                        assert await _post(session, url + "/slack/events", body, headers) == 503
                    if teams:
                        await _teams_door(
                            session, url, connector.url, can_open=TEAMS + "CLIENTID" in teams
                        )
                await fake.settle(0.2)
                assert fake.requests == [] or all(r.path == "/auth.test" for r in fake.requests)
                assert connector.activities() == []
            finally:
                await runner.cleanup()

    asyncio.run(scenario())
