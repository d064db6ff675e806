"""The whole nudge flow in Slack, as Slack and an operator would drive it.

40 people subscribe with a signed ``/leadership nudges on monday 09:00``; one turns nudges off;
two ``coach nudges send-due`` processes started together, then a third, deliver exactly one
nudge each; a pass a week later gives everyone a different prompt. Then one person reflects
through the Reflect button's modal, reads the journal, exports it as a file, and nobody else
can read it.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet

from app.wiring import build_coach
from tests.adapters.slack.harness import BOT_TOKEN, SlackServer, all_text, payload, slack_server
from tests.app.delivery.test_processes import ROOT, SEND_DUE
from tests.eventually import eventually_async
from tests.fakes.slack_api import RecordedRequest

LONDON = ZoneInfo("Europe/London")
USERS = [f"U{i:03d}" for i in range(40)]
REFLECTION = "Asked the discharge team what they needed before offering a fix."


def next_monday_0900_30() -> datetime:
    now = datetime.now(LONDON)
    days = (7 - now.weekday()) % 7 or 7
    return (now + timedelta(days=days)).replace(hour=9, minute=0, second=30, microsecond=0)


async def send_due(env: dict[str, str], now: datetime) -> dict[str, Any]:
    """``coach nudges send-due --now ...`` as its own process (the fake keeps serving meanwhile)."""
    process = await asyncio.create_subprocess_exec(
        *SEND_DUE,
        "--now",
        now.isoformat(),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), 60)
    finally:
        # Never leave a child behind (a failed or cancelled test would otherwise leak it).
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, err.decode()[-2000:]
    return json.loads(out.decode().strip().splitlines()[-1])


def dm(user: str) -> str:
    return "D" + user.lstrip("U")


def posted_in(server: SlackServer, post: RecordedRequest) -> str:
    """The channel a post landed in: a nudge names the person, and Slack answers with the DM."""
    return str(server.fake.answer_to(post)["channel"])


def nudges_to(server: SlackServer) -> Counter:
    return Counter(posted_in(server, r) for r in server.fake.received("/chat.postMessage"))


def button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    return next(
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("action_id") == action_id
    )


async def scenario(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    database = f"sqlite:///{tmp_path / 'slack.db'}"
    coach = build_coach(env={"DATABASE_URL": database, "COACH_DATA_KEY": key})
    async with slack_server(tmp_path, the_coach=coach, env={"COACH_DATA_KEY": key}) as server:
        for user in USERS:
            answer = await server.command(
                "nudges on monday 09:00", response_name=f"on-{user}", user_id=user
            )
            assert answer.status == 200
        await server.fake.wait_for("/response", count=len(USERS))
        on = next(r for r in server.fake.received("/response") if r.url.endswith("/on-U005"))
        assert "Mondays at 09:00" in all_text(on.body["blocks"])
        quitter = USERS[0]
        await server.command("nudges off", response_name="off", user_id=quitter)
        await server.fake.wait_for("/response", count=len(USERS) + 1)

        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "CONNECTIONS__", "COACH_"))
        } | {
            "DATABASE_URL": database,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_API_URL": server.fake.api_url,
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "WARNING",
        }
        monday = next_monday_0900_30()
        first, second = await asyncio.gather(send_due(env, monday), send_due(env, monday))
        third = await send_due(env, monday)
        assert first["sent"] + second["sent"] == len(USERS) - 1
        assert third["sent"] == 0
        assert nudges_to(server) == {dm(u): 1 for u in USERS[1:]}

        week_two = await send_due(env, monday + timedelta(days=7))
        assert week_two["sent"] == len(USERS) - 1
        by_person: dict[str, list[str]] = {}
        for post in server.fake.received("/chat.postMessage"):
            by_person.setdefault(posted_in(server, post), []).append(post.body["text"])
        assert dm(quitter) not in by_person
        assert all(len(texts) == 2 and texts[0] != texts[1] for texts in by_person.values())

        # Reflect: the button opens a modal; submitting it writes the journal.
        reflector, other = USERS[1], USERS[2]
        nudge = next(
            r
            for r in server.fake.received("/chat.postMessage")
            if posted_in(server, r) == dm(reflector)
        )
        reflect = button(nudge.body["blocks"], "nudge.reflect")
        press = payload("block_actions")
        press["user"]["id"] = reflector
        press["channel"] = {"id": dm(reflector), "name": "directmessage"}
        press["container"] = {
            "type": "message",
            "message_ts": nudge.body.get("ts", "1.1"),
            "channel_id": dm(reflector),
        }
        press["response_url"] = server.fake.response_url("reflect")
        press["actions"] = [
            {
                "action_id": reflect["action_id"],
                "block_id": "b1",
                "value": reflect["value"],
                "type": "button",
                "action_ts": "1.2",
            }
        ]
        assert (await server.interaction(press)).status == 200
        [opened] = await server.fake.wait_for("/views.open")
        view = opened.body["view"]
        view = json.loads(view) if isinstance(view, str) else view
        submission = payload("view_submission")
        submission["user"]["id"] = reflector
        submission["view"] = view | {
            "id": "VREFLECT",
            "state": {
                "values": {
                    "reflection": {"reflection": {"type": "plain_text_input", "value": REFLECTION}}
                }
            },
        }
        assert (await server.interaction(submission)).status == 200

        async def answer_to(user: str, text: str, name: str) -> str:
            before = len(server.fake.received("/response"))
            await server.command(text, response_name=name, user_id=user)
            responses = await server.fake.wait_for("/response", count=before + 1)
            found = next(r for r in responses if r.url.endswith(f"/{name}"))
            return all_text(found.body.get("blocks") or []) + found.body.get("text", "")

        async def in_journal() -> bool:
            return REFLECTION in await answer_to(
                reflector, "journal", f"j{len(server.fake.requests)}"
            )

        await eventually_async(in_journal, 10, what="the reflection in the journal", interval=0.1)
        assert REFLECTION not in await answer_to(other, "journal", "other-journal")

        await server.command("journal export", response_name="export", user_id=reflector)
        [upload] = await server.fake.wait_for("/upload")
        assert REFLECTION.encode() in upload.raw
        assert b"# My leadership journal" in upload.raw


@pytest.mark.slow
def test_slack_nudge_flow_from_subscribe_to_export(tmp_path):
    asyncio.run(scenario(tmp_path))
