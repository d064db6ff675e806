"""Fan-out benchmark: 10,000 weekly nudges due in the same minute, to a loopback fake Slack.

Run from the project root::

    python bench/fanout.py                 # 10,000 subscriptions, SQLite in a temp folder
    python bench/fanout.py --users 2000    # a quicker run
    python bench/fanout.py --database-url postgresql://postgres@127.0.0.1:5432/test

Two runs, each a fresh database and one delivery pass through the real path (``send_due``
with the Slack messenger built from the environment, exactly as ``coach nudges send-due``):

1. every send accepted;
2. 10% of first attempts answered ``429`` with ``Retry-After: 1``.

The fake Slack Web API runs in a separate process, so it does not share our event loop or
our memory. Each run checks that every subscriber received exactly one nudge. Peak memory is
this process's peak resident set size (``VmHWM``), fake excluded. Goals: at least 500
nudges/s on a 2-core machine, under 300 MB, nothing lost, nothing duplicated.

The last line is JSON: ``fanout_per_s``, ``fanout_peak_mb``, ``fanout_lost``,
``fanout_duplicates`` (worst of the two runs), plus per-run detail.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.fake_process import FakeProcess
from bench.machine import load_average

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Monday 2 June 2025, 09:00:30 in London: every subscription is due at 09:00.
NOW = datetime(2025, 6, 2, 8, 0, 30, tzinfo=UTC)


# --- the fake, in its own process ------------------------------------------------------------


def _serve_fake(port_out: Any, stop: Any, throttle_percent: int) -> None:
    """Run a lean fake of the two Slack methods a nudge uses; report counts when stopped."""
    from aiohttp import web

    accepted: Counter[str] = Counter()
    throttled: Counter[str] = Counter()

    def throttle(channel: str) -> bool:
        # A fixed 10% of people get a 429 on their first attempt only.
        if throttled[channel]:
            return False
        digest = hashlib.sha256(channel.encode()).digest()
        if digest[0] * 100 // 256 < throttle_percent:
            throttled[channel] += 1
            return True
        return False

    async def api(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        # slack_sdk sends some methods' arguments as a query string, others as a form or JSON.
        if request.content_type == "application/json":
            body = dict(request.query) | await request.json()
        else:
            body = dict(request.query) | dict(await request.post())
        if method == "conversations.open":
            user = str(body.get("users", ""))
            return web.json_response({"ok": True, "channel": {"id": "D" + user}})
        if method == "chat.postMessage":
            channel = str(body.get("channel", ""))
            if channel.startswith("U"):
                channel = "D" + channel  # a user id posts in the app's DM, as on Slack
            if throttle(channel):
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
                )
            accepted[channel] += 1
            return web.json_response(
                {"ok": True, "channel": channel, "ts": f"{sum(accepted.values())}.0001"}
            )
        return web.json_response({"ok": True})

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", api)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        port_out.send(runner.addresses[0][1])
        await asyncio.get_running_loop().run_in_executor(None, stop.wait)
        port_out.send({"accepted": dict(accepted), "throttled": sum(throttled.values())})
        await runner.cleanup()

    asyncio.run(main())


# --- one run -----------------------------------------------------------------------------------


def _subscribe(engine: Any, users: int) -> None:
    from datetime import time

    from adapters.store.repositories import SqlSubscriptions
    from bot.nudges import seed_for
    from bot.stores import Subscription, Who

    SqlSubscriptions(engine).add_many(
        (
            Subscription(
                target=Who(platform="slack", workspace_id="T0001", user_id=f"U{i:06d}"),
                weekday=0,
                at=time(9),
                timezone="Europe/London",
                seed=seed_for("slack", "T0001", f"U{i:06d}", ""),
            )
            for i in range(users)
        ),
        now=NOW - timedelta(days=30),
    )


def run_once(*, users: int, throttle_percent: int, database_url: str | None) -> dict[str, Any]:
    """Subscribe ``users`` people, run one pass against a fresh fake, and check the outcome."""
    from sqlalchemy import text

    from adapters.store.db import make_engine
    from adapters.store.schema import ensure_schema
    from app.clock import settings_from_env, warm_up
    from app.delivery.messengers import close_all, messengers_from_env
    from app.delivery.send import send_due
    from bot.content import load_content

    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'fanout.db'}"
        engine = make_engine(url)
        ensure_schema(engine)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM nudge_deliveries"))
            conn.execute(text("DELETE FROM nudge_subscriptions"))
        _subscribe(engine, users)
        content = load_content()
        with FakeProcess(_serve_fake, throttle_percent, name="fake Slack API") as fake:
            api_url = f"http://127.0.0.1:{fake.address}/api/"
            env = {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": api_url}

            # Built and loaded before the clock starts, as the clock process does at start-up.
            messengers = {"slack": messengers_from_env(env, engine=engine)["slack"]}
            warm_up()

            async def deliver() -> Any:
                try:
                    return await send_due(
                        NOW,
                        engine=engine,
                        messengers=messengers,
                        content=content,
                        # The pass's own throughput: pacing to Slack's limits is
                        # measured apart, in bench/pacing.py.
                        settings=settings_from_env({"COACH_SLACK_WORKSPACE_RPS": "off"}),
                    )
                finally:
                    await close_all(messengers)

            started = time.perf_counter()
            report = asyncio.run(deliver())
            seconds = time.perf_counter() - started
            received = fake.results()
        if database_url:
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM nudge_deliveries"))
                conn.execute(text("DELETE FROM nudge_subscriptions"))
        engine.dispose()

    accepted: dict[str, int] = received["accepted"]
    expected = {f"DU{i:06d}" for i in range(users)}
    lost = len(expected - set(accepted))
    duplicates = sum(n - 1 for n in accepted.values() if n > 1)
    return {
        "users": users,
        "throttled": received["throttled"],
        "sent": report.sent,
        "retries": report.retries,
        "owed": report.owed,
        "seconds": round(seconds, 2),
        "per_s": round(report.sent / seconds, 1),
        "lost": lost,
        "duplicates": duplicates,
    }


def _reset_peak() -> None:
    """Start this process's peak RSS afresh (Linux ``clear_refs`` 5; elsewhere a no-op).

    A child started from a large process (a pytest worker holding two models) inherits its
    parent's high-water mark through fork, so ``ru_maxrss`` reported ~3 GB for a 200 MB run.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return


def _peak_mb() -> float:
    """Peak RSS since :func:`_reset_peak` (``VmHWM``), else ``ru_maxrss``, in MB."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_both(
    *, users: int, database_url: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both scenarios; returns the summary figures and the per-scenario rows."""
    _reset_peak()
    runs = {
        "all accepted": run_once(users=users, throttle_percent=0, database_url=database_url),
        "10% 429 Retry-After": run_once(
            users=users, throttle_percent=10, database_url=database_url
        ),
    }
    # The sender's peak; the fake Slack API runs in a process of its own and is not counted.
    peak_mb = _peak_mb()
    summary = {
        "fanout_users": users,
        "fanout_per_s": runs["all accepted"]["per_s"],
        "fanout_per_s_with_429": runs["10% 429 Retry-After"]["per_s"],
        "fanout_peak_mb": round(peak_mb, 1),
        "fanout_lost": max(r["lost"] for r in runs.values()),
        "fanout_duplicates": max(r["duplicates"] for r in runs.values()),
        # The machine may be shared: what else was running when the figure was taken.
        "fanout_load_avg_1m": load_average(),
    }
    return summary, runs


def run(*, quick: bool) -> dict[str, Any]:
    """The section of ``python -m bench``: 10,000 due (2,000 with ``--quick``).

    In a process of its own: ``ru_maxrss`` never goes down, so in the bench's own process
    it would report the peak of every earlier section (the models the matching loads).
    """
    return run_in_child(users=2_000 if quick else 10_000)


def run_in_child(*, users: int) -> dict[str, Any]:
    """Both scenarios in a child process (``python -m bench.fanout``); its summary figures."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.fanout", "--users", str(users)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    lines = done.stdout.strip().splitlines()
    if not lines or not lines[-1].startswith("{"):
        raise RuntimeError(f"bench.fanout failed (exit {done.returncode}): {done.stderr[-2000:]}")
    summary: dict[str, Any] = json.loads(lines[-1])
    summary.pop("database", None)
    return summary


def main(argv: list[str] | None = None) -> int:
    """Run both scenarios, print a table and a final JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp folder")
    args = parser.parse_args(argv)
    summary, runs = run_both(users=args.users, database_url=args.database_url)
    print(
        f"{'scenario':<22}{'users':>8}{'throttled':>11}{'sent':>8}{'seconds':>9}"
        f"{'nudges/s':>10}{'lost':>6}{'dups':>6}"
    )
    for name, r in runs.items():
        print(
            f"{name:<22}{r['users']:>8}{r['throttled']:>11}{r['sent']:>8}{r['seconds']:>9}"
            f"{r['per_s']:>10}{r['lost']:>6}{r['duplicates']:>6}"
        )
    print(f"peak memory (this process, VmHWM): {summary['fanout_peak_mb']:.0f} MB")
    summary["database"] = "postgresql" if args.database_url else "sqlite"
    print(json.dumps(summary))
    ok = summary["fanout_lost"] == 0 and summary["fanout_duplicates"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
