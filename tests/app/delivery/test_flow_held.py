"""The safe-reflection check in Teams over HTTP: a reply to a nudge holding an NHS number is
held; Edit saves nothing; Save anyway saves it, once. Then an NMC export by file consent."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tests.adapters.teams.harness import card_text, submit_actions
from tests.app.delivery.test_flow_teams import (
    FILE_CONSENT,
    close,
    deliver_one_nudge,
    delivered_ref,
    invoke,
)

HELD = "Chased the discharge letter for 943 476 5919 myself; the clerk was off."


def _button(activity: dict[str, Any], title: str) -> dict[str, Any]:
    [action] = [a for a in submit_actions(activity) if a.get("title") == title]
    return action["data"]


def _text(activities: list[dict[str, Any]]) -> str:
    return " ".join(a.get("text", "") + card_text(a) for a in activities)


def test_teams_thread_reply_is_held_then_edit_or_save_anyway(tmp_path: Path) -> None:
    async def scenario() -> None:
        chat, _, handles = await deliver_one_nudge(tmp_path, in_process=True)
        try:
            ref = delivered_ref(tmp_path)
            [held] = await chat.say(HELD, replyToId=ref)
            assert "an NHS number" in _text([held])
            assert "943" not in _text([held])
            edit = _button(held, "Edit")
            assert "Not saved" in _text(await chat.press(edit))
            assert "943 476 5919" not in _text(await chat.say("journal"))

            [held] = await chat.say(HELD, replyToId=ref)
            keep = _button(held, "Save anyway")
            assert "Saved to your private journal" in _text(await chat.press(keep))
            journal = _text(await chat.say("journal"))
            assert "943 476 5919" in journal
            assert "Nothing was saved" in _text(await chat.press(keep))

            posted = await chat.say("journal export nmc")
            [consent] = [
                a
                for activity in posted
                for a in activity.get("attachments") or []
                if a.get("contentType") == FILE_CONSENT
            ]
            assert consent["name"].startswith("nmc-reflective-accounts-")
            assert consent["name"].endswith(".docx")
            context = consent["content"]["acceptContext"]
            assert context["export"] == "nmc"
            info = {
                "contentUrl": "https://contoso-my.sharepoint.com/personal/megan/n.docx",
                "name": consent["name"],
                "uploadUrl": chat.connector.upload_url(consent["name"]),
                "uniqueId": "5D3B9A1E-6F2D-4E8B-9A7C-1D2E3F4A5B6C",
                "fileType": "docx",
            }
            status, _ = await invoke(chat, "file_consent_accept", context=context, uploadInfo=info)
            assert status == 200
            [put] = chat.connector.requests("upload")
            assert put.body.startswith(b"PK")
        finally:
            await close(handles)

    asyncio.run(scenario())
