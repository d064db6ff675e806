"""One aiohttp application for every platform: /slack/events, /api/messages and /healthz.

Each platform adapter contributes its routes through a ``mount(app, *, coach, env)`` function,
so this module only wires them together and never translates a payload itself.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from aiohttp import web

from bot.coach import Coach

log = logging.getLogger(__name__)

# Slack and Teams payloads are a few KB; a cap stops a huge body from tying up the worker.
MAX_BODY_BYTES = 1024 * 1024

COACH_KEY: web.AppKey[Coach] = web.AppKey("coach", Coach)


def build_app(*, coach: Coach, env: Mapping[str, str] | None = None) -> web.Application:
    """Build the web application with every platform whose settings are present."""
    env = os.environ if env is None else env
    from adapters.http_guard import body_guard, body_read_seconds

    app = web.Application(
        client_max_size=MAX_BODY_BYTES, middlewares=[body_guard(seconds=body_read_seconds(env))]
    )
    app[COACH_KEY] = coach
    from adapters import health

    health.mount(app, env=env)  # GET /healthz: the process and its database

    from adapters.slack.mount import mount as mount_slack
    from adapters.teams.mount import mount as mount_teams

    mount_slack(app, coach=coach, env=env)
    mount_teams(app, coach=coach, env=env)
    return app
