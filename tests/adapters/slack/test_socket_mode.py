"""Socket Mode: the same listeners, reached over a WebSocket the app opens to (fake) Slack."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.slack.harness import all_text, payload, serve
from tests.fakes.slack_api import FakeSlackApi


async def test_commands_and_events_arrive_over_the_socket(tmp_path: Path) -> None:
    async with FakeSlackApi() as fake:
        env = {
            "SLACK_APP_TOKEN": "xapp-test",
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'socket.db'}",
        }
        async with serve(env, fake=fake) as server:
            [opened] = fake.received("/apps.connections.open")
            assert opened.token == "xapp-test"

            command = payload("slash_command") | {"response_url": fake.response_url("socket")}
            ack = await fake.send_envelope(envelope_type="slash_commands", payload=command)
            assert ack["envelope_id"]
            # The answer rides on the acknowledgement, as over HTTP: no response_url post.
            message = ack["payload"]
            assert message["response_type"] == "ephemeral"
            assert "Patience, persistence and resilience" in all_text(message["blocks"])
            assert "Patience, persistence and resilience" in message["text"]

            await fake.send_envelope(envelope_type="events_api", payload=payload("message_im"))
            [post] = await fake.wait_for("/chat.postMessage")
            assert "Carers are identified, supported and involved" in all_text(post.body["blocks"])

            assert fake.received("/response") == []

            # No signing secret: the HTTP endpoint says where requests are expected instead.
            async with server.session.post(server.url + "/slack/events", data="{}") as http:
                assert http.status == 503
                assert "Socket Mode" in (await http.json())["error"]


async def test_run_socket_mode_serves_without_a_web_server(tmp_path: Path) -> None:
    import asyncio
    import contextlib

    from app.socket_mode import run_socket_mode
    from tests.adapters.slack.harness import coach

    async with FakeSlackApi() as fake:
        env = {
            "SLACK_APP_TOKEN": "xapp-test",
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'socket.db'}",
        }
        task = asyncio.create_task(run_socket_mode(coach=coach(), env=env))
        try:
            mention = payload("app_mention")
            await fake.send_envelope(envelope_type="events_api", payload=mention)
            [post] = await fake.wait_for("/chat.postMessage")
            assert "Yorkshire and the Humber" in all_text(post.body["blocks"])
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
