"""The baseline for the Teams path: a bare Microsoft 365 Agents SDK app that only echoes.

``python -m bench.bare_agents --port P`` serves it the way the SDK's own samples do: an
aiohttp ``web.Application`` with the SDK's ``jwt_authorization_middleware`` and an
``AgentAuthConfiguration(anonymous_allowed=True)`` (the same anonymous local mode as
``coach serve`` with ``TEAMS_ALLOW_ANONYMOUS=1`` and no credentials), the SDK's
``CloudAdapter.process`` on ``POST /api/messages``, and an ``ActivityHandler`` whose
``on_message_activity`` sends the text back into the conversation. The replies go to the
activity's ``serviceUrl`` (the benchmark's fake Bot Connector), as the coach's do.

So this is the most an Agents SDK app on this stack can do per message: the coach's
throughput is reported as a fraction of it (``teams_vs_bare_agents``). The SDK's per-turn
costs (product info, telemetry spans, a connector client per turn) are paid here in full, as
any SDK app pays them; the coach works around some of them (see ``adapters/teams/client_pool.py``).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from aiohttp import web
from microsoft_agents.activity import Activity, ActivityTypes, TurnContextProtocol
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_middleware
from microsoft_agents.hosting.core import ActivityHandler, AgentAuthConfiguration


class EchoAgent(ActivityHandler):
    """Sends every message's text back, and nothing else."""

    async def on_message_activity(self, turn_context: TurnContextProtocol[Activity]) -> None:
        """Echo the text as a plain message."""
        text = turn_context.activity.text or ""
        await turn_context.send_activity(
            Activity(type=ActivityTypes.message, text=text, text_format="plain")
        )


def build_app() -> web.Application:
    """The aiohttp application: ``POST /api/messages`` and ``GET /healthz``."""
    anonymous = AgentAuthConfiguration(anonymous_allowed=True)
    connections = MsalConnectionManager(
        connections_configurations={"SERVICE_CONNECTION": anonymous}
    )
    adapter = CloudAdapter(connection_manager=connections)
    agent = EchoAgent()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, agent)
        return response if response is not None else web.Response(status=202)

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application(middlewares=[jwt_authorization_middleware])
    app["agent_configuration"] = anonymous
    app.router.add_post("/api/messages", messages)
    # The SDK's middleware guards every route; healthz only tells the bench we are up.
    app.router.add_get("/healthz", healthz)
    return app


def main(argv: list[str] | None = None) -> int:
    """Serve the bare app on 127.0.0.1 until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m bench.bare_agents")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "WARNING").upper())
    web.run_app(build_app(), host="127.0.0.1", port=args.port, print=None, access_log=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
