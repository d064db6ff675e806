"""Slack over Socket Mode with no web server at all: the listeners, a database, nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from adapters.slack.app import build_bolt_app
from adapters.slack.config import SlackConfig
from adapters.slack.socket_mode import SocketModeRunner
from adapters.store.db import make_engine
from adapters.store.outage import OutageLog
from adapters.store.schema import ensure_schema
from app.wiring import CoachService
from bot.coach import Coach


async def run_socket_mode(*, coach: Coach, env: Mapping[str, str]) -> None:
    """Run the Slack app over Socket Mode until cancelled, with no web server.

    Needs ``SLACK_APP_TOKEN`` (``xapp-…``, with ``connections:write``) and ``SLACK_BOT_TOKEN``.

    Example:
        >>> asyncio.run(run_socket_mode(coach=Coach.load(), env=os.environ))  # doctest: +SKIP
    """
    config = SlackConfig.from_env(env)
    if not config.socket_mode:
        raise RuntimeError(
            "Socket Mode needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN"
            " (see the Slack section of README.md)"
        )
    engine = make_engine(config.database_url)
    await asyncio.to_thread(ensure_schema, engine)
    runner = SocketModeRunner(
        build_bolt_app(coach=CoachService(coach), config=config, engine=engine, outage=OutageLog()),
        config=config,
    )
    await runner.start()
    try:
        await asyncio.Event().wait()
    finally:
        await runner.stop()
        await asyncio.to_thread(engine.dispose)
