"""Issue 9, item 8: slow request bodies get a 408, aborted ones one INFO line.

Both are sent over a raw socket to the whole app, the way a slow-loris client or a phone
losing signal would: headers promising 100 bytes, then only a few. Before, the slow body held
the request open with no limit, and each aborted one logged an ERROR with a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from tests.adapters.slack.harness import BOT_TOKEN, SIGNING_SECRET
from tests.security.served import whole_app

HEAD = (
    b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
)


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'guard.db'}",
        "COACH_BODY_READ_SECONDS": "1",
    }


async def _open(url: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = url.removeprefix("http://").split(":")
    return await asyncio.open_connection(host, int(port))


def test_a_body_that_never_finishes_gets_408(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with whole_app(_env(tmp_path)) as url:
            reader, writer = await _open(url)
            writer.write(HEAD + b'{"type":')
            await writer.drain()
            started = time.monotonic()
            status_line = await asyncio.wait_for(reader.readline(), 8)
            assert status_line.startswith(b"HTTP/1.1 408"), status_line
            assert time.monotonic() - started < 5
            # ...and the connection is dropped, not held open to read the rest of the body.
            await asyncio.wait_for(reader.read(), 3)
            writer.close()

    asyncio.run(scenario())


def test_a_client_that_goes_away_mid_body_is_one_info_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    async def scenario() -> None:
        async with whole_app(_env(tmp_path)) as url:
            for _ in range(3):
                _reader, writer = await _open(url)
                writer.write(HEAD + b'{"type":')
                await writer.drain()
                await asyncio.sleep(0.1)
                writer.close()
                await writer.wait_closed()
            await asyncio.sleep(0.5)

    asyncio.run(scenario())
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    gone = [r for r in caplog.records if "went away" in r.getMessage()]
    assert len(gone) == 3
    assert all(r.levelno == logging.INFO and r.exc_info is None for r in gone)
