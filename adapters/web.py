"""``coach serve``: the aiohttp server (and, by default, the nudge clock) in one process."""

from __future__ import annotations

import asyncio
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
    # First of the clean-up hooks, so Slack's clients and the database are still open while
    # acknowledged work finishes.
    app.on_cleanup.insert(0, _finish_background_work)
    return app


def _is_listener_task(task: asyncio.Task[object]) -> bool:
    # Bolt acks a slash command at once and answers it in a task it starts itself (through
    # the response_url or the Web API): that answer is in flight even though the HTTP
    # request has finished, and aiohttp would cancel it on exit.
    code = getattr(task.get_coro(), "cr_code", None)
    return code is not None and "slack_bolt" in code.co_filename


async def _finish_background_work(_app: web.Application) -> None:
    """Let acknowledged Slack work finish (within the grace period) before anything closes."""
    pending = {t for t in asyncio.all_tasks() if not t.done() and _is_listener_task(t)}
    if not pending:
        return
    log.info("coach serve: finishing %d acknowledged request(s) before stopping", len(pending))
    _done, left = await asyncio.wait(pending, timeout=SHUTDOWN_GRACE_SECONDS)
    if left:
        log.warning("coach serve: %d request(s) still unfinished at the grace period", len(left))


def run(*, port: int, clock: bool = True) -> int:
    """Serve on ``port`` until SIGINT/SIGTERM, then finish in-flight requests and stop."""
    from adapters.http_guard import bind_host

    app = build(clock=clock)
    host = bind_host(os.environ)
    log.info("coach serve: listening on %s:%d (clock %s)", host, port, "on" if clock else "off")
    web.run_app(
        app,
        host=host,
        port=port,
        print=None,
        shutdown_timeout=SHUTDOWN_GRACE_SECONDS,
        access_log=None,
    )
    return 0
