"""Pacing: send below each platform's rate limits, so that a 429 is the exception.

Teams lets a bot make about 50 requests/s per tenant; Slack allows about one message per
second per channel plus a workspace-wide limit it signals with 429 and ``Retry-After``. A
delivery pass takes a token from every bucket a recipient falls under before each send:

* one bucket per Teams tenant (``COACH_TEAMS_TENANT_RPS``, default 50);
* one bucket per Slack workspace (``COACH_SLACK_WORKSPACE_RPS``, default 20);
* one bucket per Slack channel, for channel posts (``COACH_SLACK_CHANNEL_RPS``, default 1).

A setting of ``0`` or ``off`` leaves that scope unpaced (benchmarks of the pass itself use it).
A ``Retry-After`` pauses the recipient's buckets for that long, so every send queued behind it
waits too, rather than each one hitting the limit and backing off on its own.

On PostgreSQL the buckets are shared by every clock process (:mod:`app.delivery.shared_pacing`),
so each setting is the platform's whole limit however many clocks run; on SQLite (one clock)
they live in this process.

Example:
    >>> pacer = Pacer(Limits(teams_tenant_rps=50))
    >>> await pacer.take(recipient)  # doctest: +SKIP
    >>> ...  # send; on a 429 with Retry-After: 2
    >>> pacer.pause(recipient, seconds=2.0)  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import Engine

from app.delivery.shared_pacing import SharedBucket, shares_pacing
from bot.identity import Who

TEAMS_TENANT_RPS = "COACH_TEAMS_TENANT_RPS"
SLACK_WORKSPACE_RPS = "COACH_SLACK_WORKSPACE_RPS"
SLACK_CHANNEL_RPS = "COACH_SLACK_CHANNEL_RPS"


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Requests per second allowed per scope; ``0`` means that scope is not paced.

    ``burst_seconds`` is how much unused rate a bucket may save up: small, so that sends stay
    evenly spaced and a platform that counts per second never sees a burst above its limit.
    """

    teams_tenant_rps: float = 50.0
    slack_workspace_rps: float = 20.0
    slack_channel_rps: float = 1.0
    burst_seconds: float = 0.2

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Limits:
        """Limits from ``COACH_*_RPS`` variables; unset ones keep their defaults.

        Raises:
            ValueError: naming the variable when one is not a number of zero or more.
        """
        defaults = cls()
        return cls(
            teams_tenant_rps=_rate(env, TEAMS_TENANT_RPS, defaults.teams_tenant_rps),
            slack_workspace_rps=_rate(env, SLACK_WORKSPACE_RPS, defaults.slack_workspace_rps),
            slack_channel_rps=_rate(env, SLACK_CHANNEL_RPS, defaults.slack_channel_rps),
        )

    def lane_rate(self, platform: str) -> float:
        """The rate of the scope a whole tenant or workspace shares (0: unpaced)."""
        return {"teams": self.teams_tenant_rps, "slack": self.slack_workspace_rps}.get(
            platform, 0.0
        )


def _rate(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw == "off":
        return 0.0
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of requests per second, not {raw!r}") from None
    if value < 0 or math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name} must be zero (unpaced) or more")
    return value


class TokenBucket:
    """``rate`` tokens a second, saving up at most ``capacity``; waiters are served in order.

    ``asyncio.Lock`` wakes its waiters first come, first served, so the sends of one tenant go
    out in the order they asked: nobody queued early is overtaken and starved.
    """

    def __init__(
        self,
        *,
        rate: float,
        capacity: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("a token bucket needs a rate above zero")
        self.rate = rate
        self.capacity = max(1.0, capacity)
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._updated = clock()
        self._lock = asyncio.Lock()
        self.paused = 0  # how many times a Retry-After paused this bucket

    async def take(self) -> None:
        """Wait for a token, then spend it."""
        async with self._lock:
            while True:
                wait = self._wait()
                if wait <= 0:
                    self._tokens -= 1
                    return
                await self._sleep(wait)

    def _wait(self) -> float:
        now = self._clock()
        if now < self._updated:  # paused until ``_updated``
            return self._updated - now
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        # A hair of tolerance: refill arithmetic in floats can leave 0.9999999 tokens, and a
        # wait of 1e-17 s would never move the clock on.
        return 0.0 if self._tokens >= 1 - 1e-9 else (1 - self._tokens) / self.rate

    def pause(self, seconds: float) -> None:
        """Hand out nothing for ``seconds`` (a ``Retry-After``), then restart from empty."""
        until = self._clock() + max(0.0, seconds)
        if until > self._updated:
            self._updated = until
            # Empty, so that the end of a pause is not a burst that earns the next 429.
            self._tokens = 0.0
        self.paused += 1


class Pacer:
    """The buckets of one process, created as recipients need them.

    Given a PostgreSQL ``engine``, every bucket is a row there, shared with the other clocks.
    """

    def __init__(
        self,
        limits: Limits,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        engine: Engine | None = None,
    ) -> None:
        self.limits = limits
        self._clock = clock
        self._sleep = sleep
        self._shared = engine if shares_pacing(engine) else None
        self._buckets: dict[tuple[str, ...], TokenBucket | SharedBucket] = {}

    def buckets(self, recipient: Who) -> tuple[TokenBucket | SharedBucket, ...]:
        """Every bucket a send to ``recipient`` must take a token from (maybe none)."""
        scopes: list[tuple[tuple[str, ...], float]] = [
            (
                (recipient.platform, recipient.workspace_id),
                self.limits.lane_rate(recipient.platform),
            )
        ]
        if recipient.platform == "slack" and recipient.conversation_id:
            scopes.append(
                (
                    ("slack-channel", recipient.workspace_id, recipient.conversation_id),
                    self.limits.slack_channel_rps,
                )
            )
        found: list[TokenBucket | SharedBucket] = []
        for key, rate in scopes:
            if rate <= 0:
                continue
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._bucket(key, rate)
                self._buckets[key] = bucket
            found.append(bucket)
        return tuple(found)

    def _bucket(self, key: tuple[str, ...], rate: float) -> TokenBucket | SharedBucket:
        capacity = rate * self.limits.burst_seconds
        if self._shared is not None:
            return SharedBucket(
                engine=self._shared,
                scope="\x1f".join(key),
                rate=rate,
                capacity=capacity,
                sleep=self._sleep,
            )
        return TokenBucket(rate=rate, capacity=capacity, clock=self._clock, sleep=self._sleep)

    async def take(self, recipient: Who) -> None:
        """Wait until a send to ``recipient`` fits under every limit it falls under."""
        for bucket in self.buckets(recipient):
            await bucket.take()

    def pause(self, recipient: Who, *, seconds: float) -> None:
        """The platform said "slow down" for ``seconds``: hold every bucket of ``recipient``."""
        for bucket in self.buckets(recipient):
            bucket.pause(seconds)
