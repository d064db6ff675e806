"""Pacing shared by every clock process on PostgreSQL: one tenant's budget, however many clocks.

With one process, :class:`app.delivery.pacing.TokenBucket` paces in memory. Two ``coach clock``
processes each had their own buckets, so each had to be set to half the limit by hand. On
PostgreSQL a scope's bucket is instead one row of ``coach_pacing``, and taking a token is one
atomic statement that *reserves a send slot* (GCRA, the "virtual scheduling" form of a token
bucket): the row holds the earliest time the next send may go out; each take moves it on by
``1/rate`` and returns the slot it got, and the caller sleeps until then::

    slot     = max(next_at, now - tolerance)   -- tolerance lets up to ``capacity`` go at once
    next_at  = slot + 1/rate

Why a row updated atomically rather than advisory locks: a lock would have to be held while
waiting for the token (one connection per waiting send, for seconds) or polled; the row costs
one short ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per send, holds nothing while the
caller sleeps, leaves nothing behind if a process dies (a reserved, unused slot only wastes
1/rate seconds), and serves waiters from every process in the order they asked. Time is the
database's (``statement_timestamp()``), so the clocks of different hosts need not agree.

A ``Retry-After`` pushes the row's ``next_at`` to the end of the pause, for every process.

The table, ``coach_pacing`` (:mod:`adapters.store.pacing_tables`), comes with the migrated
schema (revision 0007) like every other: a clock migrates at start-up, before its first pass.
It holds a few rows of transient timing, not data, and "forget me" has nothing to delete in it
(scopes are tenant, workspace and channel ids).

SQLite means one clock (it cannot be shared across hosts), so it keeps the in-memory buckets.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)

_NOW = "extract(epoch FROM statement_timestamp())"
# The wait (seconds, maybe negative: go now) until the slot this take reserved.
_RESERVE = text(
    "INSERT INTO coach_pacing AS b (scope, next_at)"
    # A new row is an idle bucket: full, as TokenBucket starts.
    f" VALUES (:scope, {_NOW} - :tolerance + :interval)"
    " ON CONFLICT (scope) DO UPDATE"
    f" SET next_at = GREATEST(b.next_at, {_NOW} - :tolerance) + :interval"
    f" RETURNING b.next_at - :interval - {_NOW}"
)
_PAUSE = text(
    "INSERT INTO coach_pacing AS b (scope, next_at)"
    f" VALUES (:scope, {_NOW} + :seconds)"
    " ON CONFLICT (scope) DO UPDATE"
    f" SET next_at = GREATEST(b.next_at, {_NOW} + :seconds)"
)


def shares_pacing(engine: Engine | None) -> bool:
    """Whether clocks on ``engine`` share their buckets (PostgreSQL) or not (SQLite, none)."""
    return engine is not None and engine.dialect.name == "postgresql"


class SharedBucket:
    """A token bucket whose state is a ``coach_pacing`` row (the interface of TokenBucket)."""

    def __init__(
        self,
        *,
        engine: Engine,
        scope: str,
        rate: float,
        capacity: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("a token bucket needs a rate above zero")
        self.rate = rate
        self.capacity = max(1.0, capacity)
        self.scope = scope
        self._engine = engine
        self._sleep = sleep
        self._interval = 1.0 / rate
        self._tolerance = (self.capacity - 1.0) * self._interval
        # At most a burst's worth of slots reserved ahead by this process. Slots reserved far
        # ahead would all fall due at once after the event loop stalled (a busy pass, a slow
        # host) and go out together, a burst the platform answers with 429s.
        self._ahead = asyncio.Semaphore(max(1, int(self.capacity)))
        self._paused_until = 0.0  # this process's own copy of the latest pause (monotonic)
        self._pausing: set[asyncio.Future[None]] = set()
        self.paused = 0  # how many times a Retry-After paused this bucket

    async def take(self) -> None:
        """Reserve the next slot in the shared row, then wait for it."""
        local = self._paused_until - time.monotonic()
        if local > 0:
            await self._sleep(local)
        async with self._ahead:
            wait = await asyncio.to_thread(self._reserve)
            if wait > 0:
                await self._sleep(wait)

    def _reserve(self) -> float:
        with self._engine.begin() as conn:
            wait = conn.execute(
                _RESERVE,
                {"scope": self.scope, "interval": self._interval, "tolerance": self._tolerance},
            ).scalar_one()
        return float(wait)

    def pause(self, seconds: float) -> None:
        """Hold every process's sends in this scope for ``seconds`` (a ``Retry-After``)."""
        seconds = max(0.0, seconds)
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)
        self.paused += 1
        # Called from the event loop, and must not block it: the row is updated in a thread.
        future = asyncio.get_running_loop().run_in_executor(None, self._pause_row, seconds)
        self._pausing.add(future)
        future.add_done_callback(self._paused_row)

    def _pause_row(self, seconds: float) -> None:
        with self._engine.begin() as conn:
            conn.execute(_PAUSE, {"scope": self.scope, "seconds": seconds})

    def _paused_row(self, future: asyncio.Future[None]) -> None:
        self._pausing.discard(future)
        if not future.cancelled() and future.exception() is not None:
            # This process still waits out the pause; the others meet the 429 themselves.
            log.warning("shared pacing: could not record a pause (%s)", future.exception())
