"""Answer each Events API event once, however often Slack retries it.

Slack retries an event it thinks timed out (``X-Slack-Retry-Num``), with the same
``event_id``. The first delivery records the id in the database before anything is answered;
any later delivery of that id, in this process or another, is acknowledged and dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt.response import BoltResponse
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

    def middleware(self) -> Callable[..., Awaitable[BoltResponse | None]]:
        """A Bolt global middleware that drops repeated ``event_callback`` deliveries."""

        async def dedupe_events(
            body: dict[str, Any], next_: Callable[[], Awaitable[BoltResponse]]
        ) -> BoltResponse | None:
            event_id = body.get("event_id") if body.get("type") == "event_callback" else None
            if isinstance(event_id, str) and event_id:
                team = body.get("team_id")
                if not await self.first_delivery(
                    event_id=event_id, team_id=team if isinstance(team, str) else None
                ):
                    log.info("Dropped a repeated delivery of a Slack event")
                    return BoltResponse(status=200, body="")
            return await next_()

        return dedupe_events
