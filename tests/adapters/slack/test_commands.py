"""/leadership over signed HTTP: acknowledged at once, answered ephemerally via response_url."""

from __future__ import annotations

import time
from pathlib import Path

from cryptography.fernet import Fernet

from adapters.runtime import build_coach
from tests.adapters.slack.harness import all_text, slack_server


async def test_behaviours_resilience_is_answered_with_the_resilience_row(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        answer = await server.command("behaviours resilience")
        assert (answer.status, answer.text) == (200, "")
        [response] = await server.fake.wait_for("/response")
        body = response.body
        assert body["response_type"] == "ephemeral"
        assert body["replace_original"] is False
        shown = all_text(body["blocks"])
        assert "Individual Effectiveness" in shown
        assert "Enabler role, holding people to account for the work" in shown
        assert "Patience, persistence and resilience" in shown
        assert "Patience, persistence and resilience" in body["text"]
        buttons = [
            e["action_id"] for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]
        ]
        assert "share" in buttons


async def test_principles_contact_and_help(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        await server.command("principles carers", response_name="principles")
        await server.command("contact Leeds", response_name="contact")
        await server.command("help", response_name="help")
        responses = await server.fake.wait_for("/response", count=3)
        by_url = {r.url.rsplit("/", 1)[-1]: all_text(r.body["blocks"]) for r in responses}
        assert "Carers are identified, supported and involved" in by_url["principles"]
        assert "Yorkshire and the Humber" in by_url["contact"]
        assert "0113 887 1660" in by_url["contact"]
        assert "behaviours" in by_url["help"]


async def test_the_ack_does_not_wait_for_slow_slack_calls(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        server.fake.hang_next("/users.info", seconds=1.5)
        started = time.monotonic()
        answer = await server.command("behaviours resilience")
        acked_after = time.monotonic() - started
        assert answer.status == 200
        assert acked_after < 1.0
        assert server.fake.received("/response") == []
        await server.fake.wait_for("/response", within=5)


async def test_nothing_a_user_types_can_ping_anyone(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        # What Slack sends when someone types these literally: the markup characters escaped...
        await server.command("&lt;!channel&gt; &lt;!here&gt; &amp; stuff", response_name="a")
        # ...and when they use a real @channel or @someone, Slack's own markup.
        await server.command("<!channel> <@U999> <!subteam^S1> contact Leeds", response_name="b")
        responses = await server.fake.wait_for("/response", count=2)
        for response in responses:
            # Everything Slack displays (button values are never shown, so cannot ping).
            sent = all_text(response.body["blocks"]) + response.body["text"]
            for ping in ("<!channel>", "<!here>", "<@U999>", "<!subteam"):
                assert ping not in sent
        first = next(r for r in responses if r.url.endswith("/a"))
        assert "&amp;" in all_text(first.body["blocks"])


async def test_the_timezone_comes_from_users_info_and_is_cached(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        await server.command("help", response_name="one")
        await server.command("help", response_name="two")
        await server.fake.wait_for("/response", count=2)
        [lookup] = server.fake.received("/users.info")
        assert lookup.body["user"] == "U2147483697"
        assert lookup.token == "xoxb-test"


async def test_nudges_on_uses_the_slack_timezone(tmp_path: Path) -> None:
    async with slack_server(tmp_path, timezones={"U2147483697": "Pacific/Auckland"}) as server:
        env = dict(server.env) | {"COACH_DATA_KEY": Fernet.generate_key().decode()}
        stateful = build_coach(env=env)
    async with slack_server(
        tmp_path, the_coach=stateful, timezones={"U2147483697": "Pacific/Auckland"}
    ) as server:
        await server.command("nudges on monday 09:00")
        [response] = await server.fake.wait_for("/response")
        assert "Auckland" in all_text(response.body["blocks"]) + response.body["text"]


async def test_journal_export_arrives_as_a_file_in_the_dm(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as probe:
        env = dict(probe.env) | {"COACH_DATA_KEY": Fernet.generate_key().decode()}
    async with slack_server(tmp_path, the_coach=build_coach(env=env)) as server:
        await server.command("journal export", response_name="export")
        [response] = await server.fake.wait_for("/response")
        assert ".md" in response.body["text"]
        [upload] = await server.fake.wait_for("/upload")
        assert b"# My leadership journal" in upload.raw
        [complete] = await server.fake.wait_for("/files.completeUploadExternal")
        [opened] = server.fake.received("/conversations.open")
        assert opened.body["users"] == "U2147483697"
        assert complete.body["channel_id"] == "D2147483697"
