"""``GET /healthz``: is the process up, and can it use its database?

A load balancer or platform probe needs more than "the process answers": a server whose
database is gone (unreachable, or its SQLite file deleted) cannot save anything, and should be
taken out of rotation. The check is a real query (the schema version table, so an empty or
wrong database fails too), run in a worker thread with a short timeout so that /healthz
itself never hangs. The answer is JSON naming each part and never holds a secret or a URL.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import Engine, text

from adapters.store.outage import OUTAGE_ERRORS, describe

log = logging.getLogger(__name__)

CHECK_SECONDS = 2.0


def check_database(engine: Engine) -> None:
    """Run the health query; raises one of the outage errors when the database is not usable."""
    with engine.connect() as conn:
        conn.execute(text("SELECT version_num FROM alembic_version")).all()


def mount(app: web.Application, *, engine: Engine) -> None:
    """Add ``GET /healthz`` to ``app``, checking the server's own database ``engine``."""
    app.router.add_get("/healthz", handler(engine))


def handler(engine: Engine) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The ``/healthz`` handler for ``engine``: 200 when every part is up, else 503."""

    async def healthz(_request: web.Request) -> web.Response:
        try:
            await asyncio.wait_for(asyncio.to_thread(check_database, engine), CHECK_SECONDS)
        except TimeoutError:
            return _down(f"no answer within {CHECK_SECONDS:.0f} s")
        except OUTAGE_ERRORS as exc:
            return _down(describe(exc))
        return web.json_response({"ok": True, "database": {"ok": True}})

    return healthz


def _down(why: str) -> web.Response:
    return web.json_response({"ok": False, "database": {"ok": False, "error": why}}, status=503)
