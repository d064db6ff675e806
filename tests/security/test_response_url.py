"""Issue 9, item 6: a ``response_url`` is posted to only on Slack's hooks host (or, in tests
and private deployments, on ``SLACK_API_URL``'s origin).

A correctly signed slash command names where its answer goes. Before, the answer (which may
hold the person's journal) went to whatever that was, any host or scheme; a ``file://`` URL
made the listener fail after three seconds. Now anything else is refused, and the log names
the origin only, never the path.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from aiohttp import web

from tests.adapters.slack.harness import slack_server


class _Elsewhere:
    """A loopback server on another origin than the fake Slack API; records what it gets."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def _hit(self, request: web.Request) -> web.Response:
        self.hits.append(await request.text())
        return web.Response(text="ok")

    async def __aenter__(self) -> _Elsewhere:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._hit)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def test_answers_go_only_to_allowed_response_urls(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    async def scenario() -> None:
        async with _Elsewhere() as elsewhere, slack_server(tmp_path) as server:
            fake = server.fake
            # Positive control: the fake's own response URL (SLACK_API_URL's origin) is used.
            assert (await server.command("journal", response_name="ok")).status == 200
            await fake.wait_for("/response", within=10)
            refused = [
                f"{elsewhere.url}/services/T0001/B0001/secret-path-1",
                "file:///etc/passwd-secret-path-2",
                "https://hooks.slack.com.evil.example/secret-path-3",
                "http://hooks.slack.com/secret-path-4",
            ]
            for target in refused:
                started = asyncio.get_running_loop().time()
                answer = await server.command("journal", response_url=target)
                assert answer.status == 200, (target, answer)
                assert asyncio.get_running_loop().time() - started < 2.5
            await fake.quiet()
            assert elsewhere.hits == []
            assert len(fake.received("/response")) == 1

    asyncio.run(scenario())
    refusals = [r.getMessage() for r in caplog.records if "refused to post" in r.getMessage()]
    assert len(refusals) == 4, refusals
    assert not any("secret-path" in r.getMessage() for r in caplog.records)
