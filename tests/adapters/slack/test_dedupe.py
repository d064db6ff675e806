"""Slack's retries (X-Slack-Retry-Num, same event_id) are answered once, even across processes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from adapters.slack.dedupe import EventDedupe
from adapters.store import slack_tables
from adapters.store.db import make_engine
from adapters.store.schema import ensure_schema
from tests.adapters.slack.harness import base_env, payload, serve, slack_server
from tests.fakes.slack_api import FakeSlackApi

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


async def test_a_replayed_event_is_answered_once(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        body = payload("app_mention")
        first = await server.event(body)
        await server.fake.wait_for("/chat.postMessage")
        retries = [await server.event(body, retry_num=n) for n in (1, 2, 3)]
        assert [a.status for a in (first, *retries)] == [200] * 4
        await server.fake.quiet()
        assert len(server.fake.received("/chat.postMessage")) == 1


async def test_concurrent_deliveries_of_one_event_are_answered_once(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        body = payload("message_im")
        answers = await asyncio.gather(*(server.event(body, retry_num=n or None) for n in range(5)))
        assert all(a.status == 200 for a in answers)
        await server.fake.wait_for("/chat.postMessage")
        await server.fake.quiet()
        assert len(server.fake.received("/chat.postMessage")) == 1


async def test_a_retry_reaching_another_process_is_not_answered_again(tmp_path: Path) -> None:
    async with FakeSlackApi() as fake:
        env = base_env(fake, tmp_path)
        async with serve(env, fake=fake) as one, serve(env, fake=fake) as two:
            body = payload("app_mention")
            await one.event(body)
            await fake.wait_for("/chat.postMessage")
            await two.event(body, retry_num=1)
            await fake.quiet()
            assert len(fake.received("/chat.postMessage")) == 1


async def test_different_events_are_all_answered(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        for n in range(3):
            body = payload("message_im")
            body["event_id"] = f"Ev{n}"
            await server.event(body)
        await server.fake.wait_for("/chat.postMessage", count=3)


def _sqlite(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'dedupe.db'}")
    ensure_schema(engine)
    return engine


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """A throwaway PostgreSQL database, or a skip when no server runs on 127.0.0.1:5432."""
    try:
        admin = make_engine(PG_ADMIN_URL)
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as err:  # noqa: BLE001 - any failure to connect means "no PostgreSQL here"
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432 ({type(err).__name__})")
    name = f"slack_dedupe_{uuid.uuid4().hex[:10]}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    try:
        ensure_schema(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


async def _race(engines: list[Engine], event_id: str) -> list[bool]:
    dedupes = [EventDedupe(engine) for engine in engines]
    return await asyncio.gather(
        *(d.first_delivery(event_id=event_id, team_id="T0001") for d in dedupes for _ in range(4))
    )


async def test_only_one_of_many_racing_deliveries_wins_on_sqlite(tmp_path: Path) -> None:
    first = _sqlite(tmp_path)
    second = make_engine(f"sqlite:///{tmp_path / 'dedupe.db'}")
    wins = await _race([first, second], "EvRACE")
    assert wins.count(True) == 1


async def test_only_one_of_many_racing_deliveries_wins_on_postgresql(
    postgres_engine: Engine,
) -> None:
    other = make_engine(str(postgres_engine.url.render_as_string(hide_password=False)))
    wins = await _race([postgres_engine, other], "EvRACE")
    other.dispose()
    assert wins.count(True) == 1


def test_old_event_ids_are_pruned(tmp_path: Path) -> None:
    engine = _sqlite(tmp_path)
    now = datetime.now(UTC)
    slack_tables.record_event(engine, event_id="old", team_id="T1", now=now - timedelta(days=2))
    slack_tables.record_event(engine, event_id="new", team_id="T1", now=now)
    assert slack_tables.prune_events(engine, before=now - timedelta(days=1)) == 1
    assert slack_tables.record_event(engine, event_id="old", team_id="T1", now=now)
    assert not slack_tables.record_event(engine, event_id="new", team_id="T1", now=now)
