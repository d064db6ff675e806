"""The self-assessment and focus in Teams over HTTP: a form card per domain, then a focus
that the next weekly nudge follows and says so."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from adapters.store.db import make_engine
from app.delivery.messengers import close_all, messengers_from_env
from app.delivery.send import send_due as run_pass
from tests.adapters.teams.harness import card_text, cards, serve, submit_actions
from tests.app.delivery.test_flow_teams import Chat, next_monday_0900_30, open_chat
from tests.fakes.bot_connector import FakeBotConnector


def _data(activity: dict[str, Any], title: str) -> dict[str, Any]:
    [action] = [a for a in submit_actions(activity) if a.get("title") == title]
    return dict(action["data"])


def _choice_sets(activity: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for c in cards(activity) for b in c["body"] if b["type"] == "Input.ChoiceSet"]


def _text(activities: list[dict[str, Any]]) -> str:
    return " ".join(a.get("text", "") + card_text(a) for a in activities)


def test_teams_assess_by_form_cards_then_focus_then_a_focus_nudge(tmp_path: Path, monkeypatch):
    async def scenario() -> None:
        env, coach = await open_chat(tmp_path)
        # The delivery pass reads the focus with the process's key, as `coach serve` does.
        monkeypatch.setenv("COACH_DATA_KEY", env["COACH_DATA_KEY"])
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            chat = Chat(server, connector)
            [start] = await chat.say("assess")
            assert "no manager or team view" in _text([start])
            [form] = await chat.press(_data(start, "Start"))
            seen = []
            for _ in range(4):
                rows = [s["id"] for s in _choice_sets(form)]
                seen += rows
                assert all(s["wrap"] for s in _choice_sets(form))
                answers = {r: "1 Not yet" if r in {"ii-2", "rc-3"} else "3 Often" for r in rows}
                submit = next(
                    a for a in submit_actions(form) if a["data"]["action_id"] == "assess.save"
                )
                [form] = await chat.press(dict(submit["data"]) | answers)
            assert len(seen) == 30
            summary = _text([form])
            assert "Your self-assessment" in summary
            assert "Where to grow" in summary
            # The same form sent again (a double submit) changes nothing and says so.
            [again] = await chat.press(dict(submit["data"]) | {"lcb-1": "5 Role model"})
            assert "nothing was changed" in _text([again])

            [focus] = await chat.press(_data(form, "Set this focus"))
            assert "Your focus is set." in _text([focus])
            [unknown] = await chat.say("focus qqqq zzzz")
            assert "could not find a framework row" in _text([unknown])

            [answer] = await chat.say("nudges on monday 09:00")
            assert "Mondays at 09:00" in _text([answer])
            engine = make_engine(env["DATABASE_URL"])
            messengers = messengers_from_env(env, engine=engine, platforms=["teams"])
            report = await run_pass(
                next_monday_0900_30(), engine=engine, messengers=messengers, content=coach.content
            )
            await close_all(messengers)
            engine.dispose()
            assert report.as_dict()["sent"] == 1
            nudge = connector.activities()[-1]
            assert "Your weekly reflection: your focus" in card_text(nudge)
            assert "A focus nudge" in card_text(nudge)

    asyncio.run(scenario())
