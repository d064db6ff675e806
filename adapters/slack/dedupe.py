"""Answer each Events API event once, however often Slack retries it.

Slack retries an event it thinks timed out (``X-Slack-Retry-Num``), with the same
``event_id``. The listener that answers an event records its id in the database (after the
ack, before answering); any later delivery of that id, in this process or another, is
acknowledged and dropped.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from adapters.store import slack_tables
from adapters.store.outage import OUTAGE_ERRORS, OutageLog

log = logging.getLogger(__name__)

# Slack retries for about an hour; a day's worth of ids is plenty and keeps the table small.
KEEP = timedelta(days=1)
PRUNE_EVERY = 500


class EventDedupe:
    """Remembers handled ``event_id`` values in ``slack_seen_events``."""

    def __init__(
        self, engine: Engine, *, keep: timedelta = KEEP, outage: OutageLog | None = None
    ) -> None:
        self._engine = engine
        self._outage = outage or OutageLog()
        self._keep = keep
        self._since_prune = 0

    async def first_delivery(self, *, event_id: str, team_id: str | None) -> bool:
        """Record ``event_id``; True the first time it is seen anywhere, False for a repeat."""
        now = datetime.now(UTC)
        try:
            first = await asyncio.to_thread(
                slack_tables.record_event, self._engine, event_id=event_id, team_id=team_id, now=now
            )
        except OUTAGE_ERRORS as exc:
            # Database down: answering a rare retry twice beats answering nobody at all.
            self._outage.down(exc, where="slack event dedupe")
            return True
        self._since_prune += 1
        if self._since_prune >= PRUNE_EVERY:
            self._since_prune = 0
            await asyncio.to_thread(
                slack_tables.prune_events, self._engine, before=now - self._keep
            )
        return first

    async def is_repeat(self, body: dict[str, Any]) -> bool:
        """True when ``body`` is an ``event_callback`` some process has already handled.

        Called by the listeners *after* Bolt has acknowledged the event: the insert waits on
        the database, and Slack's three seconds must not (a slow ack is what makes Slack
        retry in the first place).
        """
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not isinstance(event_id, str) or not event_id:
            return False
        team = body.get("team_id")
        first = await self.first_delivery(
            event_id=event_id, team_id=team if isinstance(team, str) else None
        )
        if not first:
            log.info("Dropped a repeated delivery of a Slack event")
        return not first
