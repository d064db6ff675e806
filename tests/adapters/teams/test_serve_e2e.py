"""End to end: ``coach serve`` in its own process, with no Teams credentials set."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.adapters.teams.harness import card_text, payload
from tests.fakes.bot_connector import FakeBotConnector

# Variables a developer's shell might have that would change what the server does.
_SCRUB = ("CONNECTIONS__", "SLACK_", "TEAMS_", "DATABASE_URL", "PORT")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def coach_serve(tmp_path: Path) -> Iterator[str]:
    """``coach serve`` on a free port; yields its base URL."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB)}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'coach.db'}", HOST="127.0.0.1")
    command = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--no-clock"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "ANONYMOUS" in output  # the start-up warning about running without credentials


def test_coach_serve_answers_teams_and_rejects_malformed_bodies(coach_serve: str) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, aiohttp.ClientSession() as http:
            endpoint = f"{coach_serve}/api/messages"

            async def post(body: dict[str, object]) -> int:
                async with http.post(endpoint, json=body) as response:
                    return response.status

            assert (
                await post(payload("conversation_update_bot_added", service_url=connector.url))
                == 202
            )
            assert await post(payload("personal_message", service_url=connector.url)) == 202
            assert await post(payload("channel_mention", service_url=connector.url)) == 202
            welcome, resilience, leeds = connector.activities()
            assert "help" in card_text(welcome)
            assert "Patience, persistence and resilience" in card_text(resilience)
            assert "Yorkshire and the Humber" in card_text(leeds)

            async with http.post(endpoint, data=b"{broken") as response:
                assert response.status == 400

    asyncio.run(scenario())
