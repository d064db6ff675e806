"""The nudge clock: a delivery pass every minute, in its own process or inside ``coach serve``.

* ``coach clock`` (:func:`main_clock`): the Procfile's ``clock:`` process.
* ``coach serve`` runs the same clock in-process (:func:`attach`) unless ``--no-clock``.
* ``coach nudges send-due [--now ISO-8601]`` (:func:`main_send_due`): one pass, then exit.

Running two clocks at once (a rolling deploy, or serve and clock both) is safe: the ledger's
unique claim decides who sends each slot. APScheduler runs the pass with ``coalesce`` and
``max_instances=1``, so a slow pass is never overlapped by the next one in the same process.

Settings (environment): ``COACH_NUDGE_GRACE_HOURS`` (default 12), ``COACH_NUDGE_LEASE_SECONDS``
(default 180), ``COACH_NUDGE_SEND_TIMEOUT_SECONDS`` (default 15), ``COACH_NUDGE_CONCURRENCY``
(default 64), the pacing limits of :mod:`app.delivery.pacing` (``COACH_TEAMS_TENANT_RPS``,
``COACH_SLACK_WORKSPACE_RPS``, ``COACH_SLACK_CHANNEL_RPS``), plus ``DATABASE_URL`` and each
platform's own settings.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from adapters.env_numbers import env_number
from adapters.store.crypto import warn_if_missing
from adapters.store.db import make_engine
from adapters.store.outage import OUTAGE_ERRORS, OutageLog, describe
from app.delivery.messengers import active_platforms, close_all, messengers_from_env
from app.delivery.pacing import Limits
from app.delivery.send import send_due
from app.delivery.settings import PassReport, PassSettings
from app.outage import SchemaGate
from bot.content import Content, load_content
from bot.nudges.bank_holidays import REGIONS, is_bank_holiday
from bot.ports import Messenger

if TYPE_CHECKING:
    from bot.coach import Coach

log = logging.getLogger(__name__)

# How long shutdown waits for a pass in flight before cutting it short.
STOP_WAIT_SECONDS = 10.0
# A few seconds past the minute, so a slot at 09:00 goes at 09:00:05 even if the machine's
# clock runs slightly behind the platform's.
PASS_SECOND = 5


def settings_from_env(env: Mapping[str, str]) -> PassSettings:
    """Pass tuning from ``COACH_NUDGE_*`` variables; unset ones keep their defaults.

    Raises:
        ValueError: naming the variable when one is not a positive number, or when the lease
            is too short for the send timeout.
    """
    changes: dict[str, Any] = {}
    if (grace := _positive(env, "COACH_NUDGE_GRACE_HOURS")) is not None:
        changes["grace"] = timedelta(hours=grace)
    if (lease := _positive(env, "COACH_NUDGE_LEASE_SECONDS")) is not None:
        changes["lease"] = timedelta(seconds=lease)
    if (concurrency := _positive(env, "COACH_NUDGE_CONCURRENCY")) is not None:
        changes["concurrency"] = max(1, int(concurrency))
    if (send_timeout := _positive(env, "COACH_NUDGE_SEND_TIMEOUT_SECONDS")) is not None:
        changes["send_timeout"] = send_timeout
    # Pacing below each platform's limits: COACH_TEAMS_TENANT_RPS and the Slack ones.
    changes["limits"] = Limits.from_env(env)
    return PassSettings(**changes)


def warm_up() -> None:
    """Load now what the first pass would otherwise load in the middle of its work.

    The first bank-holiday lookup makes the ``holidays`` package import every country it knows
    (about 280 modules, 0.3-0.6 s on a small machine); paid at start-up, it no longer holds up
    the first pass's claims and sends.
    """
    today = datetime.now(UTC).date()
    for region in REGIONS:
        is_bank_holiday(today, region)


def _positive(env: Mapping[str, str], name: str) -> float | None:
    value = env_number(env, name)
    if value is None:
        return None
    if value <= 0:
        raise ValueError(f"{name} must be above zero")
    return value


@dataclass(slots=True, kw_only=True)
class Clock:
    """Everything a delivery pass needs, opened once per process."""

    engine: Engine
    env: dict[str, str]
    content: Content
    settings: PassSettings
    messengers: dict[str, Messenger] = field(default_factory=dict)
    # Shared with the web server in ``coach serve``, so one outage is logged once.
    outage: OutageLog = field(default_factory=OutageLog)
    _tried: set[str] = field(default_factory=set, repr=False)
    gate: SchemaGate = field(init=False, repr=False)
    scheduler: AsyncIOScheduler | None = field(default=None, init=False)
    _current: asyncio.Task[None] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.gate = SchemaGate(self.engine)

    @classmethod
    def open(
        cls,
        env: Mapping[str, str],
        *,
        content: Content | None = None,
        outage: OutageLog | None = None,
    ) -> Clock:
        """Connect and migrate; messengers are built on the first pass that needs them."""
        engine = make_engine(env.get("DATABASE_URL"))
        clock = cls(
            engine=engine,
            env=dict(env),
            content=content or load_content(),
            settings=settings_from_env(env),
            outage=outage or OutageLog(),
        )
        try:
            clock.gate.ensure()
        except OUTAGE_ERRORS as exc:
            # Keep running: each pass retries, and nothing is lost, only late.
            clock.outage.down(exc, where="nudge clock start-up")
        warn_if_missing(env)
        warm_up()
        return clock

    def _add_messengers(self) -> None:
        # A platform is tried once per process: its settings cannot change under us.
        wanted = active_platforms(self.engine) - self._tried
        if not wanted:
            return
        self._tried |= wanted
        self.messengers |= messengers_from_env(self.env, engine=self.engine, platforms=wanted)
        for platform in sorted(wanted - self.messengers.keys()):
            log.warning("nudge clock: %s has subscribers but is not configured", platform)

    async def run_pass(self, now: datetime | None = None) -> PassReport:
        """One delivery pass as of ``now`` (default: this instant).

        Raises:
            sqlalchemy.exc.OperationalError: (or another of ``OUTAGE_ERRORS``) when the
                database cannot be reached; nothing is marked sent that was not.
        """
        await asyncio.to_thread(self.gate.ensure)
        await asyncio.to_thread(self._add_messengers)
        report = await send_due(
            now or datetime.now(UTC),
            engine=self.engine,
            messengers=self.messengers,
            content=self.content,
            settings=self.settings,
        )
        self.outage.up()
        return report

    async def safe_pass(self) -> None:
        """A pass whose failure is logged rather than raised (the scheduler calls this)."""
        self._current = asyncio.current_task()
        try:
            await self.run_pass()
        except OUTAGE_ERRORS as exc:
            # One line per outage, not a stack trace a minute: the next pass retries.
            self.outage.down(exc, where="nudge pass")
        except Exception:
            log.exception("nudge pass failed; the next one retries whatever is owed")
        finally:
            self._current = None

    def start(self) -> AsyncIOScheduler:
        """Start running :meth:`safe_pass` every minute, in UTC, on the running event loop."""
        scheduler = AsyncIOScheduler(timezone=UTC)
        scheduler.add_job(
            self.safe_pass,
            CronTrigger(second=PASS_SECOND, timezone=UTC),
            id="nudges",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=50,
            # Catch up at once on start rather than wait for the next minute.
            next_run_time=datetime.now(UTC),
        )
        scheduler.start()
        self.scheduler = scheduler
        return scheduler

    async def stop(self) -> None:
        """Stop scheduling, let a pass in flight finish (briefly), then release everything.

        A pass cut short loses nothing: its claims lapse and the next pass sends them.
        """
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on its next loop turn
        current = self._current
        if current is not None and not current.done():
            await asyncio.wait({current}, timeout=STOP_WAIT_SECONDS)
            if not current.done():
                current.cancel()
                await asyncio.gather(current, return_exceptions=True)
        await close_all(self.messengers)
        # Closing pooled connections can block (a PostgreSQL goodbye): not on the loop.
        await asyncio.to_thread(self.engine.dispose)


# --- coach clock ----------------------------------------------------------------------------


def main_clock(argv: Sequence[str]) -> int:
    """``coach clock``: run a delivery pass every minute until SIGINT or SIGTERM."""
    argparse.ArgumentParser(
        prog="coach clock", description="Run the weekly nudge scheduler."
    ).parse_args(list(argv))
    return asyncio.run(_run_clock(dict(os.environ)))


async def _run_clock(env: Mapping[str, str]) -> int:
    clock = await asyncio.to_thread(Clock.open, env)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    clock.start()
    log.info("nudge clock running: a pass every minute at :%02d UTC", PASS_SECOND)
    try:
        await stop.wait()
    finally:
        await clock.stop()
    log.info("nudge clock stopped")
    return 0


# --- coach nudges send-due -------------------------------------------------------------------


def main_send_due(argv: Sequence[str]) -> int:
    """``coach nudges send-due [--now ISO-8601]``: one pass, a JSON summary, exit 0.

    Exits 1, with one log line, when the database cannot be reached.
    """
    parser = argparse.ArgumentParser(
        prog="coach nudges send-due", description="Run one nudge delivery pass and exit."
    )
    parser.add_argument(
        "--now",
        type=_instant,
        default=None,
        help="act as if it were this instant (ISO-8601 with an offset, e.g. "
        "2025-06-02T09:00:30+01:00); default: now",
    )
    args = parser.parse_args(list(argv))
    try:
        report = asyncio.run(_send_due_once(dict(os.environ), args.now))
    except OUTAGE_ERRORS as exc:
        # A one-shot pass (cron, an operator) should fail visibly: say why in one line.
        log.error("nudge pass not run: the database is unreachable (%s)", describe(exc))
        return 1
    print(json.dumps(report.as_dict()), flush=True)
    return 0


def _instant(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 instant: {raw!r}") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("give an offset (e.g. +01:00 or Z): times are ambiguous")
    return value.astimezone(UTC)


async def _send_due_once(env: Mapping[str, str], now: datetime | None) -> PassReport:
    clock = await asyncio.to_thread(Clock.open, env)
    try:
        return await clock.run_pass(now)
    finally:
        await clock.stop()


# --- inside coach serve ----------------------------------------------------------------------

CLOCK_KEY: web.AppKey[dict[str, Clock]] = web.AppKey("nudge_clock", dict)


def attach(
    app: web.Application,
    *,
    coach: Coach,
    env: Mapping[str, str],
    outage: OutageLog | None = None,
) -> None:
    """Run the clock inside the web server: started on app startup, stopped on cleanup.

    The running :class:`Clock` is at ``app[CLOCK_KEY]["clock"]`` while the app runs.
    """
    holder: dict[str, Clock] = {}
    app[CLOCK_KEY] = holder

    async def start(_app: web.Application) -> None:
        clock = await asyncio.to_thread(Clock.open, env, content=coach.content, outage=outage)
        holder["clock"] = clock
        clock.start()
        log.info("nudge clock running inside coach serve")

    async def stop(_app: web.Application) -> None:
        clock = holder.pop("clock", None)
        if clock is not None:
            await clock.stop()

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
