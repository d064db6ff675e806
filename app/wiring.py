"""Build the coach every process uses: content, database schema and stateful commands."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from adapters.store.crypto import warn_if_missing
from adapters.store.db import make_engine
from adapters.store.outage import OutageLog
from adapters.store.repositories import sql_stores
from adapters.store.schema import ensure_schema
from app.guarded import GuardedCommands
from bot.coach import Coach
from bot.nudge_commands import NudgeCommands
from bot.nudges import DEFAULT_TIMEZONE

log = logging.getLogger(__name__)


def build_coach(*, env: Mapping[str, str] | None = None, outage: OutageLog | None = None) -> Coach:
    """Load the content and plug in storage-backed commands (nudges, journal, forget me).

    The database may be down at start-up: the coach starts anyway (stateless questions need
    no storage) and the stateful commands say "try again shortly" until it is back.
    """
    env = os.environ if env is None else env
    coach = Coach.load()
    guarded = GuardedCommands(
        lambda: stateful_commands(coach=coach, env=env), outage=outage or OutageLog()
    )
    guarded.prepare()
    return coach.with_stateful(guarded)


def stateful_commands(*, coach: Coach, env: Mapping[str, str]) -> NudgeCommands:
    """Open ``$DATABASE_URL``, migrate it, and build the commands on the coach's content.

    Warns at start-up when ``COACH_DATA_KEY`` is missing (the journal is then switched off).
    """
    engine = make_engine(env.get("DATABASE_URL"))
    try:
        ensure_schema(engine)
    except Exception:
        engine.dispose()  # the caller may retry while the database is down: leak nothing
        raise
    return NudgeCommands(
        sql_stores(engine, cipher=warn_if_missing(env)),
        content=coach.content,
        default_timezone=env.get("COACH_DEFAULT_TIMEZONE", DEFAULT_TIMEZONE),
    )
