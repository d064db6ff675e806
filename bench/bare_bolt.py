"""The baseline for the Slack path: a bare slack-bolt ``AsyncApp`` that only acks.

``python -m bench.bare_bolt --port P`` serves it with Bolt's own aiohttp adapter
(``slack_bolt.adapter.aiohttp``: ``to_bolt_request`` → ``async_dispatch`` →
``to_aiohttp_response``), on the same aiohttp server, event loop policy, logging level and
Bolt settings as ``coach serve``: signature verification on, single-workspace token (one
``auth.test`` to ``SLACK_API_URL``, then cached), listeners after the ack. Its command listener
calls ``ack()`` and nothing else, so it is the most a Bolt app on this stack can do; the coach's
throughput is reported as a fraction of it.

Settings come from the environment, as they do for ``coach serve``: ``SLACK_SIGNING_SECRET``,
``SLACK_BOT_TOKEN``, ``SLACK_API_URL`` and ``LOG_LEVEL``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def build_app(*, signing_secret: str, token: str, api_url: str) -> web.Application:
    """The aiohttp application: ``POST /slack/events`` and ``GET /healthz``."""
    bolt = AsyncApp(
        name="bare-bolt",
        signing_secret=signing_secret,
        client=AsyncWebClient(token=token, base_url=api_url),
        # As in adapters/slack/app.py, so both apps take the same path through Bolt.
        process_before_response=False,
    )

    @bolt.command("/leadership")
    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", healthz)
    return app


def main(argv: list[str] | None = None) -> int:
    """Serve the bare app on 127.0.0.1 until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m bench.bare_bolt")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "WARNING").upper())
    app = build_app(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        token=os.environ["SLACK_BOT_TOKEN"],
        api_url=os.environ["SLACK_API_URL"],
    )
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
