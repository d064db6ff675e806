"""Living with a database that is down: the schema retried in the background, polite replies.

Every process (``coach serve``, ``coach clock``) keeps running while ``DATABASE_URL`` is
unreachable: the stateless questions need no database, and crash-looping a web dyno only
turns a storage outage into a total one. What needs the database answers "try again
shortly" instead (:func:`bot.notices.try_again_reply`), and the schema is created or migrated
as soon as the database returns.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping

from aiohttp import web
from sqlalchemy import Engine

from adapters.env_numbers import env_number
from adapters.store.outage import OUTAGE_ERRORS, OutageLog
from adapters.store.schema import ensure_schema

# How often a process retries creating the schema after failing at start-up.
DEFAULT_RETRY_SECONDS = 15.0


def retry_seconds(env: Mapping[str, str]) -> float:
    """``COACH_DB_RETRY_SECONDS`` (default 15): how often to retry a database at start-up."""
    value = env_number(env, "COACH_DB_RETRY_SECONDS")
    return value if value is not None and value > 0 else DEFAULT_RETRY_SECONDS


class SchemaGate:
    """Creates or migrates the schema once, retrying on later calls while the database is down."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._ready = False
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        """True once the schema is known to be at head."""
        return self._ready

    def ensure(self) -> None:
        """Run ``ensure_schema`` unless it has already succeeded.

        Raises:
            sqlalchemy.exc.OperationalError: (or another of :data:`OUTAGE_ERRORS`) while the
                database is unreachable.
        """
        if self._ready:
            return
        with self._lock:
            if not self._ready:
                ensure_schema(self._engine)
                self._ready = True


def ensure_schema_on_startup(
    app: web.Application,
    engine: Engine,
    *,
    where: str,
    env: Mapping[str, str],
    outage: OutageLog,
) -> SchemaGate:
    """Add start-up hooks to ``app`` that migrate ``engine``, or keep retrying if it is down.

    A database that is down at start-up is logged once; the server starts anyway and a
    background task retries every ``COACH_DB_RETRY_SECONDS`` until the schema is in place.
    """
    gate = SchemaGate(engine)
    every = retry_seconds(env)
    tasks: list[asyncio.Task[None]] = []

    async def retry() -> None:
        while not gate.ready:
            await asyncio.sleep(every)
            try:
                await asyncio.to_thread(gate.ensure)
            except OUTAGE_ERRORS as exc:
                outage.down(exc, where=where)
            else:
                outage.up()

    async def start(_app: web.Application) -> None:
        try:
            await asyncio.to_thread(gate.ensure)
        except OUTAGE_ERRORS as exc:
            outage.down(exc, where=f"{where} start-up")
            tasks.append(asyncio.create_task(retry()))

    async def stop(_app: web.Application) -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    return gate
