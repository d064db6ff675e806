"""app_home_opened: the Home is published every time; the welcome DM is sent once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aiohttp import web
from cryptography.fernet import Fernet
from slack_sdk.models.blocks import Block, SectionBlock

from adapters.slack.home import NUDGE_SECTION_KEY
from app.wiring import build_coach
from tests.adapters.slack.harness import all_text, payload, slack_server


def _opened(event_id: str, *, tab: str = "home", user: str = "U2147483697") -> dict[str, object]:
    body = payload("app_home_opened")
    body["event_id"] = event_id
    body["event"] |= {"tab": tab, "user": user}
    return body


async def test_home_is_published_and_the_first_visit_is_greeted_once(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        await server.event(_opened("Ev1"))
        [home] = await server.fake.wait_for("/views.publish")
        assert home.body["user_id"] == "U2147483697"
        view = home.body["view"]
        assert view["type"] == "home"
        shown = all_text(view["blocks"])
        for domain in (
            "Individual Effectiveness",
            "Relationships and Connectivity",
            "Innovation and Improvement",
            "Learning and Capacity Building",
        ):
            assert domain in shown
        [greeting] = await server.fake.wait_for("/chat.postMessage")
        assert greeting.body["channel"] == "D2147483697"
        assert greeting.body["text"].startswith("Welcome!")

        await server.event(_opened("Ev2"))
        await server.event(_opened("Ev3", tab="messages"))
        await server.fake.wait_for("/views.publish", count=2)
        await server.fake.quiet()
        assert len(server.fake.received("/chat.postMessage")) == 1
        # The Messages tab is not the Home: nothing to publish for it.
        assert len(server.fake.received("/views.publish")) == 2


async def test_first_visit_is_remembered_across_restarts(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        await server.event(_opened("Ev1"))
        await server.fake.wait_for("/chat.postMessage")
    async with slack_server(tmp_path) as server:
        await server.event(_opened("Ev2"))
        await server.fake.wait_for("/views.publish")
        await server.fake.quiet()
        assert server.fake.received("/chat.postMessage") == []


async def test_a_registered_nudge_section_appears_on_the_home(tmp_path: Path) -> None:
    async def nudge_section(*, workspace_id: str, user_id: str) -> Sequence[Block] | None:
        return [
            SectionBlock(block_id="nudges", text=f"*Your nudges* for {user_id} in {workspace_id}")
        ]

    def register(app: web.Application) -> None:
        app[NUDGE_SECTION_KEY] = nudge_section

    async with slack_server(tmp_path, setup=register) as server:
        await server.event(_opened("Ev1"))
        [home] = await server.fake.wait_for("/views.publish")
        assert "*Your nudges* for U2147483697 in T0001" in all_text(home.body["view"]["blocks"])


async def test_with_stateful_commands_the_home_shows_the_nudge_settings(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as probe:
        env = dict(probe.env) | {"COACH_DATA_KEY": Fernet.generate_key().decode()}
    async with slack_server(tmp_path, the_coach=build_coach(env=env)) as server:
        await server.event(_opened("Ev1"))
        [home] = await server.fake.wait_for("/views.publish")
        blocks = home.body["view"]["blocks"]
        # The core's home card: the day and time pickers change the nudge in place.
        pickers = [b["element"]["action_id"] for b in blocks if b["type"] == "input"]
        assert pickers == ["home.when", "home.when#2"], pickers
        assert "Weekly nudges" in all_text(blocks)
