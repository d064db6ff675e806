"""Issue 9, item 1: ``/api/messages`` is shut without credentials, and nothing we send follows
a redirect.

The attack: with no Teams credentials (a Slack-only deployment), anyone could post an activity
naming a loopback ``serviceUrl`` and a victim's ``from.id``; with ``deliveryMode:
"expectReplies"`` the victim's decrypted journal came back in the HTTP response. Now the door
answers 401 unless ``TEAMS_ALLOW_ANONYMOUS=1`` asks for the local mode, ``expectReplies`` is a
400 in every mode, and the Bot Connector client, Teams file uploads and Slack ``response_url``
posts refuse redirects.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.teams import files
from tests.adapters.slack.harness import BOT_TOKEN, SIGNING_SECRET, slack_server
from tests.adapters.teams.harness import MEGAN, payload
from tests.adapters.teams.test_auth import CLIENT_ID, TEAMS_SERVICE_URL, TENANT_ID, _jwks, _token
from tests.fakes.bot_connector import FakeBotConnector
from tests.security.canaries import DATA_KEY
from tests.security.served import Redirector, whole_app

NOTE = "Victim's note: I nearly resigned after the Tuesday board"
SETTINGS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # A Slack-only deployment: Slack is configured, Teams is not.
    return {
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "COACH_DATA_KEY": DATA_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'door.db'}",
        **extra,
    }


def _activity(service_url: str, text: str, **changes: Any) -> dict[str, Any]:
    body = payload("personal_message", service_url=service_url, text=text, **changes)
    body["from"] = {"id": MEGAN, "name": "Megan Bowen"}
    return body


async def _post(url: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{url}/api/messages", json=body, headers=headers or {}) as response,
    ):
        return response.status, await response.text()


async def _victim_writes_a_note(tmp_path: Path, connector: FakeBotConnector) -> None:
    """The victim's journal, written through the (explicitly) anonymous local mode."""
    async with whole_app(_env(tmp_path, TEAMS_ALLOW_ANONYMOUS="1")) as url:
        status, _ = await _post(url, _activity(connector.url, f"journal add {NOTE}", id="w1"))
        assert status in (200, 202)
        status, _ = await _post(url, _activity(connector.url, "journal", id="w2"))
        assert status in (200, 202)
    assert NOTE in json.dumps(connector.activities())  # the note is there to be stolen


def test_without_credentials_every_teams_request_is_refused(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector:
            await _victim_writes_a_note(tmp_path, connector)
            before = len(connector.received)
            async with whole_app(_env(tmp_path)) as url:
                attacks = [
                    _activity(connector.url, "journal", id="a1", deliveryMode="expectReplies"),
                    _activity(connector.url, "journal", id="a2"),
                    _activity(connector.url, "journal add planted", id="a3"),
                    _activity(connector.url, "", id="a4", value={"action_id": "forget.confirm"}),
                ]
                for body in attacks:
                    status, text = await _post(url, body)
                    assert status == 401, (body["id"], status, text)
                    assert NOTE not in text
            assert connector.received[before:] == []  # the bot said nothing to anyone

    asyncio.run(scenario())


def test_expect_replies_is_refused_in_anonymous_mode(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector:
            await _victim_writes_a_note(tmp_path, connector)
            before = len(connector.received)
            async with whole_app(_env(tmp_path, TEAMS_ALLOW_ANONYMOUS="1")) as url:
                body = _activity(connector.url, "journal", id="x1", deliveryMode="expectReplies")
                status, text = await _post(url, body)
                assert status == 400, (status, text)
                assert NOTE not in text
                assert "expectReplies" in text
            assert connector.received[before:] == []

    asyncio.run(scenario())


def test_expect_replies_is_refused_with_a_valid_token(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector:
            connector.jwks = _jwks()
            env = _env(
                tmp_path,
                TEAMS_JWKS_URL=f"{connector.url}jwks",
                **{
                    SETTINGS + "CLIENTID": CLIENT_ID,
                    SETTINGS + "CLIENTSECRET": "not-a-real-secret",
                    SETTINGS + "TENANTID": TENANT_ID,
                },
            )
            async with whole_app(env) as url:
                body = _activity(TEAMS_SERVICE_URL, "journal", deliveryMode="expectReplies")
                status, text = await _post(url, body, {"Authorization": f"Bearer {_token()}"})
                assert status == 400, (status, text)

    asyncio.run(scenario())


def test_the_bot_connector_client_does_not_follow_redirects(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, Redirector(connector.url) as redirector:
            async with whole_app(_env(tmp_path, TEAMS_ALLOW_ANONYMOUS="1")) as url:
                # Positive control: a real serviceUrl gets the answer.
                status, _ = await _post(url, _activity(connector.url, "contact Leeds", id="c1"))
                assert status in (200, 202)
                assert len(connector.activities()) == 1
                status, _ = await _post(url, _activity(redirector.url, "contact Leeds", id="c2"))
                assert status == 502
            assert redirector.hits  # the bot did post to the address it was given...
            assert len(connector.activities()) == 1  # ...and went no further

    asyncio.run(scenario())


def test_teams_file_uploads_do_not_follow_redirects() -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, Redirector(connector.url) as redirector:
            await files.upload(connector.upload_url("control.md"), b"positive control")
            assert len(connector.requests("upload")) == 1
            with pytest.raises(aiohttp.ClientResponseError):
                await files.upload(f"{redirector.url}upload/journal.md", b"private journal")
            assert redirector.hits == ["/upload/journal.md"]
            assert len(connector.requests("upload")) == 1

    asyncio.run(scenario())


def test_slack_response_url_posts_do_not_follow_redirects(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with slack_server(tmp_path) as server:
            fake = server.fake
            # Positive control: a stateful command is answered through its response_url.
            assert (await server.command("nudges", response_name="control")).status == 200
            await fake.wait_for("/response", within=10)
            redirecting = fake.response_url("r1").replace("/response/", "/redirect/")
            answer = await server.command("nudges", response_url=redirecting)
            assert answer.status == 200
            await fake.wait_for("/redirect", within=10)
            await fake.quiet()
            assert [r.url for r in fake.received("/response")] == [fake.response_url("control")]

    asyncio.run(scenario())
