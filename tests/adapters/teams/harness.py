"""Run the real server on an ephemeral port and talk to it as Teams would.

Tests are plain functions that call ``asyncio.run`` on a scenario (the suite has no asyncio
plugin); these helpers start ``build_app`` with a temporary SQLite database and post recorded
Activity JSON whose ``serviceUrl`` points at the fake Bot Connector.
"""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from adapters.teams.messenger import TeamsMessenger
from adapters.teams.mount import TEAMS_MESSENGER
from app.serve import build_app
from bot.coach import Coach
from tests.servers import served

PAYLOADS = Path(__file__).parent / "payloads"
BOT_ID = "28:c9e8c047-2a74-40a2-b28a-b162d5f5327c"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
MEGAN = "29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw"
ADELE = "29:1f3ueKb1jSGS4vbXUDUzm4VqBxU3GkMYh9kXRyHrdh0fXqAqCCZPmvyB7YFQhVGwgAyQ9WrVR6cyfv9nLZoRwmQ"


def payload(name: str, *, service_url: str, **changes: Any) -> dict[str, Any]:
    """A recorded activity with its ``serviceUrl`` (and any top-level field) replaced."""
    data = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    data["serviceUrl"] = service_url
    for key, value in changes.items():
        data[key] = copy.deepcopy(value)
    return data


@dataclass
class Server:
    """A running server and an HTTP session to it."""

    url: str
    app: web.Application
    http: aiohttp.ClientSession

    @property
    def messenger(self) -> TeamsMessenger:
        return self.app[TEAMS_MESSENGER]

    async def post(
        self, body: Any, *, headers: dict[str, str] | None = None, raw: bytes | None = None
    ) -> tuple[int, Any]:
        """POST to /api/messages; return the status and the JSON (or text) answer."""
        data = raw if raw is not None else json.dumps(body).encode("utf-8")
        send_headers = {"Content-Type": "application/json", **(headers or {})}
        async with self.http.post(
            f"{self.url}/api/messages", data=data, headers=send_headers
        ) as response:
            text = await response.text()
            try:
                answer: Any = json.loads(text) if text else None
            except ValueError:
                answer = text
            return response.status, answer


@asynccontextmanager
async def serve(coach: Coach, env: dict[str, str]) -> AsyncIterator[Server]:
    """Start ``build_app`` on 127.0.0.1 and an ephemeral port; stop it on exit."""
    app = build_app(coach=coach, env=env)
    async with served(app) as url, aiohttp.ClientSession() as http:
        yield Server(url=url, app=app, http=http)


def cards(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """The Adaptive Cards in a posted activity."""
    return [
        a["content"]
        for a in activity.get("attachments") or []
        if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
    ]


def card_text(activity: dict[str, Any]) -> str:
    """Every string in the activity's cards, for content assertions."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(cards(activity))
    return "\n".join(found)


def submit_actions(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """The buttons of an activity's cards that send data back, as ``Action.Submit``.

    An ``Action.Execute`` (Universal Actions) counts through its ``Action.Submit`` fallback,
    which carries the same data: pressing that is what an older client does.
    """
    found = []
    for card in cards(activity):
        for action in card.get("actions", []):
            if action.get("type") == "Action.Execute":
                action = action["fallback"]
            if action.get("type") == "Action.Submit":
                found.append(action)
    return found
