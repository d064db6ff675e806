"""``coach serve``: one aiohttp application for every platform, and the nudge clock.

Routes: ``/slack/events`` (and the Slack OAuth pages), ``/api/messages`` and ``/healthz``.
Each platform adapter contributes its routes through ``mount(app, *, coach, env, engine, …)``,
so this module only builds what they share (the coach, one database engine, the outage log),
wires them together and never translates a payload itself.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Mapping

from aiohttp import web
from sqlalchemy import Engine

from adapters import health
from adapters.http_guard import bind_host, body_guard, body_read_seconds
from adapters.store.db import make_engine
from adapters.store.outage import OutageLog
from app.outage import ensure_schema_on_startup
from app.wiring import CoachService, build_coach
from bot.coach import Coach

log = logging.getLogger(__name__)

# Slack and Teams payloads are a few KB; a cap stops a huge body from tying up the worker.
MAX_BODY_BYTES = 1024 * 1024
# Slack and Teams retry after a few seconds; give in-flight requests that long to finish.
SHUTDOWN_GRACE_SECONDS = 10.0
# Objects allocated before the youngest garbage generation is collected (CPython's default is
# 700). With 200 requests in flight, each collection at 700 re-walks every in-flight request's
# objects; measured under the Slack bench, 10,000 cut the collector's share of the server's CPU
# from about 5% to under 2%, for a few hundred KB more garbage held at most.
GC_YOUNG_THRESHOLD = 10_000

COACH_KEY: web.AppKey[Coach] = web.AppKey("coach", Coach)


def build_app(
    *,
    coach: Coach,
    env: Mapping[str, str] | None = None,
    engine: Engine | None = None,
    outage: OutageLog | None = None,
) -> web.Application:
    """Build the web application with every platform whose settings are present.

    Args:
        coach: the core every platform answers with.
        env: the settings (default: the process environment).
        engine: the database the platforms keep their state in (default: ``DATABASE_URL``);
            disposed of when the app stops if it is made here.
        outage: the process's outage log (default: a new one).
    """
    env = os.environ if env is None else env
    outage = outage or OutageLog()
    app = web.Application(
        client_max_size=MAX_BODY_BYTES, middlewares=[body_guard(seconds=body_read_seconds(env))]
    )
    app[COACH_KEY] = coach
    if engine is None:
        engine = make_engine(env.get("DATABASE_URL"))
        owned = engine

        async def dispose(_app: web.Application) -> None:
            await asyncio.to_thread(owned.dispose)

        app.on_cleanup.append(dispose)
    # A database that is down at start-up is logged once and retried; the server still starts.
    ensure_schema_on_startup(app, engine, where="serve", env=env, outage=outage)
    health.mount(app, engine=engine)  # GET /healthz: the process and its database

    from adapters.slack.mount import mount as mount_slack
    from adapters.teams.mount import mount as mount_teams

    # Both platforms go through one facade: storage work on its bounded worker threads.
    service = CoachService(coach)

    async def close_service(_app: web.Application) -> None:
        service.close()

    app.on_cleanup.append(close_service)
    mount_slack(app, coach=service, env=env, engine=engine, outage=outage)
    mount_teams(app, coach=service, env=env, engine=engine, outage=outage, run=service.run)
    return app


def build(*, clock: bool, env: dict[str, str] | None = None) -> web.Application:
    """Build the whole web application: core, storage, platforms and optionally the clock."""
    env = dict(os.environ) if env is None else env
    outage = OutageLog()
    coach = build_coach(env=env, outage=outage)
    app = build_app(coach=coach, env=env, outage=outage)
    if clock:
        from app.clock import attach

        attach(app, coach=coach, env=env, outage=outage)
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


async def _freeze_start_up_heap(_app: web.Application) -> None:
    """Move everything built at start-up out of the garbage collector's sight.

    The content, the ranking indexes and the libraries are about 230,000 long-lived objects.
    Left in the oldest generation, every full collection walks all of them: under the Slack
    bench that was a ~200 ms pause every few thousand requests (straight into the ack p99) and
    about 10% of the server's CPU; under the Teams bench, one every 3-5 s paused every thread
    for 120-500 ms. ``gc.freeze`` is CPython's documented way to exempt them;
    they are never freed, which they never were anyway.
    """
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, oldest)


def run(*, port: int, clock: bool = True) -> int:
    """Serve on ``port`` until SIGINT/SIGTERM, then finish in-flight requests and stop."""
    app = build(clock=clock)
    # Last of the start-up hooks, so that what the others open is frozen too.
    app.on_startup.append(_freeze_start_up_heap)
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
