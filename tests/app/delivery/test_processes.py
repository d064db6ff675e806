"""``coach nudges send-due`` as real processes: racing passes, and a pass killed with -9.

Each pass is a separate ``python -m app.cli nudges send-due --now ...`` process talking
to the project's fake Slack Web API over loopback HTTP, with SQLite or PostgreSQL shared.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time as clock
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from adapters.store.db import make_engine
from adapters.store.nudge_tables import nudge_deliveries
from adapters.store.repositories import SqlSubscriptions
from adapters.store.schema import ensure_schema
from bot.identity import Who
from bot.nudges import seed_for
from bot.stores import Subscription
from tests.adapters.store.databases import pg_schema_url, sqlite_url
from tests.app.delivery.fake_slack import slack_in_thread

ROOT = Path(__file__).resolve().parents[3]
# Monday 2 June 2025, 09:00:30 in London.
NOW = "2025-06-02T09:00:30+01:00"
USERS = [f"U{i:03d}" for i in range(40)]


@contextmanager
def database(kind: str, tmp_path: Path):
    if kind == "sqlite":
        yield sqlite_url(tmp_path)
    else:
        with pg_schema_url() as url:
            yield url


def subscribe_all(url: str, users: list[str]) -> None:
    engine = make_engine(url)
    ensure_schema(engine)
    subs = SqlSubscriptions(engine)
    for user in users:
        target = Who(platform="slack", workspace_id="T0001", user_id=user)
        subs.put(
            Subscription(
                target=target, weekday=0, at=time(9), timezone="Europe/London", seed=seed_for(user)
            ),
            now=datetime(2025, 5, 1, tzinfo=UTC),
        )
    engine.dispose()


def env_for(url: str, slack_api: str, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "CONNECTIONS__", "COACH_"))
    }
    env.update(
        DATABASE_URL=url,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_API_URL=slack_api,
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


# Exactly what an operator types: ``coach nudges send-due --now ...``.
SEND_DUE = [sys.executable, "-m", "app.cli", "nudges", "send-due"]


def start_pass(env: dict[str, str], now: str = NOW) -> subprocess.Popen:
    return subprocess.Popen(
        [*SEND_DUE, "--now", now],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err[-2000:]
    return json.loads(out.strip().splitlines()[-1])


def count(url: str, status: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                select(func.count())
                .select_from(nudge_deliveries)
                .where(nudge_deliveries.c.status == status)
            ).scalar_one()
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_passes_started_together_then_a_third_deliver_exactly_one_nudge_each(kind, tmp_path):
    with ExitStack() as stack:
        url = stack.enter_context(database(kind, tmp_path))
        slack = stack.enter_context(slack_in_thread())
        subscribe_all(url, USERS)
        env = env_for(url, slack.api_url)

        racing = [start_pass(env), start_pass(env)]
        reports = [finish(p) for p in racing]
        third = finish(start_pass(env))

        assert sum(r["sent"] for r in reports) == 40
        assert third["sent"] == third["claimed"] == 0
        assert slack.per_channel() == {"D" + u.lstrip("U"): 1 for u in USERS}
        assert count(url, "sent") == 40


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_pass_killed_mid_run_loses_nothing_and_the_rerun_sends_the_rest_once(kind, tmp_path):
    users = USERS[:30]
    with ExitStack() as stack:
        url = stack.enter_context(database(kind, tmp_path))
        slack = stack.enter_context(slack_in_thread())
        subscribe_all(url, users)
        # Short claims so the test need not wait minutes for the dead pass's claims to lapse.
        env = env_for(
            url,
            slack.api_url,
            COACH_NUDGE_LEASE_SECONDS="2",
            COACH_NUDGE_SEND_TIMEOUT_SECONDS="0.5",
        )

        slack.hang_after = 10  # Slack stalls after ten messages...
        doomed = start_pass(env)
        deadline = clock.monotonic() + 30
        while count(url, "sent") < 10 or count(url, "claimed") < 20:
            assert clock.monotonic() < deadline, "the pass never got going"
            assert doomed.poll() is None, doomed.communicate()[1]
            clock.sleep(0.05)
        os.kill(doomed.pid, signal.SIGKILL)  # ...and the pass dies mid-run
        doomed.wait(10)
        assert (count(url, "sent"), count(url, "claimed")) == (10, 20)

        slack.hang_after = None
        clock.sleep(2.2)  # let the dead pass's claims lapse
        rerun = finish(start_pass(env))
        assert (rerun["claimed"], rerun["sent"]) == (20, 20)
        assert slack.per_channel() == {"D" + u.lstrip("U"): 1 for u in users}
        assert count(url, "sent") == 30
