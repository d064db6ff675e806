"""Handle a repeated Teams activity once, across processes.

Teams re-sends an activity when our answer is slow, and a rolling deploy can have two server
processes up at once; an in-memory set would let both answer. A primary-key insert into the
shared database is the claim: exactly one process's insert succeeds.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from adapters.store.outage import OUTAGE_ERRORS, OutageLog
from adapters.store.teams_tables import teams_seen_activities

# Teams retries within seconds; a day is far beyond any retry and keeps the table small.
KEEP_FOR = timedelta(days=1)
# Prune on roughly one claim in this many, so no request pays for a full sweep every time.
PRUNE_EVERY = 200


def _claim(dialect: Any) -> Any:
    return (
        dialect.insert(teams_seen_activities)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(teams_seen_activities.c.key)
    )


# Built once per dialect (by "is PostgreSQL"): a claim is made on every turn, and building the
# statement cost more than running it.
_CLAIMS = {False: _claim(sqlite), True: _claim(postgresql)}


def activity_key(*, channel_id: str, conversation_id: str, activity_id: str) -> str:
    """The claim key of one activity: Teams ids are unique per conversation, not globally."""
    return _digest("activity", channel_id, conversation_id, activity_id)


def welcome_key(*, conversation_id: str) -> str:
    """The claim key of the welcome in one conversation (Teams signals an install twice)."""
    return _digest("welcome", conversation_id)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class SeenActivities:
    """Claims on activity keys, stored in ``teams_seen_activities``.

    Example:
        >>> seen = SeenActivities(engine)  # doctest: +SKIP
        >>> seen.claim(key)  # first delivery: handle it  # doctest: +SKIP
        True
        >>> seen.claim(key)  # Teams' retry: skip it  # doctest: +SKIP
        False
    """

    def __init__(self, engine: Engine, *, outage: OutageLog | None = None) -> None:
        self._engine = engine
        self._outage = outage or OutageLog()
        self._claims = 0

    def claim(self, key: str, *, now: datetime | None = None) -> bool:
        """Record ``key``; return False when some process recorded it first."""
        now = now or datetime.now(UTC)
        self._claims += 1
        try:
            if self._claims % PRUNE_EVERY == 1:
                self.prune(now=now)
            with self._engine.begin() as conn:
                conn.execute(insert(teams_seen_activities).values(key=key, seen_at=now))
        except IntegrityError:
            return False
        except OUTAGE_ERRORS as exc:
            # Database down: answering a rare retry twice beats answering nobody at all.
            self._outage.down(exc, where="teams activity dedupe")
        return True

    def claim_in(self, conn: Connection, key: str, *, now: datetime) -> bool:
        """:meth:`claim` as one statement of a larger transaction on ``conn``.

        ``ON CONFLICT DO NOTHING`` rather than catching IntegrityError: a failed insert would
        abort the caller's transaction on PostgreSQL, and the claim shares it with other writes.
        ``RETURNING`` tells whether the row went in: psycopg reports no rowcount for this insert
        (SQLAlchemy gives -1), so counting rows took every retry for a first delivery there.
        """
        self._claims += 1
        if self._claims % PRUNE_EVERY == 1:
            cutoff = now - KEEP_FOR
            conn.execute(
                delete(teams_seen_activities).where(teams_seen_activities.c.seen_at < cutoff)
            )
        statement = _CLAIMS[conn.dialect.name == "postgresql"]
        return conn.execute(statement, {"key": key, "seen_at": now}).first() is not None

    def release(self, key: str) -> None:
        """Forget ``key`` so that a retry is handled: the first attempt failed before answering."""
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    delete(teams_seen_activities).where(teams_seen_activities.c.key == key)
                )
        except OUTAGE_ERRORS as exc:
            self._outage.down(exc, where="teams activity dedupe")

    def prune(self, *, now: datetime) -> int:
        """Delete claims older than :data:`KEEP_FOR`; return how many went."""
        cutoff = now - KEEP_FOR
        with self._engine.begin() as conn:
            result = conn.execute(
                delete(teams_seen_activities).where(teams_seen_activities.c.seen_at < cutoff)
            )
        return int(result.rowcount or 0)
