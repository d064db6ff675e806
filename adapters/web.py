"""``coach serve``: the aiohttp server (and, by default, the nudge clock) in one process."""

from __future__ import annotations

import logging
import os

from aiohttp import web

log = logging.getLogger(__name__)

# Slack and Teams retry after a few seconds; give in-flight requests that long to finish.
SHUTDOWN_GRACE_SECONDS = 10.0


def build(*, clock: bool, env: dict[str, str] | None = None) -> web.Application:
    """Build the whole web application: core, storage, platforms and optionally the clock."""
    from adapters.runtime import build_coach
    from adapters.server import build_app

    env = dict(os.environ) if env is None else env
    coach = build_coach(env=env)
    app = build_app(coach=coach, env=env)
    if clock:
        from adapters.clock import attach

        attach(app, coach=coach, env=env)
    return app


def run(*, port: int, clock: bool = True) -> int:
    """Serve on ``port`` until SIGINT/SIGTERM, then finish in-flight requests and stop."""
    app = build(clock=clock)
    log.info("coach serve: listening on port %d (clock %s)", port, "on" if clock else "off")
    web.run_app(
        app,
        host=os.environ.get("HOST", "0.0.0.0"),
        port=port,
        print=None,
        shutdown_timeout=SHUTDOWN_GRACE_SECONDS,
        access_log=None,
    )
    return 0
