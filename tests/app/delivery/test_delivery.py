"""Delivery passes in-process, over real HTTP to a loopback platform: exactly once, by kind."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, update

from adapters.store.nudge_tables import nudge_deliveries, nudge_subscriptions
from adapters.store.repositories import SqlSubscriptions
from app.delivery.ledger import claim, find_due
from app.delivery.pacing import Limits
from app.delivery.send import send_due
from app.delivery.settings import PassSettings
from bot.content import load_content
from bot.identity import Who
from bot.nudges import seed_for
from bot.stores import Subscription
from tests.adapters.store.databases import pg_engine, sqlite_engine
from tests.app.delivery.loopback import LoopbackMessenger, running_platform

# Monday 2 June 2025, 09:00:30 BST.
MONDAY = datetime(2025, 6, 2, 8, 0, 30, tzinfo=UTC)
FAST = PassSettings(backoff_base=0.01, longest_wait=0.05, flush_interval=0.01)


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = sqlite_engine(tmp_path)
        yield engine
        engine.dispose()
    else:
        with pg_engine() as engine:
            yield engine


@pytest.fixture
def platform():
    with running_platform() as platform:
        yield platform


def subscribe(
    engine, user, *, weekday=0, at=time(9), tz="Europe/London", channel="", platform="slack"
):
    target = Who(
        platform=platform,
        workspace_id="T1",
        user_id="" if channel else user,
        conversation_id=channel,
    )
    sub = Subscription(
        target=target,
        weekday=weekday,
        at=at,
        timezone=tz,
        seed=seed_for("slack", "T1", user, channel),
    )
    return SqlSubscriptions(engine).put(sub, now=MONDAY - timedelta(days=30))


def run(engine, platform, content, now, *, settings=FAST, messengers=None):
    async def go():
        messenger = LoopbackMessenger(platform.url)
        try:
            return await send_due(
                now,
                engine=engine,
                messengers=messengers if messengers is not None else {"slack": messenger},
                content=content,
                settings=settings,
            )
        finally:
            await messenger.aclose()

    return asyncio.run(go())


def statuses(engine):
    with engine.connect() as conn:
        return dict(
            conn.execute(
                select(nudge_deliveries.c.status, func.count()).group_by(nudge_deliveries.c.status)
            ).all()
        )


def test_a_pass_delivers_each_due_nudge_once_and_a_rerun_sends_nothing(engine, platform, content):
    for i in range(25):
        subscribe(engine, f"U{i}")
    subscribe(engine, "UTUE", weekday=1)  # not due on a Monday
    report = run(engine, platform, content, MONDAY)
    assert (report.due, report.claimed, report.sent) == (25, 25, 25)
    assert platform.per_recipient() == {f"U{i}": 1 for i in range(25)}

    again = run(engine, platform, content, MONDAY + timedelta(minutes=1))
    assert (again.due, again.claimed, again.sent) == (25, 0, 0)
    assert len(platform.accepted) == 25
    assert statuses(engine) == {"sent": 25}
    with engine.connect() as conn:
        refs = conn.execute(select(nudge_deliveries.c.message_ref)).scalars().all()
    assert sorted(refs) == sorted(m["ts"] for m in platform.accepted)


def test_the_nudge_carries_the_row_question_and_buttons(engine, platform, content):
    subscribe(engine, "U1")
    run(engine, platform, content, MONDAY)
    [message] = platform.accepted
    card = message["card"]
    row = next(r for r in content.rows if r.role == card["facts"]["Role"])
    assert card["facts"] == {"Domain": row.domain, "Role": row.role, "Behaviour": row.behaviour}
    assert card["question"] in {p.question for p in content.prompts_for(row.id)}
    assert [b[1] for b in card["buttons"]] == [
        "nudge.reflect",
        "nudge.another",
        "nudge.skip",
        "nudge.pause",
        "nudge.stop",
    ]


def test_concurrent_passes_in_one_process_never_send_a_slot_twice(engine, platform, content):
    for i in range(60):
        subscribe(engine, f"U{i}")

    async def both():
        messenger = LoopbackMessenger(platform.url)
        small = PassSettings(claim_batch=7, flush_interval=0.01)
        try:
            return await asyncio.gather(
                *(
                    send_due(
                        MONDAY,
                        engine=engine,
                        messengers={"slack": messenger},
                        content=content,
                        settings=small,
                    )
                    for _ in range(3)
                )
            )
        finally:
            await messenger.aclose()

    reports = asyncio.run(both())
    assert sum(r.sent for r in reports) == 60
    assert platform.per_recipient() == {f"U{i}": 1 for i in range(60)}
    assert statuses(engine) == {"sent": 60}


def test_rate_limits_are_retried_within_the_pass_honouring_retry_after(engine, platform, content):
    for i in range(10):
        subscribe(engine, f"U{i}")
    platform.scripts["U3"] = [429, 429]
    platform.scripts["U7"] = [503]
    report = run(engine, platform, content, MONDAY)
    assert report.sent == 10
    assert report.retries == 3
    assert platform.attempts["U3"] == 3
    assert platform.per_recipient() == {f"U{i}": 1 for i in range(10)}


def test_a_send_that_keeps_failing_is_owed_to_the_next_pass(engine, platform, content):
    subscribe(engine, "U1")
    subscribe(engine, "U2")
    platform.scripts["U1"] = [500] * FAST.max_attempts
    report = run(engine, platform, content, MONDAY)
    assert (report.sent, report.owed) == (1, 1)
    assert statuses(engine) == {"sent": 1, "claimed": 1}
    later = run(engine, platform, content, MONDAY + timedelta(minutes=1))
    assert (later.claimed, later.sent) == (1, 1)
    assert platform.per_recipient() == {"U1": 1, "U2": 1}


def test_a_permanent_failure_switches_off_that_subscription_only(engine, platform, content):
    gone = subscribe(engine, "UGONE")
    subscribe(engine, "UOK")
    platform.scripts["UGONE"] = [404]
    report = run(engine, platform, content, MONDAY)
    assert (report.sent, report.failed) == (1, 1)
    assert platform.attempts["UGONE"] == 1  # never retried
    stored = SqlSubscriptions(engine).get(gone.target)
    assert stored.active is False
    assert stored.stopped_reason == "HTTP 404"
    assert (
        SqlSubscriptions(engine).get(Who(platform="slack", workspace_id="T1", user_id="UOK")).active
    )
    run(engine, platform, content, MONDAY + timedelta(days=7))
    assert platform.per_recipient() == {"UOK": 2}


def test_a_slot_missed_by_more_than_the_grace_period_is_skipped(engine, platform, content):
    subscribe(engine, "U1")
    late = run(engine, platform, content, MONDAY + timedelta(hours=12, minutes=1))
    assert (late.due, late.sent) == (0, 0)
    on_time = run(engine, platform, content, MONDAY + timedelta(hours=11, minutes=59))
    assert on_time.sent == 1
    short = PassSettings(grace=timedelta(minutes=5), flush_interval=0.01)
    subscribe(engine, "U2")
    assert run(engine, platform, content, MONDAY + timedelta(minutes=10), settings=short).due == 0


def test_a_week_later_everyone_gets_a_different_prompt_and_stopped_users_none(
    engine, platform, content
):
    for i in range(12):
        subscribe(engine, f"U{i}")
    run(engine, platform, content, MONDAY)
    stopped = SqlSubscriptions(engine).get(Who(platform="slack", workspace_id="T1", user_id="U0"))
    SqlSubscriptions(engine).put(
        Subscription(
            **{**{f: getattr(stopped, f) for f in stopped.__dataclass_fields__}, "active": False}
        ),
        now=MONDAY,
    )
    run(engine, platform, content, MONDAY + timedelta(days=7))
    by_user: dict[str, list[str]] = {}
    for message in platform.accepted:
        by_user.setdefault(message["to"], []).append(message["card"]["facts"]["Role"])
    assert len(by_user["U0"]) == 1
    for i in range(1, 12):
        first, second = by_user[f"U{i}"]
        assert first != second
    # People walk the framework in different orders.
    assert len({roles[0] for roles in by_user.values()}) > 1


def test_pause_and_skip_hold_deliveries(engine, platform, content):
    sub = subscribe(engine, "U1")
    with engine.begin() as conn:
        conn.execute(update(nudge_subscriptions).values(skip_key="2025-06-02"))
    assert run(engine, platform, content, MONDAY).due == 0
    assert run(engine, platform, content, MONDAY + timedelta(days=7)).sent == 1
    with engine.begin() as conn:
        conn.execute(
            update(nudge_subscriptions)
            .where(nudge_subscriptions.c.id == sub.id)
            .values(paused_until=date(2025, 6, 24))
        )
    assert run(engine, platform, content, MONDAY + timedelta(days=14)).due == 0
    assert run(engine, platform, content, MONDAY + timedelta(days=28)).sent == 1


def test_channel_subscriptions_go_to_the_channel(engine, platform, content):
    subscribe(engine, "", channel="C42")
    run(engine, platform, content, MONDAY)
    [message] = platform.accepted
    assert (message["conversation_id"], message["user_id"]) == ("C42", "")
    assert message["card"]["title"] == "This week's team reflection"


def test_platforms_without_a_messenger_are_left_owed(engine, platform, content):
    subscribe(engine, "U1", platform="teams")
    subscribe(engine, "U2")
    report = run(engine, platform, content, MONDAY)
    assert (report.due, report.sent) == (1, 1)
    assert statuses(engine) == {"sent": 1}


def test_a_claim_whose_lease_lapsed_is_taken_over_and_a_live_one_is_not(engine, platform, content):
    subscribe(engine, "U1")
    due = find_due(engine, MONDAY, grace=timedelta(hours=12), platforms=("slack",))
    wall = datetime.now(UTC)
    [first] = claim(
        engine, due, content=content, token="dead", wall_now=wall, lease=timedelta(minutes=3)
    )
    # A live lease: nobody else may take it.
    assert (
        claim(
            engine, due, content=content, token="other", wall_now=wall, lease=timedelta(minutes=3)
        )
        == []
    )
    assert run(engine, platform, content, MONDAY).claimed == 0
    # Once it has lapsed, the next pass takes it over, with the prompt already chosen.
    later = wall + timedelta(minutes=4)
    [again] = claim(
        engine, due, content=content, token="new", wall_now=later, lease=timedelta(minutes=3)
    )
    assert (again.delivery_id, again.row_id) == (first.delivery_id, first.row_id)
    with engine.connect() as conn:
        assert conn.execute(select(nudge_subscriptions.c.position)).scalar() == 1


@pytest.mark.parametrize(
    ("tz", "weekday", "at", "start", "expected"),
    [
        # London spring forward: 01:30 does not exist; delivered once at 01:30 UTC (02:30 BST).
        (
            "Europe/London",
            6,
            time(1, 30),
            datetime(2025, 3, 30, 0, 0, tzinfo=UTC),
            [datetime(2025, 3, 30, 1, 30, tzinfo=UTC)],
        ),
        # London fall back: 01:30 happens twice; delivered once, at the first.
        (
            "Europe/London",
            6,
            time(1, 30),
            datetime(2025, 10, 26, 0, 0, tzinfo=UTC),
            [datetime(2025, 10, 26, 0, 30, tzinfo=UTC)],
        ),
    ],
)
def test_dst_edges_deliver_once_over_minute_by_minute_passes(
    engine, platform, content, tz, weekday, at, start, expected
):
    subscribe(engine, "U1", weekday=weekday, at=at, tz=tz)
    sent_at = []
    now = start
    while now < start + timedelta(hours=3):
        if run(engine, platform, content, now).sent:
            sent_at.append(now)
        now += timedelta(minutes=5)
    assert sent_at == expected
    assert len(platform.accepted) == 1


def test_auckland_and_los_angeles_each_get_their_own_monday_nine(engine, platform, content):
    subscribe(engine, "UNZ", tz="Pacific/Auckland")
    subscribe(engine, "ULA", tz="America/Los_Angeles")
    subscribe(engine, "ULON", tz="Europe/London")
    passes = {
        "UNZ": datetime(2025, 6, 1, 21, 0, 30, tzinfo=UTC),  # Mon 09:00 NZST
        "ULON": datetime(2025, 6, 2, 8, 0, 30, tzinfo=UTC),  # Mon 09:00 BST
        "ULA": datetime(2025, 6, 2, 16, 0, 30, tzinfo=UTC),  # Mon 09:00 PDT
    }
    for user, at in passes.items():
        before = len(platform.accepted)
        run(engine, platform, content, at - timedelta(minutes=1))
        assert len(platform.accepted) == before
        run(engine, platform, content, at)
        assert platform.accepted[-1]["to"] == user
    assert platform.per_recipient() == {"UNZ": 1, "ULA": 1, "ULON": 1}


def test_no_send_starts_once_the_claim_could_lapse_mid_send(engine, platform, content):
    subscribe(engine, "U1")
    platform.hang_after = 0  # the platform accepts nothing and never answers
    # Unpaced: on PostgreSQL each token is a round trip to the shared bucket, which would eat
    # into the 70 ms this test leaves between the second try and the claim's last send start.
    unpaced = Limits(teams_tenant_rps=0, slack_workspace_rps=0, slack_channel_rps=0)
    tight = PassSettings(
        lease=timedelta(seconds=1.2),
        send_timeout=0.5,
        backoff_base=0.01,
        flush_interval=0.01,
        limits=unpaced,
    )
    report = run(engine, platform, content, MONDAY, settings=tight)
    assert (report.sent, report.owed) == (0, 1)
    # Two tries fit in the claim (at 0 s and about 0.5 s); a third would end after it lapsed.
    assert platform.attempts["U1"] == 2
    with engine.connect() as conn:
        row = conn.execute(select(nudge_deliveries.c.status, nudge_deliveries.c.last_error)).one()
    assert tuple(row) == ("claimed", "claim ran out")
