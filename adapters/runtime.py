"""Build the coach every process uses: content, database schema and stateful commands."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from bot.coach import Coach

log = logging.getLogger(__name__)


def build_coach(*, env: Mapping[str, str] | None = None) -> Coach:
    """Load the content and plug in storage-backed commands (nudges, journal, forget me)."""
    env = os.environ if env is None else env
    coach = Coach.load()
    try:
        from adapters.store.wiring import stateful_commands
    except ImportError:  # storage not built into this checkout: stateless coach only
        log.warning("nudges and journal are unavailable: adapters.store.wiring is missing")
        return coach
    return coach.with_stateful(stateful_commands(coach=coach, env=env))
