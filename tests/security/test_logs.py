"""No secret, token or reflection ever reaches the logs, in this process or from ``coach serve``.

Every flow runs with distinctive dummy secrets (the Slack signing secret and bot token, the
Teams client secret, ``COACH_DATA_KEY``) and distinctive reflections, while every log record
is captured at DEBUG (root logger, and any logger that does not propagate); the subprocess
test captures the whole stdout and stderr of ``coach serve`` and ``coach nudges send-due`` run
with ``LOG_LEVEL=DEBUG``. Then none of the canaries may appear. Requests that are refused
(a forged Slack signature, a missing or forged Teams token) carry the canaries too: an error
path that quotes the body or the header would leak them.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import jwt
import pytest
from aiohttp import web

from adapters.store.db import make_engine
from app.delivery.messengers import close_all, messengers_from_env
from app.delivery.send import send_due
from app.serve import COACH_KEY, build
from app.wiring import build_coach
from tests.adapters.slack.harness import SlackServer, sign
from tests.adapters.teams.harness import serve as serve_teams
from tests.adapters.teams.test_auth import CLIENT_ID, TENANT_ID, _jwks, _token
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.security.canaries import (
    BOT_TOKEN,
    CLIENT_SECRET,
    DATA_KEY,
    REFLECTION,
    SIGNING_SECRET,
    TEAMS_REFLECTION,
    every_log_record,
    leaks,
)
from tests.security.flows import next_monday_0900_30, slack_flow, teams_flow

ROOT = Path(__file__).resolve().parents[2]
TEAMS_SETTINGS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


def _settings(fake: FakeSlackApi, connector: FakeBotConnector, database: str) -> dict[str, str]:
    return {
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": fake.api_url,
        TEAMS_SETTINGS + "CLIENTID": CLIENT_ID,
        TEAMS_SETTINGS + "CLIENTSECRET": CLIENT_SECRET,
        TEAMS_SETTINGS + "TENANTID": TENANT_ID,
        "TEAMS_JWKS_URL": f"{connector.url}jwks",
        "COACH_DATA_KEY": DATA_KEY,
        "DATABASE_URL": database,
    }


async def _refused_requests(url: str, session: aiohttp.ClientSession, connector: str) -> None:
    """Requests that must be refused, each carrying canaries in its body or headers."""
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0001",
            "event_id": "EvCANARY",
            "event": {"type": "message", "channel_type": "im", "text": REFLECTION},
        }
    ).encode()
    ts = str(int(time.time()))
    forged = sign(body, timestamp=ts, secret="the-wrong-secret")
    async with session.post(
        url + "/slack/events",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": forged,
        },
    ) as response:
        assert response.status == 401
    activity: dict[str, Any] = {
        "type": "message",
        "id": "canary",
        "text": TEAMS_REFLECTION,
        "serviceUrl": connector,
        "conversation": {"id": "a:1"},
        "from": {"id": "29:x"},
        "recipient": {"id": "28:bot"},
        "channelId": "msteams",
    }
    # No token; a token signed by someone else that names the client secret; a well-formed
    # token for a serviceUrl the host validator refuses (it reaches the SDK's validation).
    forged_token = jwt.encode({"secret": CLIENT_SECRET}, "k" * 32, algorithm="HS256")
    for headers in (
        {},
        {"Authorization": f"Bearer {forged_token}"},
        {"Authorization": f"Bearer {CLIENT_SECRET}"},
        {"Authorization": f"Bearer {_token(serviceurl=connector)}"},
    ):
        async with session.post(url + "/api/messages", json=activity, headers=headers) as answer:
            assert answer.status == 401, (headers, await answer.text())


def _assert_captured_and_clean(text: str, *, expect: str) -> None:
    # A capture that saw nothing would pass vacuously: it must hold the run's own records.
    assert expect in text, text[-3000:]
    assert len(text.splitlines()) > 30, text
    assert leaks(text) == [], [line for line in text.splitlines() if leaks(line)][:20]


@asynccontextmanager
async def _app(env: dict[str, str], fake: FakeSlackApi) -> AsyncIterator[SlackServer]:
    app = build(clock=False, env=env)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        async with aiohttp.ClientSession() as session:
            yield SlackServer(url=url, fake=fake, session=session, env=env, app=app)
    finally:
        await runner.cleanup()


def test_in_process_flows_log_no_secret_and_no_reflection(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeSlackApi() as fake, FakeBotConnector() as connector:
            connector.jwks = _jwks()
            env = _settings(fake, connector, f"sqlite:///{tmp_path / 'logs.db'}")
            async with _app(env, fake) as server:

                async def deliver() -> None:
                    engine = make_engine(env["DATABASE_URL"])
                    messengers = messengers_from_env(env, engine=engine, platforms=["slack"])
                    try:
                        report = await send_due(
                            next_monday_0900_30(),
                            engine=engine,
                            messengers=messengers,
                            content=server.app[COACH_KEY].content,
                        )
                    finally:
                        await close_all(messengers)
                        engine.dispose()
                    assert report.as_dict()["sent"] == 1

                await slack_flow(server, deliver=deliver)
                await _refused_requests(server.url, server.session, connector.url)

        teams_env = {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'teams.db'}",
            "COACH_DATA_KEY": DATA_KEY,
        }
        async with (
            FakeBotConnector() as connector,
            serve_teams(build_coach(env=teams_env), teams_env) as teams,
        ):
            await teams_flow(teams, connector)

    with every_log_record() as captured:
        asyncio.run(scenario())
    _assert_captured_and_clean(captured.getvalue(), expect="DEBUG microsoft_agents")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _process_env(settings: dict[str, str]) -> dict[str, str]:
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "CONNECTIONS__", "COACH_", "TEAMS_", "DATABASE_URL"))
    }
    return (
        inherited
        | settings
        | {
            "HOST": "127.0.0.1",
            "LOG_LEVEL": "DEBUG",
            "PYTHONPATH": str(ROOT),
        }
    )


async def _run(args: list[str], env: dict[str, str], output: Path, *, within: float) -> int:
    with output.open("ab") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "app.cli", *args, cwd=ROOT, env=env, stdout=sink, stderr=sink
        )
        try:
            return await asyncio.wait_for(process.wait(), within)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


@pytest.mark.timeout(90)
def test_coach_serve_and_send_due_at_debug_print_no_secret_and_no_reflection(
    tmp_path: Path,
) -> None:
    output = tmp_path / "output.log"

    async def scenario() -> None:
        async with FakeSlackApi() as fake, FakeBotConnector() as connector:
            connector.jwks = _jwks()
            env = _process_env(_settings(fake, connector, f"sqlite:///{tmp_path / 'serve.db'}"))
            port = _free_port()
            with output.open("ab") as sink:
                process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "app.cli",
                    "serve",
                    "--port",
                    str(port),
                    "--no-clock",
                    cwd=ROOT,
                    env=env,
                    stdout=sink,
                    stderr=sink,
                )
            url = f"http://127.0.0.1:{port}"
            try:
                async with aiohttp.ClientSession() as session:
                    deadline = time.monotonic() + 30
                    while True:
                        try:
                            async with session.get(url + "/healthz") as health:
                                if health.status == 200:
                                    break
                        except aiohttp.ClientConnectionError:
                            pass
                        assert process.returncode is None, output.read_text()[-3000:]
                        assert time.monotonic() < deadline, "coach serve did not start"
                        await asyncio.sleep(0.1)
                    server = SlackServer(
                        url=url, fake=fake, session=session, env=env, app=web.Application()
                    )

                    async def deliver() -> None:
                        args = ["nudges", "send-due", "--now", next_monday_0900_30().isoformat()]
                        assert await _run(args, env, output, within=60) == 0

                    await slack_flow(server, deliver=deliver)
                    await _refused_requests(url, session, connector.url)
            finally:
                if process.returncode is None:
                    process.terminate()
                    try:
                        await asyncio.wait_for(process.wait(), 15)
                    except TimeoutError:
                        process.kill()
                        await process.wait()

    asyncio.run(scenario())
    _assert_captured_and_clean(output.read_text(errors="replace"), expect="DEBUG")
