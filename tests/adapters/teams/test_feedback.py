"""Helpful / Not quite and typed ``more`` over real HTTP, replies at the fake Bot Connector."""

from __future__ import annotations

import asyncio
import itertools

from adapters.store.db import make_engine
from adapters.store.feedback import SqlFeedback
from app.wiring import build_coach
from bot.feedback.votes import Vote
from tests.adapters.teams.harness import card_text, payload, serve, submit_actions
from tests.fakes.bot_connector import FakeBotConnector

_IDS = itertools.count(1764151400001)


def _votes(env: dict[str, str]) -> list[tuple[Vote, tuple[str, ...]]]:
    engine = make_engine(env["DATABASE_URL"])
    try:
        return [(v.vote, v.result_ids) for v in SqlFeedback(engine).votes()]
    finally:
        engine.dispose()


def _said(activity: dict[str, object]) -> str:
    return f"{activity.get('text') or ''}\n{card_text(activity)}"


def test_a_vote_is_stored_once_and_a_stale_one_refused(env: dict[str, str]) -> None:
    coach = build_coach(env=env)

    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            text = "I need to get better at listening to patients' families"
            asked = payload("personal_message", service_url=connector.url, text=text)
            await server.post(asked | {"id": str(next(_IDS))})
            [answer] = connector.activities()
            votes = {a["data"]["action_id"]: a for a in submit_actions(answer)}
            assert [votes[k]["title"] for k in ("feedback.helpful", "feedback.not_quite")] == [
                "Helpful",
                "Not quite",
            ]
            assert "families" not in votes["feedback.helpful"]["data"]["value"]
            # Two clicks arrive as two activities: one vote.
            for _ in range(2):
                pressed = payload(
                    "card_submit",
                    service_url=connector.url,
                    value=votes["feedback.helpful"]["data"],
                )
                assert (await server.post(pressed | {"id": str(next(_IDS))}))[0] == 202
            stale = {"action_id": "feedback.not_quite", "value": '{"r":"0","i":"x","ids":[]}'}
            pressed = payload("card_submit", service_url=connector.url, value=stale)
            assert (await server.post(pressed | {"id": str(next(_IDS))}))[0] == 202
            _, first, second, third = connector.activities()
            assert "noted" in _said(first)
            assert "already" in _said(second)
            assert "no longer available" in _said(third)
            [(vote, ids)] = _votes(env)
            assert vote is Vote.HELPFUL
            assert "p4" in ids

    asyncio.run(scenario())


def test_typed_more_pages_the_last_answer_then_says_there_is_no_more(
    env: dict[str, str],
) -> None:
    coach = build_coach(env=env)

    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            for text in ("leadership development", "more"):
                asked = payload("personal_message", service_url=connector.url, text=text)
                await server.post(asked | {"id": str(next(_IDS))})
            first, second = connector.activities()
            assert "Leadership role" in card_text(second)
            assert card_text(second) != card_text(first)
            for _ in range(5):
                asked = payload("personal_message", service_url=connector.url, text="more")
                await server.post(asked | {"id": str(next(_IDS))})
            last = connector.activities()[-1]
            assert "Nothing more to show" in card_text(last)
            assert "managing conflict" in card_text(last)

    asyncio.run(scenario())
