"""``progress`` and the App Home's coaching section in Slack, over real HTTP with the fake API.

The chart is uploaded into the person's DM with files upload v2 (the fake records
``files.getUploadURLExternal``, the upload and ``files.completeUploadExternal``) with the
summary as alt text; the Home's day and time pickers change the nudge and republish the Home,
with no DM for each pick.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image

from adapters.charts import HEIGHT_PX, WIDTH_PX
from tests.adapters.slack.harness import SlackServer, all_text, payload
from tests.adapters.slack.test_commands import stateful_server


def _picked(action_id: str, block: str, chosen: dict[str, Any]) -> dict[str, Any]:
    body = payload("block_actions_home")
    body["actions"] = [
        {
            "action_id": action_id,
            "block_id": f"slack.input.{block}",
            "type": "timepicker" if block == "time" else "static_select",
            "action_ts": "1548426417.840181",
            **chosen,
        }
    ]
    return body


async def _home_blocks(server: SlackServer, count: int) -> list[dict[str, Any]]:
    homes = await server.fake.wait_for("/views.publish", count=count)
    blocks: list[dict[str, Any]] = homes[-1].body["view"]["blocks"]
    return blocks


async def test_progress_uploads_the_chart_to_the_dm_with_alt_text(tmp_path: Path) -> None:
    async with stateful_server(tmp_path) as server:
        await server.command(
            "journal add Asked the ward team what gets in their way.", response_name="a"
        )
        await server.fake.wait_for("/response")
        await server.command("progress", response_name="progress")
        # The first chart in a process imports matplotlib: seconds on a loaded test machine.
        response = (await server.fake.wait_for("/response", count=2, within=60))[-1]
        assert response.body["text"].startswith("Your progress.")
        assert "Reflections per month" in all_text(response.body["blocks"])
        [asked] = await server.fake.wait_for("/files.getUploadURLExternal")
        assert asked.body["filename"].startswith("progress-")
        assert asked.body["filename"].endswith(".png")
        [upload] = await server.fake.wait_for("/upload")
        with Image.open(io.BytesIO(upload.raw)) as chart:
            assert chart.format == "PNG"
            assert chart.size == (WIDTH_PX, HEIGHT_PX)
        [complete] = await server.fake.wait_for("/files.completeUploadExternal")
        assert complete.body["channel_id"] == "D2147483697"
        # files upload v2 sends the alt text when asking for the upload URL.
        assert asked.body["alt_txt"].startswith("No self-assessment yet.")
        assert "Reflections per month" in asked.body["alt_txt"]


async def test_progress_with_nothing_yet_uploads_nothing(tmp_path: Path) -> None:
    async with stateful_server(tmp_path) as server:
        answer = await server.command("progress")
        assert answer.status == 200
        [response] = await server.fake.wait_for("/response")
        assert "Nothing to chart yet" in response.body["text"]
        await server.fake.quiet()
        assert server.fake.received("/files.getUploadURLExternal") == []


async def test_home_pickers_change_the_nudge_and_republish_the_home(tmp_path: Path) -> None:
    async with stateful_server(tmp_path) as server:
        await server.event(_opened())
        blocks = await _home_blocks(server, 1)
        inputs = {b["block_id"]: b for b in blocks if b["type"] == "input"}
        day, at = inputs["slack.input.day"], inputs["slack.input.time"]
        assert day["dispatch_action"] is True
        assert day["element"]["type"] == "static_select"
        assert day["element"]["initial_option"]["value"] == "Monday"
        assert at["element"]["type"] == "timepicker"
        assert at["element"]["initial_time"] == "09:00"
        buttons = [
            e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]
        ]
        for label in ("Assess", "Progress", "Journal", "Export"):
            assert label in buttons
        assert "Off: choose a day and time" in all_text(blocks)

        await server.interaction(
            _picked(day["element"]["action_id"], "day", {"selected_option": {"value": "Friday"}})
        )
        blocks = await _home_blocks(server, 2)
        assert "Fridays at 09:00" in all_text(blocks)
        await server.interaction(
            _picked(at["element"]["action_id"], "time", {"selected_time": "17:30"})
        )
        blocks = await _home_blocks(server, 3)
        assert "Fridays at 17:30" in all_text(blocks)
        time_block = next(b for b in blocks if b.get("block_id") == "slack.input.time")
        assert time_block["element"]["initial_time"] == "17:30"
        await server.fake.quiet()
        # The Home shows the change: no DM for each pick.
        assert server.fake.received("/chat.postMessage") == [] or all(
            "Welcome" in p.body.get("text", "") for p in server.fake.received("/chat.postMessage")
        )
        await server.command("nudges", response_name="nudges")
        [response] = await server.fake.wait_for("/response")
        assert "Fridays at 17:30" in response.body["text"]


def _opened() -> dict[str, Any]:
    body = payload("app_home_opened")
    body["event_id"] = "EvHome"
    body["event"] |= {"tab": "home", "user": "U2147483697"}
    return body
