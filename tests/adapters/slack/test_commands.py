"""/leadership over signed HTTP: questions answered in the acknowledgement, the rest afterwards.

A question that needs no storage (behaviours, principles, contact, help, ...) is answered in the
HTTP 200 body of the slash command itself, which Slack shows as an ephemeral message: nothing is
posted to the ``response_url`` and no Web API call is made. Stateful commands (nudges, journal,
forget me) are acknowledged empty at once, look up the person's timezone with ``users.info`` and
are answered ephemerally via the ``response_url``.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import web
from cryptography.fernet import Fernet
from slack_sdk.models.blocks import Block

from adapters.slack.handler import SlackRequestHandler
from adapters.slack.mount import SLACK_APP_KEY
from app.wiring import build_coach
from tests.adapters.slack.golden import GOLDEN
from tests.adapters.slack.harness import (
    SIGNING_SECRET,
    Answer,
    SlackServer,
    all_text,
    payload,
    slack_server,
)

FORM = "application/x-www-form-urlencoded"


@asynccontextmanager
async def stateful_server(
    tmp_path: Path, *, timezones: dict[str, str] | None = None
) -> AsyncIterator[SlackServer]:
    """The adapter with a storage-backed coach (SQLite under ``tmp_path``)."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'slack.db'}",
        "COACH_DATA_KEY": Fernet.generate_key().decode(),
    }
    async with slack_server(
        tmp_path, env=env, the_coach=build_coach(env=env), timezones=timezones
    ) as server:
        yield server


def ack_message(answer: Answer) -> dict[str, Any]:
    """The message a slash command's acknowledgement carries (Slack shows it as the answer)."""
    assert answer.status == 200
    body = answer.json()
    assert isinstance(body, dict)
    return body


async def assert_nothing_sent_afterwards(server: SlackServer) -> None:
    """An answer given in the ack needs no ``response_url`` post and no Web API call."""
    await server.fake.quiet()
    assert server.fake.received("/response") == []
    assert server.fake.received("/users.info") == []


async def test_behaviours_resilience_is_answered_with_the_resilience_row(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        body = ack_message(await server.command("behaviours resilience"))
        assert body["response_type"] == "ephemeral"
        shown = all_text(body["blocks"])
        assert "Individual Effectiveness" in shown
        assert "Enabler role, holding people to account for the work" in shown
        assert "Patience, persistence and resilience" in shown
        assert "Patience, persistence and resilience" in body["text"]
        buttons = [
            e["action_id"] for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]
        ]
        assert "share" in buttons
        await assert_nothing_sent_afterwards(server)


async def test_the_ack_for_a_question_is_a_valid_ephemeral_message(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        body = ack_message(await server.command("behaviours resilience"))
    # Exactly a message: nothing a response_url post would add (replace_original, thread_ts).
    assert set(body) == {"text", "blocks", "response_type"}
    assert body["response_type"] == "ephemeral"
    assert isinstance(body["text"], str)
    assert body["text"]
    assert 1 <= len(body["blocks"]) <= 50
    # Every block passes slack_sdk's validation and round-trips unchanged...
    parsed = [Block.parse(block) for block in body["blocks"]]
    assert [block.to_dict() for block in parsed if block is not None] == body["blocks"]
    # ...and the message is the reviewed rendering of this answer, plus the vote buttons (whose
    # value names this one reply, so differs at every ask).
    golden = json.loads((GOLDEN / "reply_behaviours_resilience.json").read_text(encoding="utf-8"))
    votes = [
        e["action_id"]
        for b in body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("feedback.")
    ]
    assert votes == ["feedback.helpful", "feedback.not_quite"]
    for block in body["blocks"]:
        if block["type"] == "actions":
            block["elements"] = [
                e for e in block["elements"] if not e["action_id"].startswith("feedback.")
            ]
    assert {"text": body["text"], "blocks": body["blocks"]} == golden


async def test_principles_contact_and_help(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        principles = ack_message(await server.command("principles carers"))
        contact = ack_message(await server.command("contact Leeds"))
        help_ = ack_message(await server.command("help"))
        assert "Carers are identified, supported and involved" in all_text(principles["blocks"])
        assert "Yorkshire and the Humber" in all_text(contact["blocks"])
        assert "0113 887 1660" in all_text(contact["blocks"])
        assert "behaviours" in all_text(help_["blocks"])
        for body in (principles, contact, help_):
            assert body["response_type"] == "ephemeral"
        await assert_nothing_sent_afterwards(server)


def bolt_only_route(app: web.Application) -> None:
    """``POST /slack/bolt-only``: the same Bolt app, with every command going through Bolt.

    What an OAuth install (where Bolt must find the workspace first) and Socket Mode get.
    """

    async def events(request: web.Request) -> web.StreamResponse:
        handler = SlackRequestHandler(app[SLACK_APP_KEY].bolt, signing_secret=SIGNING_SECRET)
        return await handler.events(request)

    app.router.add_post("/slack/bolt-only", events)


def without_reply_keys(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with the feedback buttons' reply keys (a hash of who, what and *when*) removed."""
    for block in body["blocks"]:
        for element in block.get("elements", []):
            value = element.get("value", "")
            if value.startswith("{"):
                element["value"] = json.loads(value) | {"r": "(when)"}
    return body


@pytest.mark.parametrize(
    "question",
    ["behaviours resilience", "contact Leeds", "help", "how do I lead without authority?"],
)
async def test_the_handler_shortcut_acks_exactly_what_bolt_would(
    tmp_path: Path, question: str
) -> None:
    # Single-workspace HTTP answers stateless commands without Bolt's dispatch, for speed.
    async with slack_server(tmp_path, setup=bolt_only_route) as server:
        form = urlencode(payload("slash_command") | {"text": question})
        shortcut = await server.post(form, content_type=FORM)
        bolt = await server.post(form, content_type=FORM, path="/slack/bolt-only")
        assert without_reply_keys(ack_message(shortcut)) == without_reply_keys(ack_message(bolt))
        await assert_nothing_sent_afterwards(server)


async def test_the_ack_does_not_wait_for_slow_slack_calls(tmp_path: Path) -> None:
    async with stateful_server(tmp_path) as server:
        server.fake.hang_next("/users.info", seconds=1.5)
        started = time.monotonic()
        answer = await server.command("nudges", response_name="nudges")
        acked_after = time.monotonic() - started
        assert (answer.status, answer.text) == (200, "")
        assert acked_after < 1.0
        assert server.fake.received("/response") == []
        [response] = await server.fake.wait_for("/response", within=5)
        assert response.url.endswith("/nudges")
        assert response.body["response_type"] == "ephemeral"


async def test_a_stateful_command_acks_empty_and_answers_via_response_url(tmp_path: Path) -> None:
    async with stateful_server(tmp_path) as server:
        answer = await server.command("nudges", response_name="nudges")
        assert (answer.status, answer.text) == (200, "")
        [response] = await server.fake.wait_for("/response")
        assert response.url.endswith("/nudges")
        body = response.body
        assert body["response_type"] == "ephemeral"
        assert body["replace_original"] is False
        assert body["text"]
        assert all_text(body["blocks"])
        [lookup] = server.fake.received("/users.info")
        assert lookup.body["user"] == "U2147483697"


async def test_nothing_a_user_types_can_ping_anyone(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        # What Slack sends when someone types these literally: the markup characters escaped...
        first = ack_message(await server.command("&lt;!channel&gt; &lt;!here&gt; &amp; stuff"))
        # ...and when they use a real @channel or @someone, Slack's own markup.
        second = ack_message(await server.command("<!channel> <@U999> <!subteam^S1> contact Leeds"))
        for body in (first, second):
            # Everything Slack displays (button values are never shown, so cannot ping).
            sent = all_text(body["blocks"]) + body["text"]
            for ping in ("<!channel>", "<!here>", "<@U999>", "<!subteam"):
                assert ping not in sent
        assert "&amp;" in all_text(first["blocks"])
        await assert_nothing_sent_afterwards(server)


async def test_the_timezone_comes_from_users_info_and_is_cached(tmp_path: Path) -> None:
    async with stateful_server(tmp_path) as server:
        await server.command("nudges", response_name="one")
        await server.command("nudges", response_name="two")
        await server.fake.wait_for("/response", count=2)
        [lookup] = server.fake.received("/users.info")
        assert lookup.body["user"] == "U2147483697"
        assert lookup.token == "xoxb-test"


async def test_nudges_on_uses_the_slack_timezone(tmp_path: Path) -> None:
    async with stateful_server(tmp_path, timezones={"U2147483697": "Pacific/Auckland"}) as server:
        await server.command("nudges on monday 09:00")
        [response] = await server.fake.wait_for("/response")
        assert "Auckland" in all_text(response.body["blocks"]) + response.body["text"]


async def test_journal_export_arrives_as_a_file_in_the_dm(tmp_path: Path) -> None:
    async with stateful_server(tmp_path) as server:
        await server.command("journal add Delegated the finance section.", response_name="add")
        await server.fake.wait_for("/response")
        await server.command("journal export", response_name="export")
        response = (await server.fake.wait_for("/response", count=2))[-1]
        assert ".md" in response.body["text"]
        [upload] = await server.fake.wait_for("/upload")
        assert b"# My leadership journal" in upload.raw
        [complete] = await server.fake.wait_for("/files.completeUploadExternal")
        [opened] = server.fake.received("/conversations.open")
        assert opened.body["users"] == "U2147483697"
        assert complete.body["channel_id"] == "D2147483697"


async def test_a_question_naming_a_payload_is_answered_not_refused(tmp_path: Path) -> None:
    # Bolt's parser reads any form body containing the text "payload" as an interaction.
    async with slack_server(tmp_path) as server:
        body = ack_message(await server.command("behaviours resilience payload"))
    assert "Patience, persistence and resilience" in all_text(body["blocks"])
