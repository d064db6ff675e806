"""The self-assessment and focus through Slack over HTTP: modals per domain, summary, focus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.adapters.slack.harness import SlackServer, all_text, payload
from tests.adapters.slack.test_commands import stateful_server
from tests.adapters.slack.test_held import _buttons, _press, _say


def _submission(view: dict[str, Any], choose: dict[str, str]) -> dict[str, Any]:
    """A view_submission of ``view`` choosing ``choose[row]`` in each select (none if absent)."""
    body = payload("view_submission")
    body["view"]["private_metadata"] = view["private_metadata"]
    body["view"]["blocks"] = view["blocks"]
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        picked = choose.get(block["block_id"])
        option = {"text": {"type": "plain_text", "text": picked}, "value": picked}
        values[block["block_id"]] = {
            block["block_id"]: {
                "type": "static_select",
                "selected_option": option if picked else None,
            }
        }
    body["view"]["state"] = {"values": values}
    return body


async def _submit(server: SlackServer, view: dict[str, Any], choose: dict[str, str]) -> Any:
    answer = await server.interaction(_submission(view, choose))
    assert answer.status == 200
    return answer.json() if answer.text else {}


async def _open(server: SlackServer, action_id: str, value: str) -> None:
    """Press a button whose answer is a modal (it carries a trigger_id, no response)."""
    press = payload("block_actions")
    press["response_url"] = server.fake.response_url("open")
    press["actions"] = [
        {"action_id": action_id, "block_id": "b1", "value": value, "type": "button"}
    ]
    assert (await server.interaction(press)).status == 200


def _rating(block_id: str) -> str:
    return {"ie-7": "1 Not yet", "rc-9": "1 Not yet", "lcb-6": "2 Sometimes"}.get(
        block_id, "4 Consistently"
    )


async def test_assess_domain_by_domain_in_modals_then_the_summary_and_a_focus(
    tmp_path: Path,
) -> None:
    async with stateful_server(tmp_path) as server:
        start = await _say(server, "assess", "start")
        assert start.get("response_type", "ephemeral") == "ephemeral"
        assert "no manager or team view" in start["text"]
        await _open(server, "assess.form", _buttons(start)["assess.form"])
        [opened] = await server.fake.wait_for("/views.open")
        view = opened.body["view"]
        assert view["title"]["text"] == "Self-assessment 1 of 4"
        # Each domain's submit replaces the modal with the next domain's, in place.
        titles = []
        for _ in range(3):
            choose = {
                b["block_id"]: _rating(b["block_id"]) for b in view["blocks"] if "block_id" in b
            }
            ack = await _submit(server, view, choose)
            assert ack["response_action"] == "update"
            view = ack["view"]
            titles.append(view["title"]["text"])
        assert titles == [
            "Self-assessment 2 of 4",
            "Self-assessment 3 of 4",
            "Self-assessment 4 of 4",
        ]
        assert "Saved: Innovation and Improvement." in all_text(view["blocks"])
        metadata = json.loads(view["private_metadata"])
        assert metadata["action_id"] == "assess.save"
        # The last domain closes the modal; the summary comes to the person privately.
        choose = {b["block_id"]: _rating(b["block_id"]) for b in view["blocks"] if "block_id" in b}
        await _submit(server, view, choose)
        responses = await server.fake.wait_for("/response", count=2)
        summary = responses[-1].body
        shown = all_text(summary["blocks"])
        assert "Your self-assessment" in shown
        assert "4.0" in shown
        assert "Where to grow" in shown
        focus_value = _buttons(summary)["focus.set"]
        assert set(focus_value.split()) == {"ie-7", "rc-9", "lcb-6"}

        # A stale copy of the last form, submitted again: nothing changes, and it says so.
        await server.interaction(_submission(view, {"lcb-1": "1 Not yet"}))
        responses = await server.fake.wait_for("/response", count=3)
        assert "nothing was changed" in responses[-1].body["text"]

        focus = await _press(server, "focus.set", focus_value, "focus")
        assert "Your focus is set." in focus["text"]
        assert focus.get("response_type", "ephemeral") == "ephemeral"
        typed = await _say(server, "focus resilience", "typed")
        assert "remove one" in typed["text"]
        cleared = await _say(server, "focus clear", "clear")
        assert "cleared" in cleared["text"]
