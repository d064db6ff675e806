"""The nudge flow in Teams, through stored conversation references and the fake Bot Connector.

A person types ``nudges on monday 09:00`` in their personal chat (which stores their
conversation reference); a ``coach nudges send-due`` process delivers the nudge proactively;
they press Reflect, fill in the card's text box and submit; ``journal`` shows it. Then the
other ways in: a reply naming the nudge (``replyToId``), a quoted reply, the first message
after a nudge; every nudge button and ``forget me``; and ``journal export`` by file consent
(accepted, declined, failed), as Markdown messages, and from a channel.
"""

from __future__ import annotations

import asyncio
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from adapters.store.db import make_engine, metadata
from adapters.store.nudge_tables import nudge_deliveries, nudge_subscriptions
from app.delivery.messengers import close_all, messengers_from_env
from app.delivery.send import send_due as run_pass
from app.wiring import build_coach
from tests.adapters.teams.harness import card_text, cards, payload, serve, submit_actions
from tests.app.delivery.test_flow_slack import send_due
from tests.app.delivery.test_processes import ROOT
from tests.fakes.bot_connector import FakeBotConnector

LONDON = ZoneInfo("Europe/London")
REFLECTION = "Named the tension in the ICS meeting instead of smoothing it over."
FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"


def next_monday_0900_30() -> datetime:
    now = datetime.now(LONDON)
    days = (7 - now.weekday()) % 7 or 7
    return (now + timedelta(days=days)).replace(hour=9, minute=0, second=30, microsecond=0)


class Chat:
    """Megan's personal chat with the coach, driven through the real server."""

    def __init__(self, server: Any, connector: FakeBotConnector) -> None:
        self.server = server
        self.connector = connector
        self.count = 0

    async def say(self, text: str, **changes: Any) -> list[dict[str, Any]]:
        """Post a message; return the activities the bot posted in answer."""
        return await self._post(
            payload("personal_message", service_url=self.connector.url, text=text, **changes)
        )

    async def press(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        """Submit a card (an ``Action.Submit`` arrives as a message carrying ``value``)."""
        body = payload("card_submit", service_url=self.connector.url, value=data)
        return await self._post(body)

    async def _post(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        self.count += 1
        body["id"] = f"activity-{self.count}"
        before = len(self.connector.activities())
        status, _ = await self.server.post(body)
        assert status in (200, 201, 202), status
        return self.connector.activities()[before:]


async def open_chat(tmp_path: Path):
    key = Fernet.generate_key().decode()
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'teams.db'}", "COACH_DATA_KEY": key}
    return env, build_coach(env=env)


def process_env(env: dict[str, str]) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "CONNECTIONS__", "COACH_"))
    }
    return base | {
        "DATABASE_URL": env["DATABASE_URL"],
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
    }


async def deliver_one_nudge(tmp_path: Path, *, in_process: bool = False):
    """Subscribe Megan by command and deliver her nudge; return the chat and the nudge.

    The delivery is a ``coach nudges send-due`` process, or (quicker, for the tests that are
    about what happens afterwards) the same pass run in this process.
    """
    env, coach = await open_chat(tmp_path)
    connector = await FakeBotConnector().__aenter__()
    server_cm = serve(coach, env)
    server = await server_cm.__aenter__()
    chat = Chat(server, connector)
    [answer] = await chat.say("nudges on monday 09:00")
    assert "Mondays at 09:00" in (answer.get("text", "") + card_text(answer))

    if in_process:
        engine = make_engine(env["DATABASE_URL"])
        messengers = messengers_from_env(env, engine=engine, platforms=["teams"])
        report = (
            await run_pass(
                next_monday_0900_30(), engine=engine, messengers=messengers, content=coach.content
            )
        ).as_dict()
        await close_all(messengers)
        engine.dispose()
    else:
        report = await send_due(process_env(env), next_monday_0900_30())
    assert report["sent"] == 1
    nudge = connector.activities()[-1]
    assert "This week's question" in card_text(nudge)
    return chat, nudge, (server_cm, connector)


async def close(handles) -> None:
    server_cm, connector = handles
    await server_cm.__aexit__(None, None, None)
    await connector.__aexit__(None, None, None)


def test_teams_subscribe_deliver_reflect_and_read_the_journal(tmp_path):
    async def scenario() -> None:
        chat, nudge, handles = await deliver_one_nudge(tmp_path)
        try:
            # A second pass at the same instant sends nothing more.
            before = len(chat.connector.activities())
            env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'teams.db'}"}
            assert (await send_due(process_env(env), next_monday_0900_30()))["sent"] == 0
            assert len(chat.connector.activities()) == before

            reflect = next(
                a for a in submit_actions(nudge) if a["data"].get("action_id") == "nudge.reflect"
            )
            [form] = await chat.press(reflect["data"])
            [card] = cards(form)
            inputs = [e for e in card["body"] if e.get("type") == "Input.Text"]
            assert [i["id"] for i in inputs] == ["reflection"]
            assert inputs[0].get("isMultiline") is True
            [save] = submit_actions(form)
            assert save["data"]["action_id"] == "journal.save"

            [saved] = await chat.press(save["data"] | {"reflection": REFLECTION})
            assert "Saved to your private journal" in saved.get("text", "") + card_text(saved)

            [journal] = await chat.say("journal")
            assert REFLECTION in journal.get("text", "") + card_text(journal)
            other = await chat.say(
                "journal", **{"from": {"id": "29:someone-else", "name": "Adele"}}
            )
            assert all(REFLECTION not in a.get("text", "") + card_text(a) for a in other)
        finally:
            await close(handles)

    asyncio.run(scenario())


def test_teams_a_reply_to_the_nudge_is_saved_as_a_reflection(tmp_path):
    async def scenario() -> None:
        chat, nudge, handles = await deliver_one_nudge(tmp_path, in_process=True)
        try:
            # The id the connector gave the nudge, as the ledger recorded it.
            engine = make_engine(f"sqlite:///{tmp_path / 'teams.db'}")
            with engine.connect() as conn:
                ref = conn.execute(select(nudge_deliveries.c.message_ref)).scalar_one()
            engine.dispose()
            assert ref.startswith("sent-")
            await chat.say(REFLECTION, replyToId=ref)
            [journal] = await chat.say("journal")
            assert REFLECTION in journal.get("text", "") + card_text(journal)
        finally:
            await close(handles)

    asyncio.run(scenario())


def test_teams_journal_export_reaches_the_person(tmp_path):
    async def scenario() -> None:
        chat, _, handles = await deliver_one_nudge(tmp_path, in_process=True)
        try:
            await chat.say(f"journal add {REFLECTION}")
            posted = await chat.say("journal export")
            consent = [
                a
                for activity in posted
                for a in activity.get("attachments") or []
                if a.get("contentType") == FILE_CONSENT and str(a.get("name", "")).endswith(".md")
            ]
            as_messages = [a for a in posted if REFLECTION in a.get("text", "") + card_text(a)]
            assert consent or as_messages
        finally:
            await close(handles)

    asyncio.run(scenario())


# --- replies to the nudge ------------------------------------------------------------------


def journal_text(activity: dict[str, Any]) -> str:
    return activity.get("text", "") + card_text(activity)


def test_teams_a_quoted_reply_to_the_nudge_is_saved_without_the_quote(tmp_path):
    async def scenario() -> None:
        chat, _, handles = await deliver_one_nudge(tmp_path, in_process=True)
        try:
            ref = delivered_ref(tmp_path)
            quoted = payload("quoted_reply", service_url=chat.connector.url)
            html = quoted["attachments"][0]["content"].replace("1764151200999", ref)
            quoted["attachments"][0]["content"] = html
            [saved] = await chat._post(quoted)
            assert "Saved to your private journal" in journal_text(saved)
            [journal] = await chat.say("journal")
            text = journal_text(journal)
            assert "I asked the team what they needed" in text
            assert "Leading with care" not in text  # the quoted preview is not the reflection
        finally:
            await close(handles)

    asyncio.run(scenario())


def test_teams_the_first_plain_message_after_a_nudge_is_the_reflection_and_says_so(tmp_path):
    async def scenario() -> None:
        chat, _, handles = await deliver_one_nudge(tmp_path, in_process=True)
        try:
            # A command straight after the nudge is still a command.
            [settings] = await chat.say("nudges")
            assert "Saved" not in journal_text(settings)
            # Megan wrote since the nudge, so her next message is no longer an answer to it.
            [answer] = await chat.say(REFLECTION)
            assert "Saved to your private journal" not in journal_text(answer)
        finally:
            await close(handles)

        chat, _, handles = await deliver_one_nudge(tmp_path / "second", in_process=True)
        try:
            [saved] = await chat.say(REFLECTION)
            assert "Saved to your private journal" in journal_text(saved)
            assert "If you meant to ask me something, send it again" in journal_text(saved)
            [answer] = await chat.say("what does good partnership working look like")
            assert "Saved to your private journal" not in journal_text(answer)
            [journal] = await chat.say("journal")
            assert REFLECTION in journal_text(journal)
            assert "partnership" not in journal_text(journal)
            assert count_rows(tmp_path / "second", "journal_entries") == 1
        finally:
            await close(handles)

    (tmp_path / "second").mkdir()
    asyncio.run(scenario())


def test_teams_someone_elses_reply_to_megans_nudge_is_not_saved(tmp_path):
    async def scenario() -> None:
        chat, _, handles = await deliver_one_nudge(tmp_path, in_process=True)
        try:
            ref = delivered_ref(tmp_path)
            adele = {"from": {"id": "29:someone-else", "name": "Adele"}}
            [answer] = await chat.say(REFLECTION, replyToId=ref, **adele)
            assert "Saved to your private journal" not in journal_text(answer)
            [journal] = await chat.say("journal", **adele)
            assert REFLECTION not in journal_text(journal)
        finally:
            await close(handles)

    asyncio.run(scenario())


def count_rows(tmp_path: Path, table: str) -> int:
    engine = make_engine(f"sqlite:///{tmp_path / 'teams.db'}")
    try:
        with engine.connect() as conn:
            query = select(func.count()).select_from(metadata.tables[table])
            return int(conn.execute(query).scalar_one())
    finally:
        engine.dispose()


def delivered_ref(tmp_path: Path) -> str:
    engine = make_engine(f"sqlite:///{tmp_path / 'teams.db'}")
    try:
        with engine.connect() as conn:
            return str(conn.execute(select(nudge_deliveries.c.message_ref)).scalar_one())
    finally:
        engine.dispose()


# --- every nudge button, and forget me -----------------------------------------------------


def test_teams_every_nudge_button_works_and_forget_me_deletes_everything(tmp_path):
    async def scenario() -> None:
        chat, nudge, handles = await deliver_one_nudge(tmp_path, in_process=True)
        try:
            buttons = {a["data"]["action_id"]: a["data"] for a in submit_actions(nudge)}
            assert list(buttons) == [
                "nudge.reflect",
                "nudge.another",
                "nudge.skip",
                "nudge.pause",
                "nudge.stop",
            ]
            [another] = await chat.press(buttons["nudge.another"])
            assert "This week's question" in card_text(another)
            assert card_text(another) != card_text(nudge)
            [skipped] = await chat.press(buttons["nudge.skip"])
            assert "skip" in journal_text(skipped).lower()
            [paused] = await chat.press(buttons["nudge.pause"])
            assert "pause" in journal_text(paused).lower()
            [stopped] = await chat.press(buttons["nudge.stop"])
            assert "nudges on" in journal_text(stopped).lower()
            [status] = await chat.say("nudges")
            assert "not subscribed" in journal_text(status).lower() or "off" in journal_text(status)

            [form] = await chat.press(buttons["nudge.reflect"])
            [save] = submit_actions(form)
            await chat.press(save["data"] | {"reflection": REFLECTION})
            [journal] = await chat.say("journal")
            assert REFLECTION in journal_text(journal)

            [ask] = await chat.say("forget me")
            confirm = next(
                a["data"] for a in submit_actions(ask) if a["data"]["action_id"] == "forget.confirm"
            )
            [done] = await chat.press(confirm)
            assert "deleted everything" in journal_text(done)
            counts = {
                table: count_rows(tmp_path, table)
                for table in (
                    "nudge_subscriptions",
                    "nudge_deliveries",
                    "journal_entries",
                    "teams_conversation_references",
                )
            }
            # The forget-me press itself saved nothing new: every row of Megan's is gone.
            assert counts == dict.fromkeys(counts, 0), counts
        finally:
            await close(handles)

    asyncio.run(scenario())


# --- journal export: file consent, or messages ---------------------------------------------


async def export_consent(chat: Chat) -> dict[str, Any]:
    """Megan writes an entry and asks for the export; return the consent attachment."""
    await chat.say(f"journal add {REFLECTION}")
    posted = await chat.say("journal export")
    [consent] = [
        a
        for activity in posted
        for a in activity.get("attachments") or []
        if a.get("contentType") == FILE_CONSENT
    ]
    return consent


async def invoke(chat: Chat, name: str, **value: Any) -> tuple[int, list[dict[str, Any]]]:
    body = payload(name, service_url=chat.connector.url)
    body["value"].update(value)
    chat.count += 1
    body["id"] = f"invoke-{chat.count}"
    before = len(chat.connector.activities())
    status, _ = await chat.server.post(body)
    return status, chat.connector.activities()[before:]


def test_teams_export_accepted_uploads_the_markdown_and_shows_the_file(tmp_path):
    async def scenario() -> None:
        chat, _, handles = await deliver_one_nudge(tmp_path, in_process=True)
        try:
            consent = await export_consent(chat)
            assert consent["name"].startswith("leadership-journal-")
            assert consent["name"].endswith(".md")
            assert REFLECTION not in str(consent)  # the card never carries the journal
            upload_url = chat.connector.upload_url(consent["name"])
            info = {
                "contentUrl": "https://contoso-my.sharepoint.com/personal/megan/j.md",
                "name": consent["name"],
                "uploadUrl": upload_url,
                "uniqueId": "4C3B9A1E-6F2D-4E8B-9A7C-1D2E3F4A5B6C",
                "fileType": "md",
            }
            status, posted = await invoke(
                chat,
                "file_consent_accept",
                context=consent["content"]["acceptContext"],
                uploadInfo=info,
            )
            assert status == 200
            [put] = chat.connector.requests("upload")
            assert put.method == "PUT"
            markdown = put.body.decode("utf-8")
            assert markdown.startswith("# My leadership journal")
            assert REFLECTION in markdown
            size = len(put.body)
            assert put.headers["Content-Range"] == f"bytes 0-{size - 1}/{size}"
            assert "Authorization" not in put.headers  # the upload URL is pre-authorised
            [shown] = posted
            [card] = shown["attachments"]
            assert card["contentType"] == "application/vnd.microsoft.teams.card.file.info"
            assert card["contentUrl"] == info["contentUrl"]
            assert card["name"] == consent["name"]
            assert card["content"] == {"uniqueId": info["uniqueId"], "fileType": "md"}
        finally:
            await close(handles)

    asyncio.run(scenario())


def test_teams_export_declined_or_failed_says_so_and_strange_urls_are_refused(tmp_path):
    async def scenario() -> None:
        chat, _, handles = await deliver_one_nudge(tmp_path, in_process=True)
        try:
            consent = await export_consent(chat)
            status, [declined] = await invoke(chat, "file_consent_decline")
            assert status == 200
            assert "No file was saved" in declined["text"]

            # Anonymous mode: an upload URL off this machine is never used.
            status, posted = await invoke(chat, "file_consent_accept")
            assert status == 400
            assert posted == []

            chat.connector.fail(500)
            info = {
                "contentUrl": "https://contoso-my.sharepoint.com/personal/megan/j.md",
                "name": consent["name"],
                "uploadUrl": chat.connector.upload_url(consent["name"]),
                "uniqueId": "4C3B9A1E",
                "fileType": "md",
            }
            status, [failed] = await invoke(chat, "file_consent_accept", uploadInfo=info)
            assert status == 200
            assert "did not take the file" in failed["text"]
            assert REFLECTION not in failed["text"]
            assert len(chat.connector.requests("upload")) == 1
        finally:
            await close(handles)

    asyncio.run(scenario())


def test_teams_export_without_file_consent_arrives_as_markdown_messages(tmp_path):
    async def scenario() -> None:
        chat, _, handles = await deliver_one_nudge(tmp_path, in_process=True)
        try:
            await chat.say(f"journal add {REFLECTION}")
            # Hosts other than Teams itself (the Agents Playground, Web Chat) have no consent.
            posted = await chat.say("journal export", channelId="webchat")
            assert not any(
                a.get("contentType") == FILE_CONSENT
                for activity in posted
                for a in activity.get("attachments") or []
            )
            [_, file] = posted
            assert file["textFormat"] == "markdown"
            assert file["text"].startswith("**leadership-journal-")
            assert "# My leadership journal" in file["text"]
            assert REFLECTION in file["text"]
        finally:
            await close(handles)

    asyncio.run(scenario())


def test_teams_export_asked_for_in_a_channel_goes_to_the_personal_chat(tmp_path):
    async def scenario() -> None:
        chat, _, handles = await deliver_one_nudge(tmp_path, in_process=True)
        try:
            await chat.say(f"journal add {REFLECTION}")
            personal_id = payload("personal_message", service_url="")["conversation"]["id"]
            mention = payload(
                "channel_mention",
                service_url=chat.connector.url,
                text="<at>Leadership Coach</at> journal export",
                **{"from": payload("personal_message", service_url="")["from"]},
            )
            mention.pop("entities", None)
            posted = await chat._post(mention)
            channel_id = mention["conversation"]["id"]
            in_channel = [
                r.body
                for r in chat.connector.requests("send", "reply")
                if channel_id.split(";")[0] in r.conversation_id
            ]
            in_personal = [
                r.body
                for r in chat.connector.requests("send", "reply")
                if r.conversation_id == personal_id
            ]
            assert len(posted) == 3
            assert all(REFLECTION not in str(body) for body in in_channel)
            [note] = in_channel
            assert "sent it to our personal chat" in note["text"]
            assert any(
                a.get("contentType") == FILE_CONSENT
                for body in in_personal
                for a in body.get("attachments") or []
            )
        finally:
            await close(handles)

    asyncio.run(scenario())


def test_teams_the_timezone_defaults_to_the_clientinfo_entity(tmp_path):
    async def scenario() -> None:
        env, coach = await open_chat(tmp_path)
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            chat = Chat(server, connector)
            auckland = [{"type": "clientInfo", "locale": "en-NZ", "timezone": "Pacific/Auckland"}]
            # clientInfo wins over the activity's localTimezone (Europe/London in the recording).
            await chat.say("nudges on friday 17:30", entities=auckland)
        engine = make_engine(env["DATABASE_URL"])
        try:
            with engine.connect() as conn:
                zone = conn.execute(select(nudge_subscriptions.c.timezone)).scalar_one()
        finally:
            engine.dispose()
        assert zone == "Pacific/Auckland"

    asyncio.run(scenario())
