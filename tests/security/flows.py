"""End-to-end flows that put secrets and reflections through every code path that could log.

A flow drives a running server over real HTTP the way Slack or Teams would: the Slack flow
answers a slash command and a DM, subscribes to nudges, has a nudge delivered (by whatever
``deliver`` does: a pass in this process or a ``coach nudges send-due`` process), reflects
through the Reflect button's modal, reads the journal and exports it. The Teams flow asks a
question and saves a reflection. Each returns once the last answer has arrived.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.adapters.slack.harness import SlackServer, payload
from tests.adapters.teams.harness import Server as TeamsServer
from tests.adapters.teams.harness import card_text
from tests.adapters.teams.harness import payload as teams_payload
from tests.eventually import eventually_async
from tests.fakes.bot_connector import FakeBotConnector
from tests.security.canaries import REFLECTION, TEAMS_REFLECTION

LONDON = ZoneInfo("Europe/London")
USER = "U2147483697"  # the user in the recorded payloads
DM = "D024BE91L"


def next_monday_0900_30() -> datetime:
    """The next Monday 09:00:30 in London: just after a "monday 09:00" nudge falls due."""
    now = datetime.now(LONDON)
    days = (7 - now.weekday()) % 7 or 7
    return (now + timedelta(days=days)).replace(hour=9, minute=0, second=30, microsecond=0)


async def slack_answer(server: SlackServer, text: str, name: str, **fields: str) -> str:
    """Send ``/leadership <text>``; return the answer as text, wherever it came back.

    A question that needs no storage is answered in the acknowledgement itself; a stateful
    command (nudges, journal) is acknowledged empty and answered through the response_url.
    """
    answer = await server.command(text, response_name=name, **fields)
    assert answer.status == 200, answer.text
    if answer.text.strip():
        return answer.text
    got = await eventually_async(
        lambda: [r for r in server.fake.received("/response") if r.url.endswith("/" + name)],
        10,
        what=f"an answer to {text!r}",
    )
    return got[0].text_everywhere


async def _answer(server: SlackServer, text: str, name: str) -> str:
    return await slack_answer(server, text, name, user_id=USER)


async def slack_flow(server: SlackServer, *, deliver: Callable[[], Awaitable[None]]) -> None:
    """Command, DM, nudges on, a delivered nudge, Reflect, journal and export."""
    fake = server.fake
    assert "Patience, persistence and resilience" in await _answer(
        server, "behaviours resilience", "ask"
    )
    assert (await server.event(payload("message_im"))).status == 200
    await fake.wait_for("/chat.postMessage", within=10)
    assert "Mondays at 09:00" in await _answer(server, "nudges on monday 09:00", "on")

    await deliver()
    [nudge] = [
        r for r in fake.received("/chat.postMessage") if "nudge.reflect" in r.text_everywhere
    ]
    reflect = next(
        e
        for b in nudge.body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("action_id") == "nudge.reflect"
    )
    press = payload("block_actions")
    press["user"]["id"] = USER
    press["channel"] = {"id": DM, "name": "directmessage"}
    press["container"] = {"type": "message", "message_ts": "1.1", "channel_id": DM}
    press["response_url"] = fake.response_url("reflect")
    press["actions"] = [
        {
            "action_id": "nudge.reflect",
            "block_id": "b1",
            "value": reflect["value"],
            "type": "button",
            "action_ts": "1.2",
        }
    ]
    assert (await server.interaction(press)).status == 200
    [opened] = await fake.wait_for("/views.open", within=10)
    view = opened.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    submission = payload("view_submission")
    submission["user"]["id"] = USER
    submission["view"] = view | {
        "id": "VREFLECT",
        "state": {
            "values": {
                "reflection": {"reflection": {"type": "plain_text_input", "value": REFLECTION}}
            }
        },
    }
    assert (await server.interaction(submission)).status == 200

    attempts = itertools.count()

    async def saved() -> bool:
        return REFLECTION in await _answer(server, "journal", f"journal-{next(attempts)}")

    await eventually_async(saved, 10, what="the reflection in the journal", interval=0.1)
    await _answer(server, "journal export", "export")
    [upload] = await fake.wait_for("/upload", within=10)
    assert REFLECTION.encode() in upload.raw


async def teams_flow(server: TeamsServer, connector: FakeBotConnector) -> None:
    """A question, then ``journal add`` with a reflection and ``journal`` to read it back."""
    said = 0

    async def say(text: str) -> str:
        nonlocal said
        said += 1
        body = teams_payload("personal_message", service_url=connector.url, text=text)
        body["id"] = f"security-{said}"
        before = len(connector.activities())
        status, _ = await server.post(body)
        assert status in (200, 202), status
        return "\n".join(a.get("text", "") + card_text(a) for a in connector.activities()[before:])

    assert "Yorkshire and the Humber" in await say("contact Leeds")
    assert "journal" in (await say(f"journal add {TEAMS_REFLECTION}")).lower()
    assert TEAMS_REFLECTION in await say("journal")
