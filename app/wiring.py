"""Build the coach every process uses: content, database schema and stateful commands."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from adapters.charts import MatplotlibCharts
from adapters.documents import DocumentRenderer
from adapters.store.crypto import warn_if_missing
from adapters.store.db import make_engine
from adapters.store.outage import OutageLog
from adapters.store.repositories import sql_stores
from adapters.store.schema import ensure_schema
from app.guarded import GuardedCommands
from bot.coach import Coach
from bot.commands.router import Router, build
from bot.content import Content
from bot.models import Action, Incoming, Reply
from bot.nudges import DEFAULT_TIMEZONE
from bot.search import Found, search

log = logging.getLogger(__name__)

T = TypeVar("T")
# Worker threads for storage work: enough for a burst of presses, few enough that a database
# which hangs cannot exhaust the process. SQLite serialises writers anyway.
DEFAULT_WORKERS = 8


def _utc_now() -> datetime:
    return datetime.now(UTC)


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


def stateful_commands(*, coach: Coach, env: Mapping[str, str]) -> Router:
    """Open ``$DATABASE_URL``, migrate it, and build the commands on the coach's content.

    Warns at start-up when ``COACH_DATA_KEY`` is missing (the journal is then switched off).
    """
    engine = make_engine(env.get("DATABASE_URL"))
    try:
        ensure_schema(engine)
    except Exception:
        engine.dispose()  # the caller may retry while the database is down: leak nothing
        raise
    return build(
        sql_stores(engine, cipher=warn_if_missing(env)),
        content=coach.content,
        default_timezone=env.get("COACH_DEFAULT_TIMEZONE", DEFAULT_TIMEZONE),
        documents=DocumentRenderer(),
        charts=MatplotlibCharts(),
        matcher=coach.matcher,
    )


class CoachService:
    """The one async facade over the core (:class:`bot.ports.AsyncCoach`) every adapter uses.

    Stateless questions are answered inline: they take well under a millisecond and need no
    database, so a thread hop would only add latency. Anything that touches storage runs in
    one hop on a bounded pool of worker threads, never on the event loop, so Slack's three
    seconds and Teams' fifteen are kept while the database is slow, locked or down; the
    stateful commands inside are guarded (:class:`app.guarded.GuardedCommands`), so an
    outage becomes "try again shortly", not an error.

    Example:
        >>> service = CoachService(build_coach())  # doctest: +SKIP
        >>> reply = await service.handle(Incoming(text="journal"))  # doctest: +SKIP
    """

    def __init__(
        self,
        coach: Coach,
        *,
        workers: int = DEFAULT_WORKERS,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.coach = coach
        # Bounded: a database that hangs can hold at most this many threads, not one per request.
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="coach-db")
        self._now = now

    @property
    def content(self) -> Content:
        """The framework content the coach answers from."""
        return self.coach.content

    @property
    def keeps_state(self) -> bool:
        """True when storage-backed commands (nudges, journal, forget me) are plugged in."""
        return self.coach.stateful is not None

    def answer(self, text: str) -> Reply:
        """Answer a stateless question at once."""
        return self.coach.answer(text)

    def needs_state(self, text: str) -> bool:
        """Whether answering ``text`` reads or writes storage."""
        return self.coach.needs_state(text)

    def search(self, text: str, *, limit: int) -> tuple[Found, ...]:
        """Shareable results for a search box, at once (content only, no storage)."""
        return search(
            text, content=self.coach.content, understanding=self.coach.understanding, limit=limit
        )

    def answer_now(self, incoming: Incoming) -> Reply | None:
        """The answer at once if ``incoming`` needs no storage (routed once), else ``None``."""
        return self.coach.answer_now(incoming, now=self._now())

    async def handle(self, incoming: Incoming) -> Reply:
        """Answer what a person typed: inline if stateless, else in one worker-thread hop."""
        reply = self.coach.answer_now(incoming, now=self._now())
        if reply is not None:
            return reply
        return await self.run(self.coach.handle, incoming, now=self._now())

    async def act(self, action: Action) -> Reply:
        """Answer a button press: inline if stateless, else in one worker-thread hop."""
        if not self.coach.acts_on_state(action):
            return self.coach.act(action, now=self._now())
        return await self.run(self.coach.act, action, now=self._now())

    async def reflection(self, incoming: Incoming, *, thread_ref: str) -> Reply | None:
        """Save a reply to one of our nudges as a reflection; ``None`` if it is not one."""
        stateful = self.coach.stateful
        if stateful is None or not thread_ref:
            return None
        return await self.run(
            stateful.reflection_reply, incoming, thread_ref=thread_ref, now=self._now()
        )

    async def run(self, work: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run blocking ``work(*args, **kwargs)`` on the worker threads and await its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(work, *args, **kwargs))

    def close(self) -> None:
        """Let queued work finish in the background and release the threads when it has."""
        self._executor.shutdown(wait=False)
