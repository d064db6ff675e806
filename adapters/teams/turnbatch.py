"""Group commit for the turn's database work: the turns that arrive together share a transaction.

Every Teams turn writes (at least its dedupe claim), and on SQLite writers take turns. Measured
under the benchmark's 50 concurrent messages, with one transaction per turn on eight worker
threads, the threads mostly waited: SQLite's busy handler sleeps between retries (1 ms, 2 ms,
5 ms ... up to 100 ms), and each of a transaction's five or six statements gives up the GIL
and waits up to the 5 ms switch interval to get it back from the event loop. A turn's p50 was
~450 ms and its p99 ~1.8 s at under half a core of CPU.

So one batch is in flight at a time, per process: a turn that arrives while it runs waits for
the next, which takes everything that arrived meanwhile (up to :data:`BATCH_LIMIT`) in one
transaction, one commit and one worker-thread hop. Alone, a turn runs at once as before. What
each turn does, and when its claim is visible to other processes (committed before its turn
runs), is unchanged: see :mod:`adapters.teams.turnstart`.

This is hand-written (about forty lines): asyncio has no batching primitive, and the
libraries that batch (e.g. for DataLoader-style lookups) batch reads, not a transaction.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from microsoft_agents.activity import Activity

from adapters.teams.turnstart import Runner, TurnRequest, TurnStart, TurnStarter

# Enough to take all of a burst at the benchmark's concurrency in one transaction, few enough
# that one transaction (and the lock it holds) stays short.
BATCH_LIMIT = 64

_Waiting = tuple[TurnRequest, "asyncio.Future[TurnStart]"]


class TurnBatcher:
    """Runs :meth:`TurnStarter.start_batch` for the turns waiting, one batch at a time.

    Example:
        >>> batcher = TurnBatcher(starter, run=asyncio.to_thread)  # doctest: +SKIP
        >>> start = await batcher.start(activity, key=key, now=now)  # doctest: +SKIP
    """

    def __init__(self, starter: TurnStarter, *, run: Runner, limit: int = BATCH_LIMIT) -> None:
        self._starter = starter
        self._run = run
        self._limit = limit
        self._waiting: list[_Waiting] = []
        self._draining: asyncio.Task[None] | None = None

    async def start(self, activity: Activity, *, key: str | None, now: datetime) -> TurnStart:
        """The turn's :class:`TurnStart`, from the next batch to run."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[TurnStart] = loop.create_future()
        self._waiting.append((TurnRequest(activity=activity, key=key, now=now), future))
        if self._draining is None or self._draining.done():
            self._draining = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        batch: list[_Waiting] = []
        try:
            while self._waiting:
                batch = self._waiting[: self._limit]
                del self._waiting[: self._limit]
                try:
                    results = await self._run(
                        self._starter.start_batch, [request for request, _ in batch]
                    )
                except Exception as exc:  # the worker pool itself failed: every turn hears
                    results = [exc] * len(batch)
                for (_, future), result in zip(batch, results, strict=True):
                    if future.done():
                        continue  # its turn was cancelled meanwhile
                    if isinstance(result, Exception):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            # Cancelled (the server stopping): nobody may wait for an answer that will not come.
            for _, future in (*batch, *self._waiting):
                if not future.done():
                    future.cancel()
            self._waiting.clear()
