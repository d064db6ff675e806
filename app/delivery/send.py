"""One delivery pass: find the slots owed at ``now``, claim them, send them, record outcomes.

The pass is a small pipeline so that the database and the network overlap:

* due slots are split into lanes, one per Teams tenant or Slack workspace, each in a stable
  order (subscription id); the lanes run side by side, so one huge tenant never holds up a
  small one, and their claims reach the database in turn (round robin);
* each lane claims in batches, only as fast as its sends free up room, so a claim's lease
  never runs out while it waits its turn;
* every send first takes a token from its tenant's or workspace's bucket (and its channel's,
  for Slack channel posts), so delivery paces itself below the platform's limits; a
  ``Retry-After`` pauses the bucket (see :mod:`app.delivery.pacing`);
* sends run concurrently under a bounded semaphore; a transient failure (429, 5xx, timeout)
  is retried with backoff, honouring ``Retry-After``, and is left owed to the next pass if
  it keeps failing; a permanent one switches that subscription off;
* outcomes are written in batches every few milliseconds, from a database thread of their
  own, so that a batch never waits behind a claim.

The one window that can repeat a nudge: the platform accepted a message and the process died
before the outcome batch holding it was committed (at most ``flush_interval`` of sends). The
next pass cannot tell "accepted, unrecorded" from "never sent", and sends again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine

from app.delivery.lanes import ramp, split_lanes
from app.delivery.ledger import Claim, Due, Outcome, claim, find_due, record
from app.delivery.pacing import Pacer
from app.delivery.settings import PassReport, PassSettings
from bot.content import Content
from bot.models import Reply
from bot.nudges.card import nudge_reply
from bot.ports import Messenger, SendResult, SendStatus

log = logging.getLogger(__name__)

T = TypeVar("T")


async def send_due(
    now: datetime,
    *,
    engine: Engine,
    messengers: Mapping[str, Messenger],
    content: Content,
    settings: PassSettings | None = None,
    wall_clock: Callable[[], datetime] | None = None,
    pacer: Pacer | None = None,
) -> PassReport:
    """Run one delivery pass as of ``now`` (aware) and return what it did.

    Args:
        now: the instant the pass acts at; slots are due relative to it (tests and operators
            may pass an instant other than the present).
        engine: the database holding subscriptions and the ledger.
        messengers: one sender per platform ("slack", "teams"); subscriptions on a platform
            with no messenger are left alone (they stay owed until it is configured).
        content: the framework rows and prompts.
        settings: tuning; see :class:`PassSettings`.
        wall_clock: the real time, for claim leases (default: the system clock). Kept apart
            from ``now`` so that a pass "as of" last Monday still leases in the present.
        pacer: the rate-limit buckets (default: fresh ones from ``settings.limits``); a
            process may share one between passes, so that a ``Retry-After`` outlives a pass.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    settings = settings or PassSettings()
    wall = wall_clock or (lambda: datetime.now(UTC))
    started = time.monotonic()
    report = PassReport(now=now)
    pacer = pacer or Pacer(settings.limits, engine=engine)
    # Outcomes are written from a thread of their own: behind a claim of hundreds of slots in
    # one queue, a batch of sends already accepted by the platform would wait unrecorded, and
    # that is the window in which a crash sends a nudge twice.
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="nudge-db") as db_thread,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="nudge-record") as record_thread,
    ):
        run = _Pass(
            engine=engine,
            messengers=messengers,
            content=content,
            settings=settings,
            wall=wall,
            report=report,
            db_thread=db_thread,
            record_thread=record_thread,
            pacer=pacer,
        )
        await run.go(now)
    report.seconds = time.monotonic() - started
    log.info("nudge pass %s", report.as_dict())
    return report


class _Pass:
    def __init__(
        self,
        *,
        engine: Engine,
        messengers: Mapping[str, Messenger],
        content: Content,
        settings: PassSettings,
        wall: Callable[[], datetime],
        report: PassReport,
        db_thread: ThreadPoolExecutor,
        record_thread: ThreadPoolExecutor,
        pacer: Pacer,
    ) -> None:
        self.engine = engine
        self.messengers = messengers
        self.content = content
        self.settings = settings
        self.wall = wall
        self.report = report
        self.db_thread = db_thread
        self.record_thread = record_thread
        self.token = uuid.uuid4().hex
        self.pacer = pacer
        self.sending = asyncio.Semaphore(settings.concurrency)
        self.pending: list[Outcome] = []
        self.done = asyncio.Event()
        self.replies: dict[tuple[str, int, bool, bool], Reply] = {}

    async def _db(
        self,
        fn: Callable[..., T],
        *args: Any,
        thread: ThreadPoolExecutor | None = None,
        **kwargs: Any,
    ) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(thread or self.db_thread, lambda: fn(*args, **kwargs))

    async def go(self, now: datetime) -> None:
        due = await self._db(
            find_due,
            self.engine,
            now,
            grace=self.settings.grace,
            platforms=tuple(self.messengers) or ("",),
        )
        self.report.due = len(due)
        flusher = asyncio.create_task(self._flush_until_done())
        try:
            lanes = [self._run_lane(items) for items in split_lanes(due).values()]
            # Every lane runs to its end even if another fails (the database dropping out
            # mid-claim, say), so that its sends in flight are recorded before the flusher
            # stops; then the first failure is raised as before.
            results = await asyncio.gather(*lanes, return_exceptions=True)
            for result in results:
                if isinstance(result, BaseException):
                    raise result
        finally:
            self.done.set()
            await flusher

    def _lane_batch(self, platform: str) -> int:
        rate = self.settings.limits.lane_rate(platform)
        if rate <= 0:
            return self.settings.claim_batch
        ahead = math.ceil(rate * self.settings.lane_ahead_seconds)
        return max(1, min(self.settings.claim_batch, ahead))

    async def _run_lane(self, due: list[Due]) -> None:
        """Claim and send one tenant's or workspace's slots, in order, at its own pace."""
        batch = self._lane_batch(due[0].subscription.target.platform)
        # Bounds this lane's claimed-but-unsent work, so that claims keep pace with sends.
        room = asyncio.Semaphore(batch * 2)
        tasks: set[asyncio.Task[None]] = set()
        try:
            for chunk in ramp(due, batch, first=self.settings.concurrency):
                for _ in chunk:
                    await room.acquire()
                claims = await self._db(
                    claim,
                    self.engine,
                    chunk,
                    content=self.content,
                    token=self.token,
                    wall_now=self.wall(),
                    lease=self.settings.lease,
                )
                claimed_at = time.monotonic()
                self.report.claimed += len(claims)
                for _ in range(len(chunk) - len(claims)):
                    room.release()  # slots someone else owns
                for item in claims:
                    task = asyncio.create_task(self._deliver(item, claimed_at, room))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
        except Exception:
            # Sends already under way still finish and reach the outcome batches; left
            # running on their own, they would be recorded nowhere and sent again later.
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)
            raise
        if tasks:
            await asyncio.gather(*tasks)

    async def _deliver(self, item: Claim, claimed_at: float, room: asyncio.Semaphore) -> None:
        try:
            outcome = await self._send_with_retries(item, claimed_at)
        except Exception:  # never let one bad message stop the pass
            log.exception("nudge delivery %d failed unexpectedly", item.delivery_id)
            outcome = Outcome(
                delivery_id=item.delivery_id,
                subscription_id=item.subscription.id,
                status="owed",
                attempts=item.attempts + 1,
                detail="internal error",
            )
        finally:
            room.release()
        if outcome.status == "sent":
            self.report.sent += 1
        elif outcome.status == "failed":
            self.report.failed += 1
        else:
            self.report.owed += 1
        self.pending.append(outcome)
        if len(self.pending) >= self.settings.flush_size:
            await self._flush()

    async def _send_with_retries(self, item: Claim, claimed_at: float) -> Outcome:
        sub = item.subscription
        target = sub.target
        messenger = self.messengers[target.platform]
        recipient = target
        reply = self._reply(item.row_id, item.prompt_index, target.is_channel, focus=item.focus)
        attempts = item.attempts
        result = SendResult(status=SendStatus.TRANSIENT, detail="not attempted")
        # Never start a send that could still be running when our claim lapses, or another
        # pass could take the slot over and send it too. Leave it owed instead.
        last_start = claimed_at + self.settings.last_send_start
        for attempt in range(self.settings.max_attempts):
            if attempt:
                self.report.retries += 1
                await asyncio.sleep(self._backoff(attempt, result.retry_after))
            # Tokens before a sending slot: a send waiting for its tenant's pace must not hold
            # a slot another tenant's send could use.
            await self.pacer.take(recipient)
            async with self.sending:
                if time.monotonic() > last_start:
                    result = SendResult(status=SendStatus.TRANSIENT, detail="claim ran out")
                    break
                attempts += 1
                try:
                    # ``timeout`` rather than ``wait_for``: no extra task and future per send.
                    async with asyncio.timeout(self.settings.send_timeout):
                        result = await messenger.send(recipient=recipient, reply=reply)
                except TimeoutError:
                    result = SendResult(status=SendStatus.TRANSIENT, detail="timed out")
            if result.status is not SendStatus.TRANSIENT:
                break
            if result.retry_after is not None and result.retry_after > 0:
                # The platform's limit for this tenant or workspace, not just this send: hold
                # every send queued behind it too.
                self.pacer.pause(
                    recipient, seconds=min(result.retry_after, self.settings.longest_wait)
                )
        status = {SendStatus.SENT: "sent", SendStatus.PERMANENT: "failed"}.get(
            result.status, "owed"
        )
        if status == "failed":
            log.warning(
                "nudge subscription %d switched off: %s", sub.id, result.detail or "permanent"
            )
        return Outcome(
            delivery_id=item.delivery_id,
            subscription_id=sub.id,
            status=status,
            attempts=attempts,
            message_ref=result.message_ref,
            detail=result.detail,
        )

    def _reply(self, row_id: str, prompt_index: int, channel: bool, *, focus: bool) -> Reply:
        # Thousands of people get one of a few dozen prompts: build each nudge once, so that
        # a messenger that caches its rendering by reply gets to reuse it.
        key = (row_id, prompt_index, channel, focus)
        reply = self.replies.get(key)
        if reply is None:
            reply = nudge_reply(
                self.content, row_id=row_id, prompt_index=prompt_index, channel=channel, focus=focus
            )
            self.replies[key] = reply
        return reply

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None and retry_after >= 0:
            wait = retry_after
        else:
            wait = self.settings.backoff_base * 2 ** (attempt - 1)
        # Jitter spreads a burst of 429s so that the retries do not arrive as one burst again.
        return float(min(self.settings.longest_wait, wait * random.uniform(1.0, 1.25)))

    async def _flush_until_done(self) -> None:
        while not self.done.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.done.wait(), self.settings.flush_interval)
            await self._flush()
        # Outcomes that arrived while the last batch was being written.
        await self._flush()

    async def _flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        # Shielded: once taken off ``pending`` a batch must reach the database even if this
        # pass is being cancelled, or its nudges would be sent again after the lease.
        written = await asyncio.shield(
            self._db(
                record,
                self.engine,
                batch,
                token=self.token,
                wall_now=self.wall(),
                thread=self.record_thread,
            )
        )
        if written < len(batch):
            # Only when our lease ran out and another pass took the slots over.
            log.warning(
                "nudge pass: %d outcomes not recorded (claims lapsed)", len(batch) - written
            )
