"""Pacing benchmark: N nudges due in ONE Teams tenant, against a connector enforcing 50/s.

Run from the project root::

    python bench/pacing.py                  # 100,000 nudges (about 35 minutes at 50/s)
    python bench/pacing.py --nudges 1000    # about 20 seconds
    python bench/pacing.py --database-url postgresql://postgres@127.0.0.1:5432/test

NHSmail is one Microsoft 365 tenant, and Teams lets a bot make about 50 requests/s per
tenant, so if everyone picks Monday 09:00 the platform's limit sets how long delivery takes.
One delivery pass runs through the real path (``send_due`` with the real ``TeamsMessenger``,
its stored conversation references and the pacing settings ``coach clock`` reads), against
the loopback fake Bot Connector in a process of its own, built with ``tenant_rps=50``: beyond
50 message posts a second (bursts of up to 50) it answers 429 with ``Retry-After``.

Figures: ``tenant_paced_per_s`` (nudges accepted per second of the pass),
``tenant_paced_fraction_of_limit`` (that ÷ 50; goal ≥ 0.9), ``tenant_paced_429s`` (how often
the connector said "slow down"; goal: the exception), ``tenant_paced_lost`` and
``tenant_paced_duplicates`` (goal 0 and 0, checked per conversation at the connector), the
seconds the N nudges took, and the minutes 100,000 would take at the measured pace.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time  # the name ``time`` is the module here
from pathlib import Path
from typing import Any

from bench.fake_process import FakeProcess

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Monday 2 June 2025, 09:00:30 in London: every subscription is due at 09:00.
NOW = datetime(2025, 6, 2, 8, 0, 30, tzinfo=UTC)
TENANT = "nhsmail-tenant"
LIMIT_RPS = 50.0
QUICK_NUDGES = 1_000
FULL_NUDGES = 100_000


# --- the fake connector, in its own process --------------------------------------------------


def _serve_connector(conn: Any, stop: Any, tenant_rps: float) -> None:
    """Run the fake Bot Connector in rate-limit mode; report what it accepted when stopped."""
    from tests.fakes.bot_connector import FakeBotConnector

    async def main() -> None:
        async with FakeBotConnector(tenant_rps=tenant_rps) as connector:
            conn.send(connector.url)
            await asyncio.get_running_loop().run_in_executor(None, stop.wait)
            accepted = Counter(r.conversation_id for r in connector.requests("send"))
            conn.send({"accepted": dict(accepted), "throttled": dict(connector.throttled)})

    asyncio.run(main())


# --- one run -----------------------------------------------------------------------------------


def _conversation(i: int) -> str:
    return f"a:personal-{i:06d}"


def _seed(engine: Any, nudges: int, service_url: str) -> None:
    """``nudges`` people in one tenant, each subscribed and with a stored personal chat."""
    from microsoft_agents.activity import (
        ChannelAccount,
        ChannelId,
        ConversationAccount,
        ConversationReference,
    )
    from sqlalchemy import insert

    from adapters.store.repositories import SqlSubscriptions
    from adapters.store.teams_tables import teams_conversation_references
    from bot.nudges import seed_for
    from bot.stores import Subscription, Who

    then = NOW - timedelta(days=30)
    nine = dt_time(9)
    subscriptions = []
    references = []
    for i in range(nudges):
        user = f"29:user-{i:06d}"
        subscriptions.append(
            Subscription(
                target=Who(platform="teams", workspace_id=TENANT, user_id=user),
                weekday=0,
                at=nine,
                timezone="Europe/London",
                seed=seed_for("teams", TENANT, user, ""),
            )
        )
        reference = ConversationReference(
            user=ChannelAccount(id=user),
            agent=ChannelAccount(id="28:coach-bot"),
            conversation=ConversationAccount(
                id=_conversation(i), conversation_type="personal", tenant_id=TENANT
            ),
            channel_id=ChannelId("msteams"),
            service_url=service_url,
        )
        references.append(
            {
                "conversation_id": _conversation(i),
                "user_id": user,
                "tenant_id": TENANT,
                "conversation_type": "personal",
                "team_id": None,
                "service_url": service_url,
                "bot_id": "28:coach-bot",
                "reference": reference.model_dump_json(by_alias=True, exclude_none=True),
                "unreachable_at": None,
                "updated_at": then,
            }
        )
    SqlSubscriptions(engine).add_many(subscriptions, now=then)
    with engine.begin() as conn:
        for start in range(0, nudges, 1000):
            conn.execute(insert(teams_conversation_references), references[start : start + 1000])


def _clear(engine: Any) -> None:
    from sqlalchemy import delete

    from adapters.store.nudge_tables import nudge_deliveries, nudge_subscriptions
    from adapters.store.teams_tables import teams_conversation_references

    with engine.begin() as conn:
        for table in (nudge_deliveries, nudge_subscriptions, teams_conversation_references):
            conn.execute(delete(table))


def run_once(
    *, nudges: int, database_url: str | None, limit_rps: float = LIMIT_RPS
) -> dict[str, Any]:
    """Seed ``nudges`` people in one tenant, deliver them in one pass, check the outcome."""
    from adapters.store.db import make_engine
    from adapters.store.schema import ensure_schema
    from adapters.teams.messenger import TeamsMessenger
    from app.clock import settings_from_env
    from app.delivery.messengers import close_all
    from app.delivery.send import send_due
    from bot.content import load_content

    with (
        tempfile.TemporaryDirectory() as folder,
        FakeProcess(_serve_connector, limit_rps, name="fake connector") as connector,
    ):
        url = database_url or f"sqlite:///{Path(folder) / 'pacing.db'}"
        engine = make_engine(url)
        try:
            ensure_schema(engine)
            _clear(engine)
            _seed(engine, nudges, connector.address)
            content = load_content()
            # What ``coach clock`` reads: pacing at the platform's documented limit.
            env = {"DATABASE_URL": url, "COACH_TEAMS_TENANT_RPS": str(limit_rps)}
            messengers: dict[str, Any] = {"teams": TeamsMessenger.from_env(env, engine=engine)}

            async def deliver() -> Any:
                try:
                    return await send_due(
                        NOW,
                        engine=engine,
                        messengers=messengers,
                        content=content,
                        settings=settings_from_env(env),
                    )
                finally:
                    await close_all(messengers)

            started = time.perf_counter()
            report = asyncio.run(deliver())
            seconds = time.perf_counter() - started
            received = connector.results()
            if database_url:
                _clear(engine)
        finally:
            engine.dispose()

    accepted: dict[str, int] = received["accepted"]
    expected = {_conversation(i) for i in range(nudges)}
    per_s = len(accepted) / seconds
    return {
        "tenant_paced_nudges": nudges,
        "tenant_paced_seconds": round(seconds, 1),
        "tenant_paced_per_s": round(per_s, 1),
        "tenant_paced_fraction_of_limit": round(per_s / limit_rps, 3),
        "tenant_paced_429s": sum(received["throttled"].values()),
        "tenant_paced_lost": len(expected - set(accepted)),
        "tenant_paced_duplicates": sum(n - 1 for n in accepted.values() if n > 1),
        "tenant_paced_owed_after_pass": report.owed,
        "tenant_paced_minutes_per_100k": round(100_000 / per_s / 60, 1),
        "tenant_paced_limit_rps": limit_rps,
    }


def run(*, quick: bool) -> dict[str, Any]:
    """The ``python -m bench`` section: 1,000 nudges quick, 100,000 in full."""
    return run_once(nudges=QUICK_NUDGES if quick else FULL_NUDGES, database_url=None)


def main(argv: list[str] | None = None) -> int:
    """Run one tenant's pass, print a table and a final JSON line; exit 1 if a goal is missed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--nudges", type=int, default=FULL_NUDGES)
    parser.add_argument("--limit", type=float, default=LIMIT_RPS, help="requests/s per tenant")
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp folder")
    args = parser.parse_args(argv)
    figures = run_once(nudges=args.nudges, database_url=args.database_url, limit_rps=args.limit)
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(key.ljust(width), value)
    print(json.dumps(figures))
    met = (
        figures["tenant_paced_fraction_of_limit"] >= 0.9
        and figures["tenant_paced_lost"] == 0
        and figures["tenant_paced_duplicates"] == 0
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
