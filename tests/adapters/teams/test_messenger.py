"""Proactive sends through stored conversation references, against the fake connector."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
from datetime import datetime

import pytest
from sqlalchemy import select

from adapters.store.db import make_engine
from adapters.store.teams_tables import teams_conversation_references as refs
from adapters.teams.messenger import RetryPolicy, TeamsMessenger
from bot.coach import Coach
from bot.identity import Who
from bot.models import Reply
from bot.ports import SendResult, SendStatus
from tests.adapters.teams.harness import (
    ADELE,
    BOT_ID,
    MEGAN,
    TENANT,
    Server,
    card_text,
    payload,
    serve,
)
from tests.fakes.bot_connector import FakeBotConnector

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.5, timeout=2.0)
TO_MEGAN = Who(platform="teams", workspace_id=TENANT, user_id=MEGAN)


class Clock:
    """Records the waits between tries, and waits for real (briefly)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


def _messenger(
    env: dict[str, str], *, clock: Clock | None = None, **retry: float
) -> TeamsMessenger:
    """A messenger as the clock process builds one: its own engine, same database."""
    policy = dataclasses.replace(FAST, **retry)
    return TeamsMessenger.from_env(
        env,
        engine=make_engine(env["DATABASE_URL"]),
        retry=policy,
        sleep=(clock or Clock()).sleep,
    )


def _unreachable_at(env: dict[str, str], user_id: str) -> list[datetime | None]:
    engine = make_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            query = select(refs.c.unreachable_at).where(refs.c.user_id == user_id)
            return [row[0] for row in conn.execute(query)]
    finally:
        engine.dispose()


async def _install(server: Server, connector: FakeBotConnector) -> None:
    """Megan messages the bot once, which stores her reference; forget that reply."""
    await server.post(payload("personal_message", service_url=connector.url))
    connector.received.clear()


def test_send_after_a_server_restart(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector:
            async with serve(coach, env) as first:
                await _install(first, connector)
            # A new app instance on the same database: the reference survived the restart.
            async with serve(coach, env) as second:
                result = await second.messenger.send(
                    recipient=TO_MEGAN, reply=coach.answer("behaviours resilience")
                )
            assert result.status is SendStatus.SENT
            [sent] = connector.requests("send")
            assert result.message_ref.startswith("sent-")  # the connector's id for the message
            personal = payload("personal_message", service_url=connector.url)["conversation"]["id"]
            assert sent.conversation_id == personal
            assert sent.body["recipient"]["id"] == MEGAN
            assert sent.body["from"]["id"] == BOT_ID
            assert "replyToId" not in sent.body  # a proactive message answers nothing
            assert "Patience, persistence and resilience" in card_text(sent.body)

    asyncio.run(scenario())


def test_clock_process_sends_with_its_own_messenger(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector:
            async with serve(coach, env) as server:
                await _install(server, connector)
            result = await _messenger(env).send(recipient=TO_MEGAN, reply=coach.answer("help"))
            assert result.status is SendStatus.SENT
            assert len(connector.requests("send")) == 1

    asyncio.run(scenario())


def test_403_is_permanent_and_marks_the_user_unreachable(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await _install(server, connector)
            messenger = _messenger(env)
            connector.fail(403)
            result = await messenger.send(recipient=TO_MEGAN, reply=coach.answer("help"))
            assert result.status is SendStatus.PERMANENT
            assert "403" in result.detail
            assert len(connector.requests("send")) == 1  # never retried
            [marked] = _unreachable_at(env, MEGAN)
            assert marked is not None

            # Later sends stop before reaching Teams.
            again = await messenger.send(recipient=TO_MEGAN, reply=coach.answer("help"))
            assert again.status is SendStatus.PERMANENT
            assert len(connector.requests("send")) == 1

            # She unblocks the app and writes again: reachable once more.
            await server.post(payload("personal_message", service_url=connector.url, id="m-2"))
            assert _unreachable_at(env, MEGAN) == [None]
            back = await messenger.send(recipient=TO_MEGAN, reply=coach.answer("help"))
            assert back.status is SendStatus.SENT

    asyncio.run(scenario())


@pytest.mark.parametrize("status", [429, 412, 502, 504])
def test_retryable_answers_are_retried_with_backoff(
    coach: Coach, env: dict[str, str], status: int
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await _install(server, connector)
            clock = Clock()
            connector.fail(status, times=2)
            result = await _messenger(env, clock=clock).send(
                recipient=TO_MEGAN, reply=coach.answer("help")
            )
            assert result.status is SendStatus.SENT
            assert len(connector.requests("send")) == 3
            # Jittered exponential backoff: each wait within [ceiling/2, ceiling].
            first, second = clock.waits
            assert 0.005 <= first <= 0.01
            assert 0.01 <= second <= 0.02

    asyncio.run(scenario())


def test_retries_are_bounded_then_transient(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await _install(server, connector)
            clock = Clock()
            connector.fail(502, times=10)
            result = await _messenger(env, clock=clock).send(
                recipient=TO_MEGAN, reply=coach.answer("help")
            )
            assert result == SendResult(status=SendStatus.TRANSIENT, detail="Teams answered 502")
            assert len(connector.requests("send")) == FAST.attempts
            assert len(clock.waits) == FAST.attempts - 1
            assert _unreachable_at(env, MEGAN) == [None]

    asyncio.run(scenario())


def test_retry_after_is_honoured_or_reported(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await _install(server, connector)
            clock = Clock()
            connector.fail(429, headers={"Retry-After": "0.3"})
            sent = await _messenger(env, clock=clock).send(
                recipient=TO_MEGAN, reply=coach.answer("help")
            )
            assert sent.status is SendStatus.SENT
            assert clock.waits == [0.3]

            # Longer than this sender waits: hand it back to the caller to schedule.
            connector.fail(429, headers={"Retry-After": "120"})
            later = await _messenger(env).send(recipient=TO_MEGAN, reply=coach.answer("help"))
            assert later.status is SendStatus.TRANSIENT
            assert later.retry_after == 120.0

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (500, SendStatus.TRANSIENT),
        (503, SendStatus.TRANSIENT),
        (401, SendStatus.TRANSIENT),
        (400, SendStatus.PERMANENT),
        (404, SendStatus.PERMANENT),
    ],
)
def test_other_answers_are_classified_without_retry(
    coach: Coach, env: dict[str, str], status: int, expected: SendStatus
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await _install(server, connector)
            connector.fail(status)
            result = await _messenger(env).send(recipient=TO_MEGAN, reply=coach.answer("help"))
            assert result.status is expected
            assert len(connector.requests("send")) == 1

    asyncio.run(scenario())


def test_a_hung_connector_times_out_as_transient(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await _install(server, connector)
            connector.hang(0.5)
            result = await _messenger(env, timeout=0.2).send(
                recipient=TO_MEGAN, reply=coach.answer("help")
            )
            assert result == SendResult(
                status=SendStatus.TRANSIENT, detail="timed out waiting for Teams"
            )
            assert len(connector.requests("send")) == 1  # it may have arrived: not retried

    asyncio.run(scenario())


def test_an_unreachable_connector_is_retried_then_transient(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        with socket.socket() as probe:  # a port with nothing listening
            probe.bind(("127.0.0.1", 0))
            closed = f"http://127.0.0.1:{probe.getsockname()[1]}/"
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await server.post(payload("personal_message", service_url=closed))
            clock = Clock()
            result = await _messenger(env, clock=clock).send(
                recipient=TO_MEGAN, reply=coach.answer("help")
            )
            assert result.status is SendStatus.TRANSIENT
            assert "could not reach Teams" in result.detail
            assert len(clock.waits) == FAST.attempts - 1
            assert connector.received == []

    asyncio.run(scenario())


def test_unknown_recipient_is_permanent(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env):
            result = await _messenger(env).send(recipient=TO_MEGAN, reply=coach.answer("help"))
            assert result.status is SendStatus.PERMANENT
            assert "no stored reference" in result.detail
            assert connector.received == []

    asyncio.run(scenario())


def test_a_recipient_on_another_platform_is_refused(coach: Coach, env: dict[str, str]) -> None:
    slack = Who(platform="slack", workspace_id="T1", user_id="U1")
    result = asyncio.run(_messenger(env).send(recipient=slack, reply=coach.answer("help")))
    assert result == SendResult(status=SendStatus.PERMANENT, detail="not a Teams recipient")


def test_uninstalled_user_is_permanent(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await _install(server, connector)
            await server.post(payload("installation_update_remove", service_url=connector.url))
            result = await _messenger(env).send(recipient=TO_MEGAN, reply=coach.answer("help"))
            assert result.status is SendStatus.PERMANENT
            assert connector.requests("send") == []

    asyncio.run(scenario())


def test_channel_only_user_gets_a_new_personal_chat(coach: Coach, env: dict[str, str]) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            await server.post(payload("channel_mention", service_url=connector.url))
            connector.received.clear()
            messenger = _messenger(env)
            to_adele = Who(platform="teams", workspace_id=TENANT, user_id=ADELE)

            result = await messenger.send(recipient=to_adele, reply=coach.answer("help"))
            assert result.status is SendStatus.SENT
            [create] = connector.requests("create")
            assert create.path == "/v3/conversations"
            assert create.body["members"] == [{"id": ADELE}]
            assert create.body["bot"]["id"] == BOT_ID
            assert create.body["tenantId"] == TENANT
            assert create.body["channelData"] == {"tenant": {"id": TENANT}}
            [sent] = connector.requests("send")
            assert sent.conversation_id.startswith("a:created-")

            # The new chat is stored: the next nudge goes straight there.
            again = await messenger.send(recipient=to_adele, reply=coach.answer("help"))
            assert again.status is SendStatus.SENT
            assert len(connector.requests("create")) == 1
            assert [r.conversation_id for r in connector.requests("send")] == [
                sent.conversation_id
            ] * 2

    asyncio.run(scenario())


def test_channel_subscription_posts_a_new_thread_in_the_channel(
    coach: Coach, env: dict[str, str]
) -> None:
    async def scenario() -> None:
        async with FakeBotConnector() as connector, serve(coach, env) as server:
            body = payload("channel_mention", service_url=connector.url)
            await server.post(body)
            connector.received.clear()
            channel = Who(
                platform="teams",
                workspace_id=TENANT,
                user_id=ADELE,
                conversation_id=body["conversation"]["id"],
            )
            reply = Reply(text="This week's team reflection", intent="nudge")
            result = await _messenger(env).send(recipient=channel, reply=reply)
            assert result.status is SendStatus.SENT
            [sent] = connector.requests("send")
            assert sent.conversation_id == "19:3a1c8b3fe3a54ed5a2e0d9d2d3c7b6a1@thread.tacv2"
            assert sent.body["text"] == "This week's team reflection"

    asyncio.run(scenario())
