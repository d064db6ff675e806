"""The safe-reflection check through Slack over HTTP: held privately, Save anyway, Edit, exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.adapters.slack.harness import SlackServer, all_text, payload
from tests.adapters.slack.test_commands import stateful_server

NHS = "Chased the discharge letter for 943 476 5919 myself; the clerk was off."


def _buttons(body: dict[str, Any]) -> dict[str, str]:
    return {
        e["action_id"]: e.get("value", "")
        for b in body.get("blocks") or []
        if b["type"] == "actions"
        for e in b["elements"]
    }


async def _say(server: SlackServer, text: str, name: str) -> dict[str, Any]:
    before = len(server.fake.received("/response"))
    await server.command(text, response_name=name)
    responses = await server.fake.wait_for("/response", count=before + 1)
    return next(r for r in responses if r.url.endswith(f"/{name}")).body


async def _press(server: SlackServer, action_id: str, value: str, name: str) -> dict[str, Any]:
    before = len(server.fake.received("/response"))
    press = payload("block_actions")
    press["channel"] = {"id": "D2147483697", "name": "directmessage"}
    press["container"] = {"type": "message", "message_ts": "1.1", "channel_id": "D2147483697"}
    press["response_url"] = server.fake.response_url(name)
    press["actions"] = [
        {
            "action_id": action_id,
            "block_id": "b1",
            "value": value,
            "type": "button",
            "action_ts": "1.2",
        }
    ]
    assert (await server.interaction(press)).status == 200
    responses = await server.fake.wait_for("/response", count=before + 1)
    return next(r for r in responses if r.url.endswith(f"/{name}")).body


async def test_save_anyway_saves_and_edit_does_not(tmp_path: Path) -> None:
    async with stateful_server(tmp_path) as server:
        held = await _say(server, f"journal add {NHS}", "held")
        shown = all_text(held.get("blocks") or []) + held["text"]
        assert "an NHS number" in shown
        assert "943" not in shown
        assert held.get("response_type", "ephemeral") == "ephemeral"
        buttons = _buttons(held)
        assert set(buttons) >= {"journal.keep", "journal.edit"}

        edited = await _press(server, "journal.edit", buttons["journal.edit"], "edit")
        assert "Not saved" in edited["text"]
        journal = await _say(server, "journal", "journal-1")
        assert "943 476 5919" not in all_text(journal.get("blocks") or []) + journal["text"]

        held = await _say(server, f"journal add {NHS}", "held-2")
        keep = _buttons(held)["journal.keep"]
        saved = await _press(server, "journal.keep", keep, "keep")
        assert "Saved to your private journal" in saved["text"]
        journal = await _say(server, "journal", "journal-2")
        assert "943 476 5919" in all_text(journal.get("blocks") or [])

        # Pressed again (a double click, a stale message): nothing more is saved.
        again = await _press(server, "journal.keep", keep, "keep-again")
        assert "Nothing was saved" in again["text"]


async def test_word_and_pdf_exports_arrive_in_the_dm(tmp_path: Path) -> None:
    async with stateful_server(tmp_path) as server:
        await _say(server, "journal add Delegated the finance section for the first time.", "a")
        docx = await _say(server, "journal export docx", "docx")
        assert ".docx" in docx["text"]
        [upload] = await server.fake.wait_for("/upload")
        assert upload.raw.startswith(b"PK")  # a zip: Word's container
        nmc = await _say(server, "journal export nmc pdf", "nmc")
        assert "NMC reflective accounts" in nmc["text"]
        uploads = await server.fake.wait_for("/upload", count=2)
        assert uploads[1].raw.startswith(b"%PDF")
        opened = server.fake.received("/conversations.open")
        assert {o.body["users"] for o in opened} == {"U2147483697"}
