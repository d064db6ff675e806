"""Text a person typed, echoed back by the coach, can neither ping anyone nor inject markup.

Hostile text goes in through the real app the way each platform delivers it (Slack sends an
@channel as ``<!channel>``, a person mention as ``<@U…>``, a link as ``<url|label>``; Teams
sends mentions as ``<at>…</at>``), into the paths that echo it: a free-text question, an
unknown place, a saved reflection and the journal that shows it. The assertion is on what the
fakes received, that is the rendered Block Kit and Adaptive Card JSON.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from app.serve import build
from tests.adapters.slack.harness import BOT_TOKEN, SIGNING_SECRET, SlackServer
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.security.canaries import DATA_KEY
from tests.security.test_isolation import People
from tests.servers import served

SLACK_HOSTILE = (
    "ping <!channel> <!here> <!everyone> <!subteam^S123|@nurses> <@U0BOSS> <#C0GENERAL> "
    "and <https://evil.example/phish|click here> &lt;b&gt;"
)
TEAMS_HOSTILE = (
    "ping <at>Everyone</at> [click here](https://evil.example/phish) "
    "![img](https://evil.example/x.png) <b>bold</b> <script>alert(1)</script> "
    "{{DATE(2030-01-01T00:00:00Z)}}"
)
# Keys whose values Slack and Teams never display (ids, button data, URLs we control).
_NOT_SHOWN = {"action_id", "block_id", "value", "url", "response_url", "trigger_id", "id", "data"}


def _shown_strings(node: Any, key: str = "") -> list[str]:
    if isinstance(node, str):
        return [] if key in _NOT_SHOWN else [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _shown_strings(v, k)]
    if isinstance(node, list):
        return [s for v in node for s in _shown_strings(v, key)]
    return []


# Slack parses <…> in every text field (mrkdwn, plain_text and the notification text alike).
_SLACK_CONTROL = re.compile(r"<[!@#]|<https?:")


def _slack_bodies(fake: FakeSlackApi) -> list[Any]:
    return [r.body for r in fake.requests if r.path in {"/response", "/chat.postMessage"}]


async def _slack_scenario(people: People) -> None:
    fake = people.slack.fake
    answers = [
        await people.slack_says("T0001", "U1", f"behaviours {SLACK_HOSTILE}"),
        await people.slack_says("T0001", "U1", f"contact {SLACK_HOSTILE}"),
        await people.slack_says("T0001", "U1", f"journal add {SLACK_HOSTILE}"),
        await people.slack_says("T0001", "U1", "journal"),
    ]
    # The journal really echoes the text: Slack's markup tokens are dropped on the way in (a
    # link keeps its label), and a "<" the person typed comes back escaped.
    assert "ping" in answers[-1]
    assert "click here &lt;b&gt;" in answers[-1], answers[-1]
    # Answers come back in the acknowledgement or at the response_url: check both.
    bodies = [*_slack_bodies(fake), *(json.loads(answer) for answer in answers)]
    shown = [s for body in bodies for s in _shown_strings(body)]
    assert any("click here" in s for s in shown)
    assert shown
    bad = [s for s in shown if _SLACK_CONTROL.search(s)]
    assert bad == [], bad
    # What Slack would show for the typed "&lt;b&gt;" is that text, not a tag.
    assert all("<b>" not in s for s in shown)


# Adaptive Card markdown: an unescaped [label](url) is a link, ![alt](url) an image;
# {{DATE(…)}} is a card function; HTML and <at> are not rendered in cards but would be
# in a message's text if its format were markdown or xml.
_CARD_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
_CARD_FUNCTION = re.compile(r"\{\{")
_TAG = re.compile(r"(?<!\\)<(?:at|b|script)\b", re.IGNORECASE)


def _card_markdown(node: Any, key: str = "", in_fact: bool = False) -> list[str]:
    """The card strings Teams renders as markdown: TextBlock text, titles, fact values.

    ``fallbackText`` (for clients that cannot show cards) and the activity's ``summary``
    (the notification preview) are plain text, so they are not checked here.
    """
    if isinstance(node, str):
        return [node] if key in {"text", "title"} or (in_fact and key == "value") else []
    if isinstance(node, dict):
        fact = {"title", "value"} <= node.keys()
        return [s for k, v in node.items() for s in _card_markdown(v, k, fact)]
    if isinstance(node, list):
        return [s for v in node for s in _card_markdown(v, key)]
    return []


async def _teams_scenario(people: People) -> None:
    # A command with a topic that fits nothing echoes the topic ("I couldn't find anything about
    # ..."), whatever the free-text guard makes of the hostile words.
    connector = people.connector
    before = len(connector.activities())
    await people.teams_says("T0001", "29:u1", f"behaviours {TEAMS_HOSTILE}")
    await people.teams_says("T0001", "29:u1", f"contact {TEAMS_HOSTILE}")
    await people.teams_says("T0001", "29:u1", f"journal add {TEAMS_HOSTILE}")
    journal = await people.teams_says("T0001", "29:u1", "journal")
    assert "evil.example/phish" in journal, journal  # it is echoed, so the check means something
    activities = connector.activities()[before:]
    checked = 0
    for activity in activities:
        # A message's own text is shown as plain text, so <at> or HTML in it is inert.
        assert activity.get("textFormat", "plain") == "plain", activity
        assert not [e for e in activity.get("entities") or [] if e.get("type") == "mention"]
        for attachment in activity.get("attachments") or []:
            for text in _card_markdown(attachment.get("content")):
                checked += 1
                assert not _CARD_LINK.search(text), text
                assert not _CARD_FUNCTION.search(text), text
                assert not _TAG.search(text), text
    hostile = [t for a in activities for t in _card_markdown(a) if "evil.example" in t]
    assert checked > 0
    assert len(hostile) >= 3, hostile  # the echoes were among what was checked


def test_echoed_text_cannot_ping_or_inject_markup(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeSlackApi() as fake, FakeBotConnector() as connector:
            env = {
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_API_URL": fake.api_url,
                "COACH_DATA_KEY": DATA_KEY,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'markup.db'}",
                "TEAMS_ALLOW_ANONYMOUS": "1",
            }
            async with (
                served(build(clock=False, env=env)) as url,
                aiohttp.ClientSession() as session,
            ):
                slack = SlackServer(
                    url=url, fake=fake, session=session, env=env, app=web.Application()
                )
                people = People(slack, connector)
                await _slack_scenario(people)
                await _teams_scenario(people)

    asyncio.run(scenario())
