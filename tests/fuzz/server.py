"""The whole web application (``app.serve.build``) on its own event loop in a thread.

Hypothesis drives plain functions, so the server runs in a thread of its own and the tests
talk to it over real HTTP with ``urllib``. Slack is configured (signing secret, bot token,
Web API at a loopback :class:`FakeSlackApi`) and Teams runs anonymously, answering through a
loopback :class:`FakeBotConnector`; the database is a temporary SQLite file.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Coroutine, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from aiohttp import web

from app.serve import build
from tests.adapters.slack.harness import BOT_TOKEN, SIGNING_SECRET, sign
from tests.adapters.slack.harness import payload as slack_payload
from tests.adapters.teams.harness import payload as teams_payload
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi

T = TypeVar("T")
SLACK = "/slack/events"
TEAMS = "/api/messages"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


class AppInThread:
    """``coach serve``'s application, both platforms mounted, on 127.0.0.1 and a free port."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.url = ""
        self.fake: FakeSlackApi | None = None
        self.connector: FakeBotConnector | None = None
        self._ready = threading.Event()
        self._failed: BaseException | None = None
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._serial = 0

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread in __enter__
            self._failed = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with FakeSlackApi() as fake, FakeBotConnector() as connector:
            self.fake, self.connector = fake, connector
            env = {
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_API_URL": fake.api_url,
                "DATABASE_URL": f"sqlite:///{self.tmp_path / 'fuzz.db'}",
            }
            runner = web.AppRunner(build(clock=False, env=env), access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
            self._ready.set()
            try:
                await self._stop.wait()
            finally:
                await runner.cleanup()

    def __enter__(self) -> AppInThread:
        self._thread.start()
        assert self._ready.wait(30), "the app did not start within 30 s"
        if self._failed is not None:
            raise self._failed
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(20)

    def on_loop(self, coroutine: Coroutine[Any, Any, T], *, within: float = 10.0) -> T:
        """Run ``coroutine`` on the server's loop (where the fakes live) and wait for it."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(within)

    @property
    def response_url(self) -> str:
        """A ``response_url`` at the fake Slack API, so no fuzzed URL is ever fetched."""
        assert self.fake is not None
        return self.fake.response_url("fuzz")

    @property
    def service_url(self) -> str:
        """A ``serviceUrl`` at the fake Bot Connector."""
        assert self.connector is not None
        return self.connector.url

    def post(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str | None = JSON,
        signed: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> int:
        """POST ``body`` to ``path``, Slack-signed unless ``signed`` is false; return the status."""
        return self.exchange(path, body, content_type, signed=signed, headers=headers)[0]

    def exchange(
        self,
        path: str,
        body: bytes,
        content_type: str | None = JSON,
        *,
        signed: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, str]:
        """Like :meth:`post`, but also return the response body as text."""
        sent: dict[str, str] = {}
        if content_type is not None:
            sent["Content-Type"] = content_type
        if signed:
            ts = str(int(time.time()))
            sent |= {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign(body, timestamp=ts)}
        sent |= dict(headers or {})
        request = urllib.request.Request(self.url + path, data=body, method="POST", headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return int(response.status), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return int(err.code), err.read().decode("utf-8", "replace")

    def unique(self) -> str:
        """A fresh id, so that event and activity dedupe never short-cuts a fuzzed request."""
        self._serial += 1
        return f"fuzz-{time.monotonic_ns()}-{self._serial}"

    def assert_still_serving(self) -> None:
        """A normal Slack command and a normal Teams message are both still answered."""
        assert self.fake is not None
        assert self.connector is not None
        name = self.unique()
        form = slack_payload("slash_command") | {
            "text": "behaviours resilience",
            "response_url": self.fake.response_url(name),
        }
        status, acknowledgement = self.exchange(SLACK, urlencode(form).encode(), FORM)
        assert status == 200
        # Answered in the acknowledgement, or (if the app defers it) at the response_url.
        deadline = time.monotonic() + 10
        while "Patience, persistence and resilience" not in acknowledgement + "".join(
            r.text_everywhere for r in self.fake.received("/response") if r.url.endswith(name)
        ):
            assert time.monotonic() < deadline, "the slash command was never answered"
            time.sleep(0.02)

        before = len(self.connector.activities())
        activity = teams_payload(
            "personal_message", service_url=self.connector.url, text="contact Leeds"
        )
        activity["id"] = self.unique()
        assert self.post(TEAMS, _json(activity), signed=False) == 202
        replies = self.connector.activities()[before:]
        assert any("Yorkshire and the Humber" in str(r) for r in replies), replies


def _json(body: Any) -> bytes:
    return json.dumps(body).encode()
