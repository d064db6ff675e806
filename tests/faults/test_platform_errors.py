"""The Slack Web API answering 5xx, 429 or hanging during a delivery pass.

The real :class:`SlackMessenger` (slack_sdk client, retry handlers and all) talks to the loopback
fake Slack API. Whatever the fake does, a pass makes bounded retries, records the failure and
leaves the nudge owed; the next healthy pass delivers each nudge exactly once.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from datetime import timedelta

import pytest

from app.delivery.messengers import messengers_from_env
from app.delivery.send import send_due
from app.delivery.settings import PassReport, PassSettings
from tests.adapters.store.databases import sqlite_engine
from tests.app.delivery.fake_slack import CountingSlackApi, slack_in_thread
from tests.app.delivery.test_delivery import MONDAY, statuses, subscribe

USERS = [f"U{i:03d}" for i in range(6)]
# Quick retries, and a short send timeout so that a hang is given up on within the test.
SETTINGS = PassSettings(
    backoff_base=0.01, longest_wait=0.05, flush_interval=0.01, send_timeout=1.0, max_attempts=3
)
# Where nothing hangs, a long timeout: on a loaded machine a send answered after the short one
# is retried and may arrive twice (the documented timeout window), which is not under test here.
PATIENT = dataclasses.replace(SETTINGS, send_timeout=30.0)


@pytest.fixture
def engine(tmp_path):
    engine = sqlite_engine(tmp_path)
    for user in USERS:
        subscribe(engine, user)
    yield engine
    engine.dispose()


@pytest.fixture
def fake():
    with slack_in_thread() as fake:
        yield fake


def run_pass(
    engine, fake: CountingSlackApi, content, *, after: timedelta, settings: PassSettings = SETTINGS
) -> PassReport:
    env = {"SLACK_BOT_TOKEN": "xoxb-faults", "SLACK_API_URL": fake.api_url}

    async def go() -> PassReport:
        messengers = messengers_from_env(env, engine=engine, platforms=["slack"])
        try:
            return await send_due(
                MONDAY + after,
                engine=engine,
                messengers=messengers,
                content=content,
                settings=settings,
            )
        finally:
            for messenger in messengers.values():
                close = getattr(messenger, "aclose", None)
                if close is not None:
                    await close()

    return asyncio.run(go())


def delivered_once_each(fake: CountingSlackApi) -> dict[str, int]:
    """Each channel that did not get exactly one nudge, with its count (empty when all did)."""
    per_user = Counter(m["channel"] for m in fake.accepted)
    wrong = {channel: n for channel, n in per_user.items() if n != 1}
    if len(per_user) != len(USERS):
        wrong["(channels reached)"] = len(per_user)
    return wrong


@pytest.fixture(scope="module")
def content():
    from bot.content import load_content

    return load_content()


@pytest.mark.slow
def test_server_errors_leave_nudges_owed_then_a_later_pass_delivers_once(engine, fake, content):
    fake.server_error_next("/chat.postMessage", times=1000, status=503)
    first = run_pass(engine, fake, content, after=timedelta(0), settings=PATIENT)
    assert first.sent == 0
    assert first.owed == len(USERS)
    assert fake.accepted == []
    # Bounded: a few tries per nudge (slack_sdk's own retries included), not a storm.
    tries = len(fake.received("/chat.postMessage"))
    assert len(USERS) <= tries <= len(USERS) * SETTINGS.max_attempts * 3
    assert "sent" not in statuses(engine)

    fake._faults.clear()  # Slack is healthy again
    second = run_pass(engine, fake, content, after=timedelta(minutes=1), settings=PATIENT)
    assert second.sent == len(USERS)
    assert delivered_once_each(fake) == {}
    third = run_pass(engine, fake, content, after=timedelta(minutes=2), settings=PATIENT)
    assert third.sent == 0
    assert delivered_once_each(fake) == {}


def test_rate_limits_are_waited_out_within_the_pass(engine, fake, content):
    fake.rate_limit_next("/chat.postMessage", times=3, retry_after=0)
    report = run_pass(engine, fake, content, after=timedelta(0), settings=PATIENT)
    assert report.sent == len(USERS)
    assert report.owed == 0
    assert delivered_once_each(fake) == {}


@pytest.mark.slow
def test_a_hanging_api_is_given_up_on_and_the_nudges_stay_owed(engine, fake, content):
    fake.hang_next("/chat.postMessage", times=1000, seconds=60)
    report = run_pass(engine, fake, content, after=timedelta(0))
    assert report.sent == 0
    assert report.owed == len(USERS)
    assert report.seconds < 30  # bounded by the send timeout and attempts, not by the hang
    fake._faults.clear()
    # The hung requests never completed at the fake, so nothing was delivered yet: the next
    # pass (after the claims' leases lapse or are released) delivers each once.
    later = run_pass(engine, fake, content, after=timedelta(minutes=5))
    assert later.sent == len(USERS)
    assert delivered_once_each(fake) == {}
