"""Issue 9, item 7: ``coach serve`` in Socket Mode, started exactly as the README says.

``SLACK_APP_TOKEN=xapp-… SLACK_BOT_TOKEN=xoxb-… coach serve --no-clock`` used to exit 1 with
"no running event loop" (the Socket Mode handler was built before aiohttp started its loop);
the in-process tests built it inside a running loop and passed. Here the real command runs as
a subprocess against the fake Slack API, whose ``apps.connections.open`` hands out a local
WebSocket; a slash command envelope goes down it and the answer must come back in the ack.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.slack.harness import all_text, payload
from tests.fakes.slack_api import FakeSlackApi
from tests.faults.harness import coach_serve, serve_env

# Starts `coach serve` (and, here and there, other processes).
pytestmark = pytest.mark.slow


async def test_coach_serve_answers_a_slash_command_over_socket_mode(tmp_path: Path) -> None:
    async with FakeSlackApi() as fake:
        env = serve_env(database_url=f"sqlite:///{tmp_path / 'socket.db'}", slack_api=fake.api_url)
        # The README's Socket Mode set-up: an app token and a bot token, no signing secret.
        del env["SLACK_SIGNING_SECRET"]
        env.update(SLACK_APP_TOKEN="xapp-1-x", SLACK_BOT_TOKEN="xoxb-x")
        async with coach_serve(env, tmp_path) as served:
            await fake.wait_for_socket(within=20)
            [opened] = fake.received("/apps.connections.open")
            assert opened.token == "xapp-1-x"
            command = payload("slash_command") | {
                "text": "behaviours resilience",
                "response_url": fake.response_url("socket"),
            }
            ack = await fake.send_envelope(
                envelope_type="slash_commands", payload=command, within=20
            )
            message = ack["payload"]
            assert "Patience, persistence and resilience" in all_text(message["blocks"])
            assert served.process.poll() is None
            assert "As you gave `client` as well" not in served.log()
            assert "Traceback" not in served.log()
