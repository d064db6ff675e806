"""A loopback "platform" for delivery tests, and a Messenger that talks to it over real HTTP.

The server runs in its own thread and event loop (as a platform would run elsewhere), so a
test can drive it from plain code, from ``asyncio.run`` or from a subprocess alike. It
accepts ``POST /send`` and records what it *accepted*; per-recipient scripts make it answer
429 with ``Retry-After``, 5xx, a permanent 404, or never answer at all.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from bot.identity import Who
from bot.models import Reply
from bot.ports import SendResult, SendStatus


@dataclass
class Platform:
    """What the fake received, and how it should answer."""

    url: str = ""
    accepted: list[dict] = field(default_factory=list)
    attempts: Counter = field(default_factory=Counter)
    # user id -> answers to give, in order; after the list runs out the answer is 200.
    scripts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    retry_after: str = "0"
    hang_after: int | None = None  # stop answering once this many messages were accepted
    lock: threading.Lock = field(default_factory=threading.Lock)

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(m["to"] for m in self.accepted)


def _key(body: dict) -> str:
    return body["conversation_id"] or body["user_id"]


PLATFORM: web.AppKey[Platform] = web.AppKey("platform", Platform)


async def _handle(request: web.Request) -> web.Response:
    platform = request.app[PLATFORM]
    body = await request.json()
    to = _key(body)
    with platform.lock:
        platform.attempts[to] += 1
        script = platform.scripts.get(to)
        status = script.pop(0) if script else 200
        hang = platform.hang_after is not None and len(platform.accepted) >= platform.hang_after
        if status == 200 and not hang:
            ts = f"{len(platform.accepted) + 1}.000100"
            platform.accepted.append({"to": to, "ts": ts, **body})
    if hang:
        await asyncio.sleep(3600)
    if status == 200:
        return web.json_response({"ok": True, "ts": ts})
    headers = {"Retry-After": platform.retry_after} if status == 429 else {}
    return web.json_response({"ok": False}, status=status, headers=headers)


@contextmanager
def running_platform() -> Iterator[Platform]:
    """Start the fake on 127.0.0.1 on an ephemeral port, in a thread of its own."""
    platform = Platform()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict = {}

    async def start() -> None:
        app = web.Application()
        app[PLATFORM] = platform
        app.router.add_post("/send", _handle)
        # Held requests must not keep the test waiting at shutdown.
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        platform.url = f"http://127.0.0.1:{port}/send"
        holder["runner"] = runner
        ready.set()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()
        # Held requests are still sleeping; cancel them so that the loop closes cleanly.
        for task in asyncio.all_tasks(loop):
            task.cancel()
        loop.run_until_complete(asyncio.sleep(0))
        loop.run_until_complete(holder["runner"].cleanup())
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield platform
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


class LoopbackMessenger:
    """A :class:`bot.ports.Messenger` for the fake: JSON over HTTP, failures classified."""

    def __init__(self, url: str, *, platform: str = "slack") -> None:
        self.url = url
        self.platform = platform
        self._session: aiohttp.ClientSession | None = None

    async def send(self, *, recipient: Who, reply: Reply) -> SendResult:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        body = {
            "platform": recipient.platform,
            "workspace_id": recipient.workspace_id,
            "user_id": recipient.user_id,
            "conversation_id": recipient.conversation_id,
            "text": reply.text,
            "card": json.loads(json.dumps(_card(reply))),
        }
        try:
            async with self._session.post(self.url, json=body) as response:
                if response.status == 200:
                    data = await response.json()
                    return SendResult(status=SendStatus.SENT, message_ref=data["ts"])
                if response.status == 429 or response.status >= 500:
                    after = response.headers.get("Retry-After")
                    return SendResult(
                        status=SendStatus.TRANSIENT,
                        detail=f"HTTP {response.status}",
                        retry_after=float(after) if after else None,
                    )
                return SendResult(status=SendStatus.PERMANENT, detail=f"HTTP {response.status}")
        except aiohttp.ClientError as exc:
            return SendResult(status=SendStatus.TRANSIENT, detail=type(exc).__name__)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


def _card(reply: Reply) -> dict:
    card = reply.card
    if card is None:
        return {}
    return {
        "title": card.title,
        "facts": {f.label: f.value for s in card.sections for f in s.facts},
        "question": next((s.body for s in card.sections if s.heading), ""),
        "buttons": [(b.label, b.action_id, b.value) for b in card.buttons],
    }
