"""Two clocks, one tenant: pacing shared through PostgreSQL against a connector enforcing 50/s.

Two ``coach nudges send-due`` processes (exactly what ``coach clock`` runs each minute) start
together on one PostgreSQL database (a fresh schema at 127.0.0.1:5432, database ``test``),
each configured with the tenant's whole limit (``COACH_TEAMS_TENANT_RPS=50``), with N people
of one tenant due. The ledger splits the work; :mod:`app.delivery.shared_pacing` must keep the
two together within the tenant's 50/s. The loopback fake Bot Connector (its own process)
enforces 50/s per tenant with 429 and ``Retry-After``, and stamps each send it accepts.

Figures: ``two_clock_paced_per_s`` (accepted sends per second, first to last),
``two_clock_paced_fraction_of_limit`` (that ÷ 50; goal ≥ 0.9), ``two_clock_429s`` (goal 0 or
a handful, all retried: then nothing is lost), ``two_clock_lost`` and
``two_clock_duplicates`` (per conversation at the connector; goal 0 and 0), and how the work
split (``two_clock_sent_each``). Without PostgreSQL the section says so and reports nothing.

``python -m bench.two_clocks [--nudges N]`` runs it alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench.fake_process import FakeProcess
from bench.pacing import LIMIT_RPS, NOW, ROOT, _clear, _conversation, _seed

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
QUICK_NUDGES = 750
FULL_NUDGES = 5_000


def _serve_connector(conn: Any, stop: Any, tenant_rps: float) -> None:
    """The fake Bot Connector in rate-limit mode, stamping each send it accepts."""
    from aiohttp import web

    from tests.fakes.bot_connector import FakeBotConnector

    class Stamped(FakeBotConnector):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.accepted_at: list[float] = []

        async def _send(self, request: web.Request) -> web.Response:
            response = await super()._send(request)
            if response.status < 300:
                self.accepted_at.append(time.monotonic())
            return response

    async def main() -> None:
        async with Stamped(tenant_rps=tenant_rps) as connector:
            conn.send(connector.url)
            await asyncio.get_running_loop().run_in_executor(None, stop.wait)
            accepted = Counter(r.conversation_id for r in connector.requests("send"))
            stamps: list[float] = getattr(connector, "accepted_at", [])
            conn.send(
                {
                    "accepted": dict(accepted),
                    "throttled": dict(connector.throttled),
                    "span": (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0,
                }
            )

    asyncio.run(main())


@contextmanager
def _schema() -> Iterator[str | None]:
    """A fresh PostgreSQL schema's URL, dropped afterwards; None without PostgreSQL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    admin = create_engine(PG_URL, connect_args={"connect_timeout": 2})
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError:
        admin.dispose()
        yield None
        return
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _clock(url: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONNECTIONS__", "COACH_"))}
    env |= {
        "DATABASE_URL": url,
        "COACH_TEAMS_TENANT_RPS": str(LIMIT_RPS),  # each clock: the tenant's whole limit
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "nudges", "send-due", "--now", NOW.isoformat()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_once(*, nudges: int) -> dict[str, Any]:
    """Seed ``nudges`` people in one tenant; two clocks deliver them; check the outcome."""
    from adapters.store.db import make_engine
    from adapters.store.schema import ensure_schema

    with _schema() as url:
        if url is None:
            print("bench.two_clocks: skipped (no PostgreSQL at 127.0.0.1:5432)", file=sys.stderr)
            return {}
        with FakeProcess(_serve_connector, LIMIT_RPS, name="fake connector") as connector:
            engine = make_engine(url)
            try:
                ensure_schema(engine)
                _clear(engine)
                _seed(engine, nudges, connector.address)
            finally:
                engine.dispose()
            clocks = [_clock(url), _clock(url)]
            reports = []
            for clock in clocks:
                out, err = clock.communicate(timeout=600)
                if clock.returncode != 0:
                    raise RuntimeError(f"a clock failed:\n{err[-2000:]}")
                reports.append(json.loads(out.strip().splitlines()[-1]))
            received = connector.results()

    accepted: dict[str, int] = received["accepted"]
    expected = {_conversation(i) for i in range(nudges)}
    span = float(received["span"])
    per_s = (len(accepted) - 1) / span if span > 0 else 0.0
    return {
        "two_clock_nudges": nudges,
        "two_clock_paced_per_s": round(per_s, 1),
        "two_clock_paced_fraction_of_limit": round(per_s / LIMIT_RPS, 3),
        "two_clock_429s": sum(received["throttled"].values()),
        "two_clock_lost": len(expected - set(accepted)),
        "two_clock_duplicates": sum(n - 1 for n in accepted.values() if n > 1),
        "two_clock_sent_each": [int(r.get("sent", 0)) for r in reports],
        "two_clock_retries": sum(int(r.get("retries", 0)) for r in reports),
    }


def run(*, quick: bool) -> dict[str, Any]:
    """The ``python -m bench`` section: 750 nudges quick (about 15 s at 50/s), 5,000 in full.

    Fewer, and one clock may claim them all (a lane claims 250 at a time) before the other
    has started: ``two_clock_sent_each`` shows the split.
    """
    return run_once(nudges=QUICK_NUDGES if quick else FULL_NUDGES)


def main(argv: list[str] | None = None) -> int:
    """Run the two clocks once and print the figures, then one JSON line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--nudges", type=int, default=QUICK_NUDGES)
    args = parser.parse_args(argv)
    figures = run_once(nudges=args.nudges)
    for key, value in figures.items():
        print(key.ljust(34), value)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
