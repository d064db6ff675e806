"""Buttons and forms over signed HTTP: Share, More like this, the App Home, modals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from adapters.slack.forms import encode_form
from app.wiring import build_coach
from tests.adapters.slack.harness import SlackServer, all_text, payload, slack_server
from tests.adapters.slack.test_forms import REFLECT


def _buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


def _press(server: SlackServer, element: dict[str, Any], *, name: str) -> dict[str, Any]:
    body = payload("block_actions")
    body["response_url"] = server.fake.response_url(name)
    body["actions"][0] = {
        "action_id": element["action_id"],
        "block_id": "b1",
        "text": element["text"],
        "value": element.get("value", ""),
        "type": "button",
        "action_ts": "1548426417.840180",
    }
    return body


async def test_share_to_channel_posts_the_answer_visibly(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        # The question is answered in the slash command's acknowledgement.
        asked = (await server.command("behaviours resilience", response_name="asked")).json()
        share = _buttons(asked["blocks"])["share"]
        answer = await server.interaction(_press(server, share, name="shared"))
        assert answer.status == 200
        [shared] = await server.fake.wait_for("/response")
        assert shared.url.endswith("/shared")
        assert shared.body["response_type"] == "in_channel"
        assert shared.body["replace_original"] is False
        assert "Patience, persistence and resilience" in all_text(shared.body["blocks"])
        # A shared answer carries no buttons that only make sense to the asker.
        assert _buttons(shared.body["blocks"]) == {}
        # The question itself was answered in its acknowledgement, never via its response_url.
        await server.fake.settle(0.3)
        assert [r.url.rsplit("/", 1)[-1] for r in server.fake.received("/response")] == ["shared"]


async def test_more_like_this_shows_the_next_matches(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        # The question is answered in the slash command's acknowledgement.
        first = (await server.command("leadership development", response_name="first")).json()
        more = _buttons(first["blocks"])["more"]
        await server.interaction(_press(server, more, name="more"))
        [second] = await server.fake.wait_for("/response")
        assert second.url.endswith("/more")
        assert second.body["response_type"] == "ephemeral"
        first_text = all_text(first["blocks"])
        second_text = all_text(second.body["blocks"])
        assert second_text != first_text
        first_fields = {
            line for line in first_text.splitlines() if line and not line.startswith("*")
        }
        second_fields = {
            line for line in second_text.splitlines() if line and not line.startswith("*")
        }
        assert first_fields - {"Share to channel", "More like this"} != second_fields - {
            "Share to channel",
            "More like this",
        }
        await server.fake.settle(0.3)
        assert [r.url.rsplit("/", 1)[-1] for r in server.fake.received("/response")] == ["more"]


async def test_a_button_on_the_app_home_answers_by_dm_and_refreshes_the_home(
    tmp_path: Path,
) -> None:
    async with slack_server(tmp_path) as server:
        await server.interaction(payload("block_actions_home"))
        [opened] = await server.fake.wait_for("/conversations.open")
        assert opened.body["users"] == "U2147483697"
        [post] = await server.fake.wait_for("/chat.postMessage")
        assert post.body["channel"] == "D2147483697"
        assert "Relationships and Connectivity" in all_text(post.body["blocks"])
        [home] = await server.fake.wait_for("/views.publish")
        assert home.body["user_id"] == "U2147483697"
        assert server.fake.received("/response") == []


async def test_link_buttons_get_no_answer(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        link = {"action_id": "slack.link", "text": {"type": "plain_text", "text": "Open"}}
        answer = await server.interaction(_press(server, link, name="link"))
        assert answer.status == 200
        await server.fake.settle(0.3)
        assert server.fake.received("/response") == []
        assert server.fake.received("/chat.postMessage") == []


async def test_a_form_button_opens_a_modal_with_the_trigger_id(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        opener = {
            "action_id": "slack.form.open",
            "text": {"type": "plain_text", "text": "Save to my journal"},
            "value": encode_form(REFLECT),
        }
        body = _press(server, opener, name="form")
        await server.interaction(body)
        [opened] = await server.fake.wait_for("/views.open")
        assert opened.body["trigger_id"] == body["trigger_id"]
        view = opened.body["view"]
        assert view["type"] == "modal"
        assert view["callback_id"] == "coach.form"
        assert [b["type"] for b in view["blocks"]][-1] == "input"
        metadata = json.loads(view["private_metadata"])
        assert metadata["action_id"] == "journal.save"
        assert metadata["response_url"] == body["response_url"]


async def test_reflect_opens_a_modal_and_saving_it_writes_the_journal(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as probe:
        env = dict(probe.env) | {"COACH_DATA_KEY": Fernet.generate_key().decode()}
    stateful = build_coach(env=env)
    async with slack_server(tmp_path, the_coach=stateful) as server:
        await server.command("nudges on monday 09:00", response_name="on")
        await server.fake.wait_for("/response")
        reflect = {
            "action_id": "nudge.reflect",
            "text": {"type": "plain_text", "text": "Reflect"},
            "value": "",
        }
        await server.interaction(_press(server, reflect, name="reflect"))
        [opened] = await server.fake.wait_for("/views.open")
        view = opened.body["view"]
        submission = payload("view_submission")
        submission["view"]["private_metadata"] = view["private_metadata"]
        submission["view"]["blocks"] = view["blocks"]
        answer = await server.interaction(submission)
        assert answer.status == 200
        responses = await server.fake.wait_for("/response", count=2)
        saved = next(r for r in responses if r.url.endswith("/reflect"))
        assert saved.body["response_type"] == "ephemeral"
        await server.command("journal", response_name="journal")
        responses = await server.fake.wait_for("/response", count=3)
        journal = next(r for r in responses if r.url.endswith("/journal"))
        assert "I held the line on the discharge plan." in all_text(journal.body["blocks"])
