"""Plug the storage-backed commands (nudges, journal, forget me) into a coach."""

from __future__ import annotations

from collections.abc import Mapping

from adapters.store.crypto import warn_if_missing
from adapters.store.db import make_engine
from adapters.store.repositories import sql_stores
from adapters.store.schema import ensure_schema
from bot.coach import Coach
from bot.nudge_commands import NudgeCommands
from bot.nudges import DEFAULT_TIMEZONE


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
