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
    from adapters.store.outage import GuardedCommands

    # The database may be down at start-up: the coach starts anyway (stateless questions need
    # no storage) and the stateful commands say "try again shortly" until it is back.
    guarded = GuardedCommands(lambda: stateful_commands(coach=coach, env=env))
    guarded.prepare()
    return coach.with_stateful(guarded)
