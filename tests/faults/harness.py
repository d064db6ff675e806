"""``coach serve`` as a real process, plus a TCP proxy that can cut the database off.

The fault tests drive the product the way production does: a separate process, real HTTP on
loopback ports, the loopback fakes for Slack and the Bot Connector, and a real database
(PostgreSQL behind :class:`Proxy`, whose stop/start is the outage).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

from tests.adapters.slack.harness import BOT_TOKEN, SIGNING_SECRET, payload, sign

ROOT = Path(__file__).resolve().parents[2]
# Variables a developer's shell might have that would change what the server does.
_SCRUB = ("CONNECTIONS__", "SLACK_", "TEAMS_", "DATABASE_URL", "PORT", "COACH_")


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(slots=True)
class Served:
    """A running ``coach serve`` process and where it listens."""

    process: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def log(self) -> str:
        """Everything the process has logged so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def command(
        self, http: aiohttp.ClientSession, text: str, *, response_url: str, user: str = "U1"
    ) -> tuple[int, str]:
        """POST a signed ``/leadership <text>``; return the HTTP status and the ack's body.

        A stateless answer may come back in the acknowledgement itself; anything else is
        posted to ``response_url`` afterwards.
        """
        form = payload("slash_command") | {"text": text, "response_url": response_url}
        form["user_id"] = user
        raw = urlencode(form).encode()
        ts = str(int(time.time()))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sign(raw, timestamp=ts),
        }
        async with http.post(f"{self.url}/slack/events", data=raw, headers=headers) as response:
            return response.status, await response.text()


def serve_env(
    *, database_url: str, slack_api: str, extra: Mapping[str, str] = {}
) -> dict[str, str]:
    """The environment for ``coach serve``: Slack on the fake, Teams anonymous."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB)}
    env.update(
        DATABASE_URL=database_url,
        HOST="127.0.0.1",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=slack_api,
        COACH_DB_RETRY_SECONDS="0.5",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@asynccontextmanager
async def coach_serve(
    env: Mapping[str, str], tmp_path: Path, *, clock: bool = False
) -> AsyncIterator[Served]:
    """Start ``coach serve`` and wait until /healthz answers; kill it whatever happens."""
    port = free_port()
    log_path = tmp_path / f"serve-{port}.log"
    args = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
    if not clock:
        args.append("--no-clock")
    with log_path.open("wb") as log:
        # Started once per test, before any request: blocking for a fork here is harmless.
        process = subprocess.Popen(  # noqa: ASYNC220
            args, env=dict(env), cwd=ROOT, stdout=log, stderr=log
        )
    served = Served(process=process, url=f"http://127.0.0.1:{port}", log_path=log_path)
    try:
        deadline = time.monotonic() + 30
        async with aiohttp.ClientSession() as http:
            while True:
                assert process.poll() is None, f"coach serve exited:\n{served.log()}"
                assert time.monotonic() < deadline, f"coach serve never came up:\n{served.log()}"
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"{served.url}/healthz") as response:
                        if response.status == 200:
                            break
                await asyncio.sleep(0.1)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)


class Proxy:
    """A loopback TCP proxy to PostgreSQL: :meth:`cut` is an outage, :meth:`restore` its end.

    Cutting closes the listening socket and every open connection, which is what the server
    sees when the database host goes away or restarts.
    """

    def __init__(self, *, target_port: int = 5432) -> None:
        self.port = free_port()
        self._target = target_port
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def restore(self) -> None:
        """Listen (again) on the same port."""
        self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)

    async def cut(self) -> None:
        """Stop listening and drop every connection."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self._target)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}

        async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))
        self._writers -= {writer, up_writer}
