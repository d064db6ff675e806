"""The clock: settings, ``send-due`` arguments, inside ``coach serve``, and ``coach clock``."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time as clock
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from aiohttp import web

from adapters.store.db import make_engine
from adapters.store.repositories import SqlSubscriptions
from adapters.store.schema import ensure_schema
from app.clock import CLOCK_KEY, attach, main_send_due, settings_from_env
from bot.coach import Coach
from bot.identity import Who
from bot.nudges import seed_for
from bot.stores import Subscription
from tests.adapters.store.databases import sqlite_url
from tests.app.delivery.fake_slack import slack_in_thread

ROOT = Path(__file__).resolve().parents[2]


def test_settings_come_from_the_environment_with_clear_errors():
    settings = settings_from_env(
        {
            "COACH_NUDGE_GRACE_HOURS": "2",
            "COACH_NUDGE_LEASE_SECONDS": "30",
            "COACH_NUDGE_CONCURRENCY": "8",
        }
    )
    assert (settings.grace, settings.lease, settings.concurrency) == (
        timedelta(hours=2),
        timedelta(seconds=30),
        8,
    )
    assert settings_from_env({}).grace == timedelta(hours=12)
    with pytest.raises(ValueError, match="COACH_NUDGE_GRACE_HOURS must be a number"):
        settings_from_env({"COACH_NUDGE_GRACE_HOURS": "soon"})
    with pytest.raises(ValueError, match="COACH_NUDGE_LEASE_SECONDS must be above zero"):
        settings_from_env({"COACH_NUDGE_LEASE_SECONDS": "0"})
    with pytest.raises(ValueError, match="must be longer than the send timeout"):
        settings_from_env({"COACH_NUDGE_LEASE_SECONDS": "10"})
    short = settings_from_env(
        {"COACH_NUDGE_LEASE_SECONDS": "2", "COACH_NUDGE_SEND_TIMEOUT_SECONDS": "0.5"}
    )
    assert 0 < short.last_send_start < 1.5


@pytest.mark.parametrize("bad", ["yesterday", "2025-06-02T09:00:00"])
def test_send_due_refuses_an_unreadable_or_zoneless_now(bad, capsys):
    with pytest.raises(SystemExit) as stopped:
        main_send_due(["--now", bad])
    assert stopped.value.code == 2
    assert "--now" in capsys.readouterr().err


def subscribe_due_now(url: str, user: str) -> None:
    """A Monday-or-whatever subscription whose slot was one minute ago, in London."""
    local = (datetime.now(UTC) - timedelta(minutes=1)).astimezone(ZoneInfo("Europe/London"))
    engine = make_engine(url)
    ensure_schema(engine)
    SqlSubscriptions(engine).put(
        Subscription(
            target=Who(platform="slack", workspace_id="T0001", user_id=user),
            weekday=local.weekday(),
            at=local.time().replace(second=0, microsecond=0),
            timezone="Europe/London",
            seed=seed_for(user),
        ),
        now=datetime.now(UTC),
    )
    engine.dispose()


def wait_until(condition, *, timeout: float = 20.0) -> None:
    deadline = clock.monotonic() + timeout
    while not condition():
        assert clock.monotonic() < deadline, "timed out"
        clock.sleep(0.05)


def test_the_clock_runs_inside_the_web_server_and_stops_with_it(tmp_path):
    url = sqlite_url(tmp_path)
    subscribe_due_now(url, "UWEB")
    with slack_in_thread() as slack:
        env = {"DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.api_url}

        async def serve() -> None:
            app = web.Application()
            attach(app, coach=Coach.load(), env=env)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            scheduler = app[CLOCK_KEY]["clock"].scheduler
            job = scheduler.get_job("nudges")
            assert (job.coalesce, job.max_instances) == (True, 1)
            assert str(job.trigger.timezone) == "UTC"
            deadline = clock.monotonic() + 20
            while not slack.accepted:
                assert clock.monotonic() < deadline
                await asyncio.sleep(0.05)
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"http://127.0.0.1:{runner.addresses[0][1]}/missing") as response,
            ):
                assert response.status == 404  # the server itself carried on serving
            await runner.cleanup()
            assert not scheduler.running
            assert app[CLOCK_KEY] == {}

        asyncio.run(serve())
        assert slack.per_channel() == {"DWEB": 1}


def test_coach_clock_process_delivers_and_stops_cleanly_on_sigterm(tmp_path):
    url = sqlite_url(tmp_path)
    subscribe_due_now(url, "UCLK")
    with slack_in_thread() as slack:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "CONNECTIONS__", "COACH_"))
        }
        env |= {"DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.api_url}
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "clock"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_until(lambda: bool(slack.accepted) or process.poll() is not None)
            assert process.poll() is None, process.communicate()[1]
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 0, err
        assert "nudge clock stopped" in err
        assert slack.per_channel() == {"DCLK": 1}


def test_send_due_prints_a_json_summary(tmp_path, capsys, monkeypatch):
    url = sqlite_url(tmp_path)
    subscribe_due_now(url, "UONE")
    with slack_in_thread() as slack:
        for name in [k for k in os.environ if k.startswith(("SLACK_", "CONNECTIONS__", "COACH_"))]:
            monkeypatch.delenv(name)
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("SLACK_API_URL", slack.api_url)
        assert main_send_due([]) == 0
        report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert (report["due"], report["sent"]) == (1, 1)
        assert main_send_due(["--now", datetime.now(UTC).isoformat()]) == 0
        assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["sent"] == 0
