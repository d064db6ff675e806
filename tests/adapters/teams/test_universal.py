"""Universal Actions over real HTTP: ``adaptiveCard/action`` invokes update the card in place.

Payloads follow Microsoft's documented shape: ``value = {action: {type: "Action.Execute",
verb, data}, trigger}``. The in-place answer is the invoke response itself
(``application/vnd.microsoft.card.adaptive``, statusCode 200).
"""

from __future__ import annotations

import asyncio
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from adapters.teams.render import CARD_CONTENT_TYPE
from app.wiring import build_coach
from bot.coach import Coach
from tests.adapters.teams.harness import Server, card_text, payload, serve
from tests.fakes.bot_connector import FakeBotConnector

_ids = count(1)
ME = "to=me;row=ie-1;q=0"
CHANNEL = "to=channel;row=ie-1;q=0"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An anonymous server on a fresh SQLite database, with the nudges' storage."""
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}",
        "TEAMS_ALLOW_ANONYMOUS": "1",
        "COACH_DATA_KEY": Fernet.generate_key().decode(),
    }


@pytest.fixture
def coach(env: dict[str, str]) -> Coach:
    """The real coach with its stateful commands (nudges) on that database."""
    return build_coach(env=env)


def execute(service_url: str, verb: str, value: str, **changes: Any) -> dict[str, Any]:
    """The recorded Action.Execute press, with a fresh id, for ``verb`` and ``value``."""
    return payload(
        "invoke_execute_skip",
        service_url=service_url,
        id=f"f:execute-{next(_ids)}",
        value={
            "action": {
                "type": "Action.Execute",
                "title": verb,
                "verb": verb,
                "data": {"action_id": verb, "value": value},
            },
            "trigger": "manual",
        },
        **changes,
    )


async def say(server: Server, service_url: str, text: str, **changes: Any) -> None:
    body = payload(
        "personal_message", service_url=service_url, id=f"m-{next(_ids)}", text=text, **changes
    )
    status, _ = await server.post(body)
    assert status == 202


def in_place(answer: dict[str, Any]) -> dict[str, Any]:
    """The card of an in-place answer (and check it is one)."""
    assert answer["statusCode"] == 200
    assert answer["type"] == CARD_CONTENT_TYPE
    card: dict[str, Any] = answer["value"]
    assert card["type"] == "AdaptiveCard"
    return card


def text_of(card: dict[str, Any]) -> str:
    return card_text({"attachments": [{"contentType": CARD_CONTENT_TYPE, "content": card}]})


def test_skip_updates_the_card_in_place_and_posts_nothing(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await say(server, connector.url, "nudges on")
            posted = len(connector.activities())

            body = payload("invoke_execute_skip", service_url=connector.url)
            status, answer = await server.post(body)
            assert status == 200
            card = in_place(answer)
            assert card["body"][0]["text"].startswith("Skipped the nudge on")
            assert card["body"][0]["text"].endswith("✓")
            assert "The next one is" in text_of(card)
            assert len(connector.activities()) == posted  # in place: no new message

            # A double press skips the same week again: the same clear card, no error.
            status, again = await server.post(execute(connector.url, "nudge.skip", ME))
            assert status == 200
            assert in_place(again)["body"][0]["text"] == card["body"][0]["text"]

    asyncio.run(scenario())


def test_pause_shows_paused_until_with_a_resume_button_that_also_updates_in_place(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await say(server, connector.url, "nudges on")
            status, answer = await server.post(execute(connector.url, "nudge.pause", ME))
            assert status == 200
            card = in_place(answer)
            assert "Paused until" in text_of(card)
            [resume] = card["actions"]
            assert resume["type"] == "Action.Execute"
            assert resume["verb"] == "nudge.resume"
            assert resume["fallback"]["type"] == "Action.Submit"

            status, answer = await server.post(
                execute(connector.url, resume["verb"], resume["data"]["value"])
            )
            assert status == 200
            assert in_place(answer)["body"][0]["text"].startswith("Nudges resumed ✓")

    asyncio.run(scenario())


def test_stale_buttons_get_a_clear_card_never_a_500(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            # Never subscribed (or since stopped): the card says nudges are off and offers Turn on.
            status, answer = await server.post(execute(connector.url, "nudge.skip", ME))
            assert status == 200
            card = in_place(answer)
            assert "Weekly nudges are off" in text_of(card)
            assert [a["verb"] for a in card["actions"]] == ["nudge.on"]

            # Stop twice: the second press says so instead of failing.
            await say(server, connector.url, "nudges on")
            status, first = await server.post(execute(connector.url, "nudge.stop", ME))
            assert status == 200
            assert in_place(first)["body"][0]["text"].startswith("Weekly nudges are off ✓")
            status, second = await server.post(execute(connector.url, "nudge.stop", ME))
            assert status == 200
            assert "already off" in text_of(in_place(second))

            # A garbled button value from an old card: an in-place explanation, not a tick.
            status, answer = await server.post(execute(connector.url, "nudge.pause", "garbage"))
            assert status == 200

    asyncio.run(scenario())


def test_a_press_with_no_data_of_ours_is_a_400(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = execute(connector.url, "nudge.skip", ME)
            body["value"] = {"action": {"type": "Action.Execute", "data": {"x": 1}}}
            status, answer = await server.post(body)
            assert status == 400
            assert answer["type"] == "application/vnd.microsoft.error"
            assert connector.activities() == []

    asyncio.run(scenario())


def test_the_submit_fallback_still_answers_with_a_message(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await say(server, connector.url, "nudges on")
            before = len(connector.activities())
            body = payload(
                "card_submit",
                service_url=connector.url,
                id="m-fallback",
                value={"action_id": "nudge.skip", "value": ME},
            )
            status, _ = await server.post(body)
            assert status == 202
            [reply] = connector.activities()[before:]
            assert "Skipped the nudge on" in (reply.get("text") or card_text(reply))

    asyncio.run(scenario())


def test_a_channel_change_updates_the_pressers_card_and_tells_the_team(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            mention = payload("channel_mention", service_url=connector.url)
            mention["text"] = "<at>Leadership Coach</at> nudges channel on"
            status, _ = await server.post(mention)
            assert status == 202
            before = len(connector.activities())

            # Pressed on the channel's card (the conversation of the thread it was posted in).
            body = execute(
                connector.url, "nudge.skip", CHANNEL, conversation=mention["conversation"]
            )
            body["from"] = mention["from"]
            body["channelData"] = mention["channelData"]
            status, answer = await server.post(body)
            assert status == 200
            card = in_place(answer)
            assert card["body"][0]["text"].startswith("Skipped the nudge on")
            # The team's schedule changed: everyone is told in the channel, not only the presser.
            [told] = connector.activities()[before:]
            assert "Skipped the nudge on" in (told.get("text") or card_text(told))

    asyncio.run(scenario())
