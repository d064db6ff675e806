"""SIGTERM to ``coach serve``: acknowledged work finishes, then a clean exit 0."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import aiohttp

from app.serve import SHUTDOWN_GRACE_SECONDS
from tests.fakes.slack_api import FakeSlackApi
from tests.faults.harness import coach_serve, serve_env

SLOW_SECONDS = 2.0


def test_sigterm_lets_a_slow_slash_command_finish_and_exits_zero(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeSlackApi() as fake:
            env = serve_env(
                database_url=f"sqlite:///{tmp_path / 'coach.db'}", slack_api=fake.api_url
            )
            async with coach_serve(env, tmp_path) as served, aiohttp.ClientSession() as http:
                # The answer goes out after the ack and after users.info, which the fake holds
                # as a slow Slack would: the answer is posted only once that hang is over.
                fake.hang_next("/users.info", seconds=SLOW_SECONDS)
                url = fake.response_url("slow")
                # A stateful command: acked at once, answered after users.info (its timezone).
                status, _ack = await served.command(http, "nudges", response_url=url)
                assert status == 200
                await fake.wait_for("/users.info", within=5)  # the answer is now in flight
                assert fake.received("/response") == []
                started = time.monotonic()
                served.process.send_signal(signal.SIGTERM)
                while served.process.poll() is None:
                    assert time.monotonic() - started < SHUTDOWN_GRACE_SECONDS + 5, served.log()
                    await asyncio.sleep(0.05)
                took = time.monotonic() - started
                assert served.process.returncode == 0, served.log()
                # It waited for the slow answer rather than cutting it off...
                assert len(fake.received("/response")) == 1, served.log()
                assert "nudge" in fake.received("/response")[0].text_everywhere.lower()
                # ...and no longer than the grace period.
                assert SLOW_SECONDS * 0.8 < took < SHUTDOWN_GRACE_SECONDS, took
                assert "Traceback" not in served.log(), served.log()

    asyncio.run(scenario())
