"""The database unreachable at start-up and mid-run, through a real ``coach serve``.

Decision (see "Reliability" in README.md): ``coach serve`` starts anyway and says so in one log
line; stateless questions keep working; whatever needs storage answers "try again shortly";
and the schema and commands come back by themselves when the database does.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from tests.adapters.store.databases import pg_schema_url
from tests.adapters.teams.harness import card_text, payload
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.faults.harness import Proxy, coach_serve, free_port, serve_env

# Starts ``coach serve`` and takes its database away.
pytestmark = pytest.mark.slow

TRY_AGAIN = "try again shortly"


def _texts(fake: FakeSlackApi) -> list[str]:
    return [r.text_everywhere for r in fake.received("/response")]


async def _teams_says(
    http: aiohttp.ClientSession, url: str, connector: FakeBotConnector, text: str
) -> str:
    body = payload("personal_message", service_url=connector.url)
    body["text"] = text
    body["id"] = f"act{len(connector.activities())}"
    before = len(connector.activities())
    async with http.post(f"{url}/api/messages", json=body) as response:
        assert response.status == 202, await response.text()
    assert len(connector.activities()) == before + 1
    return card_text(connector.activities()[-1]) + str(connector.activities()[-1].get("text"))


def test_serve_starts_without_its_database_and_users_hear_try_again(tmp_path: Path) -> None:
    async def scenario() -> None:
        closed = free_port()
        async with FakeSlackApi() as fake, FakeBotConnector() as connector:
            env = serve_env(
                database_url=f"postgresql://postgres@127.0.0.1:{closed}/none",
                slack_api=fake.api_url,
            )
            async with coach_serve(env, tmp_path) as served, aiohttp.ClientSession() as http:
                # Stateless questions still work on both platforms.
                status, acked = await served.command(
                    http, "behaviours resilience", response_url=fake.response_url("a")
                )
                assert status == 200
                # Stateful ones answer politely instead of silence or a 500.
                assert (
                    await served.command(http, "nudges on", response_url=fake.response_url("b"))
                )[0] == 200
                # The stateless answer comes in the ack or through the response_url.
                await fake.wait_for("/response", count=1, within=10)
                await fake.quiet()
                texts = [acked, *_texts(fake)]
                assert any("resilience" in t.lower() for t in texts), texts
                assert any(TRY_AGAIN in t for t in texts), texts

                assert (
                    "resilience"
                    in (
                        await _teams_says(http, served.url, connector, "behaviours resilience")
                    ).lower()
                )
                assert TRY_AGAIN in await _teams_says(http, served.url, connector, "nudges on")
            log = served.log()
        assert "Traceback" not in log, log
        # One line says what is wrong, however many requests met the outage.
        assert log.count("database unreachable") == 1, log
        assert f"127.0.0.1:{closed}" in log or "refused" in log.lower(), log

    asyncio.run(scenario())


def test_database_lost_mid_run_then_back_loses_nothing(tmp_path: Path) -> None:
    async def scenario() -> None:
        with pg_schema_url() as url:
            proxy = Proxy()
            await proxy.restore()
            proxied = url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
            async with FakeSlackApi() as fake:
                env = serve_env(database_url=proxied, slack_api=fake.api_url)
                async with coach_serve(env, tmp_path) as served, aiohttp.ClientSession() as http:
                    assert (
                        await served.command(http, "nudges on", response_url=fake.response_url("1"))
                    )[0] == 200
                    await fake.wait_for("/response", count=1, within=10)
                    assert TRY_AGAIN not in _texts(fake)[-1]

                    await proxy.cut()
                    assert (
                        await served.command(http, "nudges", response_url=fake.response_url("2"))
                    )[0] == 200
                    await fake.wait_for("/response", count=2, within=15)
                    assert TRY_AGAIN in _texts(fake)[-1], _texts(fake)[-1]

                    await proxy.restore()
                    assert (
                        await served.command(http, "nudges", response_url=fake.response_url("3"))
                    )[0] == 200
                    await fake.wait_for("/response", count=3, within=15)
                    # The subscription made before the outage is still there.
                    back = _texts(fake)[-1]
                    assert TRY_AGAIN not in back, back
                    assert "off" in back.lower() or "stop" in back.lower(), back
                    await proxy.cut()
                log = served.log()
        assert "Traceback" not in log, log
        assert log.count("database unreachable") == 1, log
        assert "database reachable again" in log, log

    asyncio.run(scenario())
