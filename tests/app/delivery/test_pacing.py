"""Pacing: token buckets per tenant and workspace, fair lanes, and Retry-After as a pause.

The bucket tests run on a virtual clock (the sleep advances it), so they are exact and
instant. The pass tests go over real HTTP: to the loopback platform, and to the fake Bot
Connector in rate-limit mode (429 beyond N requests/s per tenant) through the real
``TeamsMessenger``.
"""

from __future__ import annotations

import asyncio
import time as wall
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from microsoft_agents.activity import (
    ChannelAccount,
    ChannelId,
    ConversationAccount,
    ConversationReference,
)
from sqlalchemy import Engine

from adapters.store.repositories import SqlSubscriptions
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.references import ReferenceStore
from app.clock import settings_from_env
from app.delivery.messengers import close_all
from app.delivery.pacing import Limits, Pacer, TokenBucket
from app.delivery.send import send_due
from app.delivery.settings import PassReport, PassSettings
from bot.content import load_content
from bot.identity import Who
from bot.nudges import seed_for
from bot.stores import Subscription
from tests.adapters.store.databases import sqlite_engine, sqlite_url
from tests.app.delivery.loopback import LoopbackMessenger, running_platform
from tests.fakes.bot_connector import FakeBotConnector

# Monday 2 June 2025, 09:00:30 BST: every subscription below is due at 09:00.
MONDAY = datetime(2025, 6, 2, 8, 0, 30, tzinfo=UTC)
QUICK = PassSettings(backoff_base=0.01, longest_wait=2.0, flush_interval=0.01)


class VirtualTime:
    """A monotonic clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def test_a_bucket_hands_out_its_rate_after_a_small_burst() -> None:
    virtual = VirtualTime()
    bucket = TokenBucket(rate=10, capacity=2, clock=virtual.clock, sleep=virtual.sleep)

    async def take(n: int) -> None:
        for _ in range(n):
            await bucket.take()

    async def scenario() -> None:
        await take(2)
        assert virtual.now == pytest.approx(1000.0)  # the saved-up burst costs no time
        await take(50)
        assert virtual.now - 1000.0 == pytest.approx(5.0)  # then exactly 10 a second

    asyncio.run(scenario())


def test_a_pause_holds_every_waiter_and_restarts_without_a_burst() -> None:
    virtual = VirtualTime()
    bucket = TokenBucket(rate=10, capacity=5, clock=virtual.clock, sleep=virtual.sleep)
    bucket.pause(3.0)
    started = virtual.now

    async def take(n: int) -> None:
        for _ in range(n):
            await bucket.take()

    asyncio.run(take(1))
    # Three seconds of Retry-After, then one token's worth of refill (the bucket restarted empty).
    assert virtual.now - started == pytest.approx(3.1)
    assert bucket.paused == 1


def test_waiters_are_served_first_come_first_served() -> None:
    virtual = VirtualTime()
    order: list[int] = []

    async def scenario() -> None:
        bucket = TokenBucket(rate=5, capacity=1, clock=virtual.clock, sleep=virtual.sleep)

        async def send(i: int) -> None:
            await bucket.take()
            order.append(i)

        tasks = [asyncio.create_task(send(i)) for i in range(20)]
        await asyncio.gather(*tasks)

    asyncio.run(scenario())
    assert order == list(range(20))


def test_limits_come_from_the_environment_and_off_means_unpaced() -> None:
    assert Limits.from_env({}) == Limits()
    limits = Limits.from_env(
        {
            "COACH_TEAMS_TENANT_RPS": "40",
            "COACH_SLACK_WORKSPACE_RPS": "off",
            "COACH_SLACK_CHANNEL_RPS": "0.5",
        }
    )
    assert (limits.teams_tenant_rps, limits.slack_workspace_rps, limits.slack_channel_rps) == (
        40.0,
        0.0,
        0.5,
    )
    with pytest.raises(ValueError, match="COACH_TEAMS_TENANT_RPS"):
        Limits.from_env({"COACH_TEAMS_TENANT_RPS": "fast"})
    with pytest.raises(ValueError, match="COACH_SLACK_CHANNEL_RPS"):
        Limits.from_env({"COACH_SLACK_CHANNEL_RPS": "-1"})
    # ``coach clock`` and ``coach nudges send-due`` read them with the other pass settings.
    assert settings_from_env({"COACH_TEAMS_TENANT_RPS": "25"}).limits.teams_tenant_rps == 25.0


def test_each_tenant_workspace_and_channel_has_its_own_bucket() -> None:
    pacer = Pacer(Limits(slack_workspace_rps=20, teams_tenant_rps=50))
    dm = Who(platform="slack", workspace_id="T1", user_id="U1")
    channel = Who(platform="slack", workspace_id="T1", user_id="", conversation_id="C1")
    other = Who(platform="slack", workspace_id="T2", user_id="U1")
    teams = Who(platform="teams", workspace_id="tenant-a", user_id="29:1")

    [workspace] = pacer.buckets(dm)
    assert pacer.buckets(channel)[0] is workspace  # a channel post counts against both
    assert pacer.buckets(channel)[1].rate == 1.0
    assert pacer.buckets(other)[0] is not workspace
    assert [b.rate for b in pacer.buckets(teams)] == [50.0]
    assert Pacer(Limits(slack_workspace_rps=0)).buckets(dm) == ()


def subscribe(engine: Engine, *, workspace: str, user: str, platform: str = "slack") -> None:
    target = Who(platform=platform, workspace_id=workspace, user_id=user)
    SqlSubscriptions(engine).put(
        Subscription(
            target=target,
            weekday=0,
            at=time(9),
            timezone="Europe/London",
            seed=seed_for(platform, workspace, user, ""),
        ),
        now=MONDAY - timedelta(days=30),
    )


def test_one_huge_workspace_does_not_hold_up_small_ones_and_keeps_its_pace(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path)
    # The huge workspace subscribed first, so an unfair pass would send all of it first.
    for i in range(40):
        subscribe(engine, workspace="TBIG", user=f"UB{i:03d}")
    for small in ("TS1", "TS2", "TS3"):
        for i in range(3):
            subscribe(engine, workspace=small, user=f"U{small}{i}")
    settings = replace(QUICK, limits=Limits(slack_workspace_rps=20))

    with running_platform() as platform:

        async def go() -> PassReport:
            messenger = LoopbackMessenger(platform.url)
            try:
                return await send_due(
                    MONDAY,
                    engine=engine,
                    messengers={"slack": messenger},
                    content=load_content(),
                    settings=settings,
                )
            finally:
                await messenger.aclose()

        started = wall.monotonic()
        report = asyncio.run(go())
        seconds = wall.monotonic() - started
        order = [m["workspace_id"] for m in platform.accepted]
    engine.dispose()

    assert report.sent == 49
    assert sorted(platform.per_recipient().values()) == [1] * 49
    # Every small workspace's nudges went out while the big one was still under way (an
    # unfair pass, big workspace first, would send them last: positions 40 to 48).
    last_small = max(i for i, ws in enumerate(order) if ws != "TBIG")
    assert last_small < 25, order
    # 40 in one workspace at 20/s after a burst of 4: about 1.8 s, never faster.
    assert seconds >= 1.7
    big = [m["user_id"] for m in platform.accepted if m["workspace_id"] == "TBIG"]
    assert big == sorted(big)  # a stable order within the workspace


def test_a_retry_after_pauses_the_whole_workspace_and_nothing_is_lost(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path)
    for i in range(10):
        subscribe(engine, workspace="T1", user=f"U{i}")
    pacer = Pacer(Limits(slack_workspace_rps=50))
    with running_platform() as platform:
        platform.scripts["U0"] = [429]
        platform.retry_after = "1"

        async def go() -> PassReport:
            messenger = LoopbackMessenger(platform.url)
            try:
                return await send_due(
                    MONDAY,
                    engine=engine,
                    messengers={"slack": messenger},
                    content=load_content(),
                    settings=QUICK,
                    pacer=pacer,
                )
            finally:
                await messenger.aclose()

        started = wall.monotonic()
        report = asyncio.run(go())
        seconds = wall.monotonic() - started
    engine.dispose()

    [bucket] = pacer.buckets(Who(platform="slack", workspace_id="T1", user_id="U0"))
    assert bucket.paused == 1
    assert (report.sent, report.retries, report.owed) == (10, 1, 0)
    assert platform.per_recipient() == {f"U{i}": 1 for i in range(10)}
    assert seconds >= 1.0  # the Retry-After was honoured


async def _teams_pass(
    tmp_path: Path, *, users: int, limits: Limits, connector: FakeBotConnector
) -> tuple[PassReport, float]:
    url = sqlite_url(tmp_path)
    engine = sqlite_engine(tmp_path)
    store = ReferenceStore(engine)
    for i in range(users):
        user = f"29:user-{i}"
        subscribe(engine, workspace="tenant-a", user=user, platform="teams")
        store.put(
            conversation_id=f"a:chat-{i}",
            user_id=user,
            tenant_id="tenant-a",
            conversation_type="personal",
            team_id=None,
            reference=ConversationReference(
                user=ChannelAccount(id=user),
                agent=ChannelAccount(id="28:bot"),
                conversation=ConversationAccount(
                    id=f"a:chat-{i}", conversation_type="personal", tenant_id="tenant-a"
                ),
                channel_id=ChannelId("msteams"),
                service_url=connector.url,
            ),
        )
    messengers = {"teams": TeamsMessenger.from_env({"DATABASE_URL": url}, engine=engine)}
    settings = replace(QUICK, limits=limits)
    try:
        started = wall.monotonic()
        report = await send_due(
            MONDAY,
            engine=engine,
            messengers=messengers,
            content=load_content(),
            settings=settings,
        )
        return report, wall.monotonic() - started
    finally:
        await close_all(messengers)
        engine.dispose()


def test_paced_teams_delivery_stays_under_the_tenant_limit_without_a_429(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotConnector(tenant_rps=20) as connector:
            report, seconds = await _teams_pass(
                tmp_path, users=40, limits=Limits(teams_tenant_rps=20), connector=connector
            )
            sent = [r.conversation_id for r in connector.requests("send")]
            assert report.sent == 40
            assert sorted(sent) == sorted(f"a:chat-{i}" for i in range(40))
            assert connector.throttled["tenant-a"] == 0
            # 40 at 20/s after a burst of 4: about 1.8 s; and not far above the limit's pace.
            assert 1.7 <= seconds < 4.0

    asyncio.run(scenario())


def test_unpaced_delivery_is_what_hits_the_tenant_limit(tmp_path: Path) -> None:
    # The same pass with pacing off: the connector's 429s become the pacing mechanism.
    async def scenario() -> None:
        async with FakeBotConnector(tenant_rps=20) as connector:
            report, _ = await _teams_pass(
                tmp_path, users=40, limits=Limits(teams_tenant_rps=0), connector=connector
            )
            assert connector.throttled["tenant-a"] > 0
            assert report.sent + report.owed == 40

    asyncio.run(scenario())
