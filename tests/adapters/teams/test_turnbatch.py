"""Group commit of the turns' database work, on SQLite and on PostgreSQL (when one runs)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from microsoft_agents.activity import Activity
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from adapters.store.teams_tables import teams_conversation_references, teams_seen_activities
from adapters.teams.dedupe import SeenActivities, activity_key
from adapters.teams.references import ReferenceStore
from adapters.teams.turnbatch import TurnBatcher
from adapters.teams.turnstart import TurnStart, TurnStarter
from tests.adapters.teams.harness import payload

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _message(tag: str, *, tenant: str = "") -> Activity:
    """A personal message from a person of its own, in a conversation of its own."""
    body = payload("personal_message", service_url="https://smba.trafficmanager.net/uk/")
    body["id"] = f"m-{tag}"
    body["conversation"]["id"] = f"a:{tag}"
    body["conversation"]["tenantId"] = tenant or f"t-{tag}"
    body["channelData"]["tenant"]["id"] = tenant or f"t-{tag}"
    body["from"]["id"] = f"29:{tag}"
    return Activity.model_validate(body)


def _key(activity: Activity) -> str:
    return activity_key(
        channel_id=str(activity.channel_id),
        conversation_id=activity.conversation.id,
        activity_id=str(activity.id),
    )


def _counted(sizes: list[int]) -> Callable[..., Any]:
    """A worker-thread runner that notes how many turns each batch carried."""

    async def run(work: Callable[..., Any], requests: list[Any]) -> Any:
        sizes.append(len(requests))
        return await asyncio.to_thread(work, requests)

    return run


def _starter(engine: Engine) -> TurnStarter:
    return TurnStarter(
        engine, seen=SeenActivities(engine), references=ReferenceStore(engine), threads=None
    )


def _count(engine: Engine, table: Any, column: Any, values: list[str]) -> int:
    with engine.connect() as conn:
        query = select(func.count()).select_from(table).where(column.in_(values))
        return int(conn.execute(query).scalar_one())


def test_turns_arriving_together_share_a_transaction_and_each_is_claimed_once(
    engine: Engine,
) -> None:
    tags = [uuid.uuid4().hex for _ in range(20)]
    activities = [_message(tag) for tag in tags]
    sizes: list[int] = []
    batcher = TurnBatcher(_starter(engine), run=_counted(sizes))

    async def scenario() -> list[TurnStart]:
        # The last is Teams' retry of the first, arriving before the first was answered.
        starts = [batcher.start(a, key=_key(a), now=NOW) for a in activities]
        retry = batcher.start(activities[0], key=_key(activities[0]), now=NOW)
        return list(await asyncio.gather(*starts, retry))

    results = asyncio.run(scenario())

    assert [r.claimed for r in results] == [True] * 20 + [False]
    assert sum(sizes) == 21
    assert len(sizes) < 21, f"every turn had a transaction of its own: {sizes}"
    seen = teams_seen_activities.c
    assert _count(engine, teams_seen_activities, seen.key, [_key(a) for a in activities]) == 20
    refs = teams_conversation_references.c
    assert (
        _count(engine, teams_conversation_references, refs.user_id, [f"29:{t}" for t in tags]) == 20
    )


def test_a_turn_alone_runs_at_once_in_a_batch_of_one(engine: Engine) -> None:
    activity = _message(uuid.uuid4().hex)
    sizes: list[int] = []
    batcher = TurnBatcher(_starter(engine), run=_counted(sizes))

    first = asyncio.run(batcher.start(activity, key=_key(activity), now=NOW))
    again = asyncio.run(batcher.start(activity, key=_key(activity), now=NOW))

    assert (first.claimed, again.claimed) == (True, False)
    assert sizes == [1, 1]


def _refuse_tenant(engine: Engine, tenant: str) -> None:
    """Make the database itself refuse one tenant's reference (a statement that fails)."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON teams_conversation_references "
                    f"WHEN NEW.tenant_id = '{tenant}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.tenant_id = '{tenant}' THEN RAISE EXCEPTION 'refused'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON teams_conversation_references "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )


def test_a_failing_turn_fails_alone_and_the_others_are_committed(engine: Engine) -> None:
    bad_tenant = f"bad-{uuid.uuid4().hex[:8]}"
    _refuse_tenant(engine, bad_tenant)
    good = [_message(uuid.uuid4().hex) for _ in range(5)]
    bad = _message(uuid.uuid4().hex, tenant=bad_tenant)
    sizes: list[int] = []
    batcher = TurnBatcher(_starter(engine), run=_counted(sizes))

    async def scenario() -> list[TurnStart | BaseException]:
        turns = [batcher.start(a, key=_key(a), now=NOW) for a in [*good[:2], bad, *good[2:]]]
        return list(await asyncio.gather(*turns, return_exceptions=True))

    results = asyncio.run(scenario())

    assert isinstance(results[2], DBAPIError)
    assert all(isinstance(r, TurnStart) and r.claimed for i, r in enumerate(results) if i != 2)
    keys = [_key(a) for a in good]
    assert _count(engine, teams_seen_activities, teams_seen_activities.c.key, keys) == 5
    # The failed turn's claim was rolled back with it, so Teams' retry is handled.
    assert _count(engine, teams_seen_activities, teams_seen_activities.c.key, [_key(bad)]) == 0


def test_turns_of_a_stopped_loop_are_cancelled_and_the_next_loop_is_answered(
    engine: Engine,
) -> None:
    stuck, fresh = _message(uuid.uuid4().hex), _message(uuid.uuid4().hex)
    calls: list[int] = []

    async def run(work: Callable[..., Any], requests: list[Any]) -> Any:
        calls.append(len(requests))
        if len(calls) == 1:
            await asyncio.get_running_loop().create_future()  # the first batch never finishes
        return await asyncio.to_thread(work, requests)

    batcher = TurnBatcher(_starter(engine), run=run)
    turns: list[asyncio.Task[TurnStart]] = []

    async def stopping() -> None:
        turns.append(asyncio.create_task(batcher.start(stuck, key=_key(stuck), now=NOW)))
        await asyncio.sleep(0.01)  # the batch is in flight when the loop stops

    asyncio.run(stopping())  # cancels what is still running, as a server stopping does
    start = asyncio.run(batcher.start(fresh, key=_key(fresh), now=NOW))

    assert turns[0].cancelled()
    assert start.claimed
    assert calls == [1, 1]
