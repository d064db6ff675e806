"""Helpful / Not quite and typed ``more`` over signed HTTP, against the fake Slack API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from adapters.store.db import make_engine
from adapters.store.feedback import SqlFeedback
from app.wiring import build_coach
from bot.feedback.votes import Vote
from tests.adapters.slack.harness import SlackServer, all_text, payload, slack_server
from tests.adapters.slack.test_interactions import _buttons, _press


def _votes(server: SlackServer) -> list[tuple[Vote, str, tuple[str, ...]]]:
    engine = make_engine(server.env["DATABASE_URL"])
    try:
        return [(v.vote, v.intent, v.result_ids) for v in SqlFeedback(engine).votes()]
    finally:
        engine.dispose()


def _dm(text: str, n: int) -> dict[str, Any]:
    body = payload("message_im")
    body["event"] |= {"text": text, "ts": f"1355517523.00000{n}", "client_msg_id": f"m-{n}"}
    body["event_id"] = f"Ev0FEED{n}"
    return body


async def test_a_vote_is_stored_once_per_answer_without_the_question(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as probe:
        env = dict(probe.env)
    async with slack_server(tmp_path, the_coach=build_coach(env=env)) as server:
        asked = await server.command(
            "my appraiser says I come across as arrogant", response_name="q"
        )
        buttons = _buttons(asked.json()["blocks"])
        assert {"feedback.helpful", "feedback.not_quite"} <= set(buttons)
        assert "arrogant" not in buttons["feedback.not_quite"]["value"]
        # A double submit, then a change of mind: one vote, the last one. The two presses of
        # a double submit are answered after their acks, in either order.
        for name in ("v1", "v2"):
            await server.interaction(_press(server, buttons["feedback.helpful"], name=name))
        await server.fake.wait_for("/response", count=2)
        await server.interaction(_press(server, buttons["feedback.not_quite"], name="v3"))
        answers = await server.fake.wait_for("/response", count=3)
        said = {r.url.rsplit("/", 1)[-1]: r.body for r in answers}
        double = sorted(said[name]["text"] for name in ("v1", "v2"))
        assert "already" in double[0]
        assert "noted" in double[1]
        assert "changed" in said["v3"]["text"]
        assert all(body["response_type"] == "ephemeral" for body in said.values())
        [(vote, intent, ids)] = _votes(server)
        shown = json.loads(buttons["feedback.helpful"]["value"])["ids"]
        assert (vote, intent, list(ids)) == (Vote.NOT_QUITE, "search", shown)


async def test_a_stale_or_altered_vote_button_is_refused(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as probe:
        env = dict(probe.env)
    async with slack_server(tmp_path, the_coach=build_coach(env=env)) as server:
        for n, value in enumerate(("", "{not json", '{"r":"x","i":"search","ids":["zz-9"]}')):
            stale = {
                "action_id": "feedback.helpful",
                "text": {"type": "plain_text", "text": "Helpful"},
                "value": value,
            }
            answer = await server.interaction(_press(server, stale, name=f"s{n}"))
            assert answer.status == 200
        answers = await server.fake.wait_for("/response", count=3)
        assert all("no longer available" in r.body["text"] for r in answers)
        assert _votes(server) == []


async def test_typed_more_in_a_dm_pages_the_last_answer(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        await server.event(_dm("leadership development", 1))
        [first] = await server.fake.wait_for("/chat.postMessage")
        await server.event(_dm("more", 2))
        [_, second] = await server.fake.wait_for("/chat.postMessage", count=2)
        first_text, second_text = all_text(first.body["blocks"]), all_text(second.body["blocks"])
        assert "Leadership role" in second_text
        assert second_text != first_text
        assert "couldn't find anything" not in second_text
        # Typed until there is nothing more: it says so and offers topics.
        for n in range(3, 8):
            await server.event(_dm("more", n))
        posts = await server.fake.wait_for("/chat.postMessage", count=7)
        last = all_text(posts[-1].body["blocks"])
        assert "Nothing more to show" in last
        assert "managing conflict" in last
