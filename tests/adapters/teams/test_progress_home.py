"""``progress`` and ``home`` in Teams, over real HTTP through the fake Bot Connector.

The chart arrives inside the message as an inline image (a base64 data URL, no file consent);
``home`` answers with the card holding a day choice, a time input and Save, and Save changes
the nudge.
"""

from __future__ import annotations

import asyncio
import base64
import io
from pathlib import Path
from typing import Any

from PIL import Image

from adapters.charts import HEIGHT_PX, WIDTH_PX
from tests.adapters.teams.harness import card_text, cards, serve, submit_actions
from tests.app.delivery.test_flow_teams import Chat, open_chat
from tests.fakes.bot_connector import FakeBotConnector

CARD = "application/vnd.microsoft.card.adaptive"


def _images(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """The Image elements of the activity's cards."""
    return [b for card in cards(activity) for b in card["body"] if b["type"] == "Image"]


async def _chat(tmp_path: Path):
    env, coach = await open_chat(tmp_path)
    connector = await FakeBotConnector().__aenter__()
    server_cm = serve(coach, env)
    server = await server_cm.__aenter__()
    return Chat(server, connector), (server_cm, connector)


async def _close(handles: Any) -> None:
    server_cm, connector = handles
    await server_cm.__aexit__(None, None, None)
    await connector.__aexit__(None, None, None)


def test_progress_with_nothing_yet_says_what_to_do_first(tmp_path: Path) -> None:
    async def scenario() -> None:
        chat, handles = await _chat(tmp_path)
        try:
            [answer] = await chat.say("progress")
            assert "Nothing to chart yet" in card_text(answer)
            assert "assess" in card_text(answer)
            assert _images(answer) == []
        finally:
            await _close(handles)

    asyncio.run(scenario())


def test_progress_sends_the_chart_inline_beside_the_summary(tmp_path: Path) -> None:
    async def scenario() -> None:
        chat, handles = await _chat(tmp_path)
        try:
            await chat.say("journal add Asked the ward team what gets in their way.")
            await chat.say("journal add Stayed with the silence in the ICS meeting.")
            posted = await chat.say("progress")
            [answer] = posted  # one message: the card and the image, no file consent
            assert [a["contentType"] for a in answer["attachments"]] == [CARD, CARD]
            [image] = _images(answer)
            prefix = "data:image/png;base64,"
            assert image["url"].startswith(prefix)
            assert image["altText"].startswith("No self-assessment yet.")
            assert "Reflections per month" in image["altText"]
            png = base64.b64decode(image["url"][len(prefix) :])
            with Image.open(io.BytesIO(png)) as chart:
                assert chart.size == (WIDTH_PX, HEIGHT_PX)
            text = card_text(answer)
            assert "Reflections per month" in text
            assert "No self-assessment yet" in text
            assert "2" in text
            # The summary also rides in the notification text.
            assert answer["summary"].startswith("Your progress")
            assert "file.consent" not in str(posted)
        finally:
            await _close(handles)

    asyncio.run(scenario())


def test_home_card_has_pickers_and_save_changes_the_nudge(tmp_path: Path) -> None:
    async def scenario() -> None:
        chat, handles = await _chat(tmp_path)
        try:
            [home] = await chat.say("home")
            [card] = cards(home)
            inputs = {b["id"]: b for b in card["body"] if b["type"].startswith("Input.")}
            assert inputs["day"]["type"] == "Input.ChoiceSet"
            assert inputs["day"]["value"] == "Monday"
            assert inputs["time"]["type"] == "Input.Time"
            assert inputs["time"]["value"] == "09:00"
            save = next(a for a in submit_actions(home) if a["data"]["action_id"] == "home.when")
            labels = [a["title"] for a in submit_actions(home)]
            assert labels[1:] == ["Assess", "Progress", "Journal", "Export"]
            assert "Weekly nudges" in card_text(home)

            [changed] = await chat.press({**save["data"], "day": "Friday", "time": "17:30"})
            assert "Fridays at 17:30" in card_text(changed)
            [again] = await chat.say("nudges")
            assert "Fridays at 17:30" in card_text(again)

            [refused] = await chat.press({**save["data"], "day": "Someday", "time": "25:99"})
            assert "Choose a day" in (refused.get("text") or card_text(refused))
            [still] = await chat.say("nudges")
            assert "Fridays at 17:30" in card_text(still)
        finally:
            await _close(handles)

    asyncio.run(scenario())
