"""Run the Slack adapter on a real port and talk to it the way Slack does: signed HTTP requests.

``slack_server`` mounts the adapter on an aiohttp app listening on 127.0.0.1 (ephemeral port),
with its Web API calls going to a :class:`FakeSlackApi` and its database in a temporary SQLite
file. Requests are built from the recorded payloads in ``payloads/`` and signed with the
test signing secret, exactly as Slack signs them.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

from adapters.slack.mount import mount
from adapters.store.db import make_engine
from adapters.store.outage import OutageLog
from app.outage import ensure_schema_on_startup
from app.wiring import CoachService
from bot.coach import Coach
from tests.fakes.slack_api import FakeSlackApi

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test"
PAYLOADS = Path(__file__).parent / "payloads"

_COACH: Coach | None = None


def coach() -> Coach:
    """The real coach, loaded once for the whole module (loading takes ~60 ms)."""
    global _COACH
    if _COACH is None:
        _COACH = Coach.load()
    return _COACH


def payload(name: str) -> dict[str, Any]:
    """A fresh copy of a recorded payload from ``payloads/<name>.json``."""
    return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8")))


def sign(body: bytes, *, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    """Slack's ``X-Slack-Signature`` for ``body`` sent at ``timestamp``."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Answer:
    """What the server answered."""

    status: int
    text: str

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.text)


@dataclass(frozen=True, slots=True)
class SlackServer:
    """A running server, its fake Slack API and an HTTP session to call it with."""

    url: str
    fake: FakeSlackApi
    session: aiohttp.ClientSession
    env: Mapping[str, str]
    app: web.Application

    async def post(
        self,
        body: bytes | str,
        *,
        content_type: str,
        timestamp: str | None = None,
        signature: str | None = None,
        headers: Mapping[str, str] | None = None,
        path: str = "/slack/events",
    ) -> Answer:
        """POST ``body`` signed as Slack would (or with the given timestamp/signature)."""
        raw = body.encode("utf-8") if isinstance(body, str) else body
        ts = timestamp if timestamp is not None else str(int(time.time()))
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature if signature is not None else sign(raw, timestamp=ts),
            **(headers or {}),
        }
        async with self.session.post(self.url + path, data=raw, headers=sent) as response:
            return Answer(status=response.status, text=await response.text())

    async def command(self, text: str, *, response_name: str = "cmd", **fields: str) -> Answer:
        """Send ``/leadership <text>`` as a signed slash-command form body."""
        form = payload("slash_command") | {
            "text": text,
            "response_url": self.fake.response_url(response_name),
        }
        form.update(fields)
        return await self.post(urlencode(form), content_type="application/x-www-form-urlencoded")

    async def event(self, body: dict[str, Any], *, retry_num: int | None = None) -> Answer:
        """Send an ``event_callback`` JSON body (with Slack's retry headers if ``retry_num``)."""
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(json.dumps(body), content_type="application/json", headers=headers)

    async def interaction(self, body: dict[str, Any]) -> Answer:
        """Send an interactivity payload (``payload=<json>`` form body)."""
        form = urlencode({"payload": json.dumps(body)})
        return await self.post(form, content_type="application/x-www-form-urlencoded")


def base_env(fake: FakeSlackApi, tmp_path: Path) -> dict[str, str]:
    """Single-workspace settings pointing at ``fake`` and a SQLite file under ``tmp_path``."""
    return {
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'slack.db'}",
    }


@asynccontextmanager
async def serve(
    env: Mapping[str, str],
    *,
    fake: FakeSlackApi,
    the_coach: Coach | None = None,
    setup: Callable[[web.Application], None] | None = None,
) -> AsyncIterator[SlackServer]:
    """Mount the adapter with ``env`` and serve it on an ephemeral loopback port."""
    app = web.Application()
    # As ``coach serve`` does: one engine, migrated at start-up (retried if the database is down).
    engine = make_engine(env.get("DATABASE_URL"))
    outage = OutageLog()
    ensure_schema_on_startup(app, engine, where="slack", env=env, outage=outage)
    service = CoachService(the_coach or coach())
    mount(app, coach=service, env=env, engine=engine, outage=outage)
    if setup is not None:
        setup(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession() as session:
            yield SlackServer(
                url=f"http://127.0.0.1:{port}", fake=fake, session=session, env=env, app=app
            )
    finally:
        await runner.cleanup()
        service.close()
        engine.dispose()


@asynccontextmanager
async def slack_server(
    tmp_path: Path,
    *,
    env: Mapping[str, str] | None = None,
    the_coach: Coach | None = None,
    timezones: dict[str, str] | None = None,
    setup: Callable[[web.Application], None] | None = None,
) -> AsyncIterator[SlackServer]:
    """A fake Slack API plus the adapter served against it (single-workspace by default)."""
    async with FakeSlackApi(timezones=timezones) as fake:
        settings = base_env(fake, tmp_path) | dict(env or {})
        async with serve(settings, fake=fake, the_coach=the_coach, setup=setup) as server:
            yield server


def all_text(blocks: list[dict[str, Any]]) -> str:
    """Every text string inside Block Kit blocks, joined, for content assertions."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            text = node.get("text")
            if isinstance(text, str):
                found.append(text)
            for value in node.values():
                if isinstance(value, dict | list):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)
