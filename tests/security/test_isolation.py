"""One person can never read, export or delete another's journal, across platforms and workspaces.

The same user id is used everywhere on purpose: ``U1`` in two Slack workspaces, and ``U1`` as
a Teams user in a tenant whose id is the first Slack workspace's id (``T0001``), so only the
platform tells them apart. A second Slack user in the first workspace presses the journal and
forget buttons too, with the values copied from the owner's buttons. Everything goes through
the real app over HTTP, with one encrypted database behind both platforms.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from app.serve import build
from tests.adapters.slack.harness import BOT_TOKEN, SIGNING_SECRET, SlackServer, payload
from tests.adapters.teams.harness import card_text
from tests.adapters.teams.harness import payload as teams_payload
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.security.canaries import DATA_KEY
from tests.security.flows import slack_answer

OWNER_NOTE = "Owner-only note: the trust board conversation went badly"


class People:
    """Speaks as any Slack (workspace, user) or Teams (tenant, user) to the running app."""

    def __init__(self, slack: SlackServer, connector: FakeBotConnector) -> None:
        self.slack = slack
        self.connector = connector
        self.count = 0

    def _name(self) -> str:
        self.count += 1
        return f"r{self.count}"

    async def slack_says(self, team: str, user: str, text: str) -> str:
        """``/leadership <text>`` from ``user`` in ``team``; everything it got back, as text."""
        return await slack_answer(self.slack, text, self._name(), user_id=user, team_id=team)

    async def slack_presses(self, team: str, user: str, action_id: str, value: str = "") -> str:
        """``user`` in ``team`` presses the button ``action_id`` (carrying ``value``)."""
        name = self._name()
        press = payload("block_actions")
        press["team"] = {"id": team, "domain": team.lower()}
        press["user"] = press["user"] | {"id": user, "team_id": team}
        press["response_url"] = self.slack.fake.response_url(name)
        press["actions"] = [
            {"action_id": action_id, "block_id": "b", "value": value, "type": "button"}
        ]
        assert (await self.slack.interaction(press)).status == 200
        return await self._slack_answer(name)

    async def _slack_answer(self, name: str) -> str:
        fake = self.slack.fake
        deadline = asyncio.get_running_loop().time() + 10
        while not (got := [r for r in fake.received("/response") if r.url.endswith("/" + name)]):
            assert asyncio.get_running_loop().time() < deadline, f"no answer for {name}"
            await asyncio.sleep(0.02)
        return got[0].text_everywhere

    async def teams_says(self, tenant: str, user: str, text: str = "", **changes: Any) -> str:
        """A Teams personal message (or card submission) from ``user`` in ``tenant``."""
        body = teams_payload("personal_message", service_url=self.connector.url, text=text)
        body |= changes
        body["id"] = self._name()
        body["from"] = {"id": user, "name": "Same Id"}
        body["conversation"] = body["conversation"] | {"tenantId": tenant, "id": f"a:{user}"}
        body["channelData"] = {"tenant": {"id": tenant}}
        before = len(self.connector.activities())
        async with self.slack.session.post(f"{self.slack.url}/api/messages", json=body) as answer:
            assert answer.status in (200, 202), await answer.text()
        return "\n".join(json.dumps(a) + card_text(a) for a in self.connector.activities()[before:])

    def uploads(self) -> list[bytes]:
        """Every file body uploaded to Slack so far."""
        return [r.raw for r in self.slack.fake.received("/upload")]


async def _scenario(tmp_path: Path) -> None:
    async with FakeSlackApi() as fake, FakeBotConnector() as connector:
        env = {
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_API_URL": fake.api_url,
            "COACH_DATA_KEY": DATA_KEY,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}",
        }
        runner = web.AppRunner(build(clock=False, env=env), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        try:
            async with aiohttp.ClientSession() as session:
                slack = SlackServer(
                    url=url, fake=fake, session=session, env=env, app=web.Application()
                )
                await _check(People(slack, connector))
        finally:
            await runner.cleanup()


async def _check(people: People) -> None:
    saved = await people.slack_says("T0001", "U1", f"journal add {OWNER_NOTE}")
    assert "journal" in saved.lower()
    assert OWNER_NOTE in await people.slack_says("T0001", "U1", "journal")

    # Read and export: as U1 in another workspace, as U1 on Teams (tenant id = T0001), and
    # as another person in the same workspace pressing the owner's buttons.
    attempts = [
        await people.slack_says("T0002", "U1", "journal"),
        await people.slack_says("T0002", "U1", "journal export"),
        await people.teams_says("T0001", "U1", "journal"),
        await people.teams_says("T0001", "U1", "journal export"),
        await people.teams_says("T0001", "U1", value={"action_id": "journal.show"}),
        await people.teams_says("T0001", "U1", value={"action_id": "journal.export"}),
        await people.slack_presses("T0001", "U2", "journal.show"),
        await people.slack_presses("T0001", "U2", "journal.export"),
    ]
    for answer in attempts:
        assert OWNER_NOTE not in answer
    # They reached the journal code and found their own (empty) journal, not an error.
    reads = [attempts[i] for i in (0, 2, 4, 6)]
    assert all("Your journal is empty" in answer for answer in reads), reads
    await people.slack.fake.settle(0.3)  # an export's upload happens after the answer
    assert all(OWNER_NOTE.encode() not in upload for upload in people.uploads())

    # Delete: each of the others confirms "forget me"; the owner's journal is untouched.
    await people.slack_presses("T0002", "U1", "forget.confirm")
    await people.teams_says("T0001", "U1", value={"action_id": "forget.confirm"})
    await people.slack_presses("T0001", "U2", "forget.confirm")
    assert OWNER_NOTE in await people.slack_says("T0001", "U1", "journal")

    # The owner can export it, and forget it: so the checks above could have failed.
    await people.slack_says("T0001", "U1", "journal export")
    deadline = asyncio.get_running_loop().time() + 10
    while not any(OWNER_NOTE.encode() in upload for upload in people.uploads()):
        assert asyncio.get_running_loop().time() < deadline, "the owner's export never arrived"
        await asyncio.sleep(0.05)
    assert "deleted" in (await people.slack_presses("T0001", "U1", "forget.confirm")).lower()
    assert OWNER_NOTE not in await people.slack_says("T0001", "U1", "journal")


def test_no_one_reads_exports_or_deletes_another_persons_journal(tmp_path: Path) -> None:
    asyncio.run(_scenario(tmp_path))
