"""``coach serve`` from the outside: the issue's "done when", over real HTTP to a real process."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from aiohttp import web

from tests.adapters.slack.harness import (
    BOT_TOKEN,
    SIGNING_SECRET,
    SlackServer,
    all_text,
    payload,
    sign,
)
from tests.fakes.slack_api import FakeSlackApi

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def coach_serve(tmp_path: Path, fake: FakeSlackApi) -> AsyncIterator[SlackServer]:
    """Run ``coach serve --no-clock`` in a subprocess, configured for Slack only."""
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "CONNECTIONS__", "DATABASE_URL"))
    } | {
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "HOST": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.cli",
        "serve",
        "--port",
        str(port),
        "--no-clock",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            deadline = time.monotonic() + 30
            while True:
                try:
                    async with session.get(url + "/healthz") as health:
                        if health.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    pass
                if process.returncode is not None or time.monotonic() > deadline:
                    assert process.stderr is not None
                    errors = (await process.stderr.read()).decode()[-2000:]
                    raise AssertionError(f"coach serve did not start: {errors}")
                await asyncio.sleep(0.1)
            yield SlackServer(url=url, fake=fake, session=session, env=env, app=web.Application())
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


async def test_coach_serve_does_what_the_issue_asks(tmp_path: Path) -> None:
    async with FakeSlackApi() as fake, coach_serve(tmp_path, fake) as server:
        # A signed /leadership behaviours resilience is answered with the resilience row.
        # It is answered in the acknowledgement itself: an ephemeral message, no response_url post.
        answer = await server.command("behaviours resilience")
        assert answer.status == 200
        message = answer.json()
        assert message["response_type"] == "ephemeral"
        shown = all_text(message["blocks"])
        assert "Individual Effectiveness" in shown
        assert "Patience, persistence and resilience" in shown

        # An @mention "contact Leeds" is answered, in its thread, with the Yorkshire academy.
        mention = payload("app_mention")
        await server.event(mention)
        [post] = await fake.wait_for("/chat.postMessage", within=10)
        assert post.body["thread_ts"] == mention["event"]["ts"]
        assert "Yorkshire and the Humber" in all_text(post.body["blocks"])

        # A DM "principles carers" is answered with principle 4.
        await server.event(payload("message_im"))
        posts = await fake.wait_for("/chat.postMessage", count=2, within=10)
        assert "Carers are identified, supported and involved" in all_text(posts[1].body["blocks"])

        # A replayed event is answered once.
        await server.event(mention, retry_num=1)
        await server.event(mention, retry_num=2)
        await fake.settle(0.5)
        assert len(fake.received("/chat.postMessage")) == 2
        assert fake.received("/response") == []

        # Bad signatures and stale timestamps get 401.
        body = json.dumps(payload("message_im") | {"event_id": "EvNEW"})
        forged = await server.post(body, content_type="application/json", signature="v0=bad")
        stale_ts = str(int(time.time()) - 600)
        stale = await server.post(
            body,
            content_type="application/json",
            timestamp=stale_ts,
            signature=sign(body.encode(), timestamp=stale_ts),
        )
        assert (forged.status, stale.status) == (401, 401)
