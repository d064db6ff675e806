"""Put Slack on the shared aiohttp server: ``POST /slack/events`` and, for OAuth, the install pages.

With no Slack settings the server still starts: the start-up log says what to set, and
``/slack/events`` answers 503 with the same message, so a misconfigured app is obvious from
Slack's own request log rather than a bare 500.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping

from aiohttp import ClientSession, web
from sqlalchemy import Engine

from adapters.slack.app import SlackApp, build_bolt_app
from adapters.slack.client import pool_connections
from adapters.slack.config import SlackConfig
from adapters.slack.handler import SlackRequestHandler
from adapters.slack.home import NUDGE_SECTION_KEY
from adapters.slack.listeners.commands import answer_in_ack
from adapters.slack.socket_mode import SocketModeRunner
from adapters.store.outage import OutageLog
from bot.ports import AsyncCoach

log = logging.getLogger(__name__)

SLACK_APP_KEY: web.AppKey[SlackApp] = web.AppKey("slack_app", SlackApp)


def mount(
    app: web.Application,
    *,
    coach: AsyncCoach,
    env: Mapping[str, str],
    engine: Engine,
    outage: OutageLog,
) -> None:
    """Add the Slack routes (and start-up hooks) to ``app``, as ``env`` configures them.

    ``engine`` (already migrated, or retried by the caller) holds installations and seen
    events; the caller owns and disposes of it.
    """
    config = SlackConfig.from_env(env)
    if not (config.http_enabled or config.socket_mode):
        message = config.explain_missing()
        log.warning(message)
        app.router.add_post("/slack/events", _unavailable(message))
        return

    slack = build_bolt_app(
        coach=coach,
        config=config,
        engine=engine,
        nudge_section=lambda: app.get(NUDGE_SECTION_KEY),
        outage=outage,
    )
    app[SLACK_APP_KEY] = slack

    sessions: list[ClientSession] = []

    async def open_connections(_app: web.Application) -> None:
        # Made here because a session belongs to the loop that runs the server.
        sessions.append(pool_connections(slack.bolt.client))

    async def close_connections(_app: web.Application) -> None:
        for session in sessions:
            await session.close()

    app.on_startup.append(open_connections)
    app.on_cleanup.append(close_connections)

    if config.http_enabled:
        handler = SlackRequestHandler(
            slack.bolt,
            signing_secret=config.signing_secret,
            # With OAuth, Bolt must find the workspace's installation before answering.
            answer_in_ack=None if config.oauth else functools.partial(answer_in_ack, coach),
        )
        app.router.add_post("/slack/events", handler.events)
        if config.oauth:
            app.router.add_get("/slack/install", handler.install)
            app.router.add_get("/slack/oauth_redirect", handler.oauth_redirect)
    else:
        app.router.add_post(
            "/slack/events",
            _unavailable(
                "Slack requests arrive over Socket Mode; set SLACK_SIGNING_SECRET to use this URL"
            ),
        )

    if config.socket_mode:
        runner = SocketModeRunner(slack, config=config)
        app.on_startup.append(runner.start)
        app.on_cleanup.append(runner.stop)

    if config.oauth and not config.data_key:
        log.error(
            "Slack: OAuth installs need COACH_DATA_KEY: tokens are stored only encrypted, so "
            "installing into a workspace fails until it is set (see README)"
        )
    log.info(
        "Slack: on (%s%s%s)",
        "OAuth, many workspaces" if config.oauth else "one workspace",
        ", HTTP at /slack/events" if config.http_enabled else "",
        ", Socket Mode" if config.socket_mode else "",
    )


def _unavailable(message: str):  # type: ignore[no-untyped-def]
    async def unavailable(_request: web.Request) -> web.Response:
        return web.json_response({"ok": False, "error": message}, status=503)

    return unavailable
