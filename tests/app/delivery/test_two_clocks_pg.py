"""Scale-out: two clock processes split one large pass on PostgreSQL, nothing doubled or lost.

Two ``coach nudges send-due`` processes (the pass ``coach clock`` runs every minute) start
together against one PostgreSQL database and the fake Slack Web API, with 3,000 people due
in the same minute. The ledger's unique claim decides who sends each slot.

Fake Slack holds every post until both passes have claimed something. Without that, a pass
whose interpreter started a second sooner could claim and send the whole pass alone (a CI
run saw it), and the test would prove nothing about scale-out. The hold is deterministic:
a pass claims at most twice its claim batch per workspace ahead of its sends, which leaves
work for the second pass.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import distinct, func, select

from adapters.store.db import make_engine
from adapters.store.nudge_tables import nudge_deliveries
from adapters.store.repositories import SqlSubscriptions
from adapters.store.schema import ensure_schema
from bot.identity import Who
from bot.nudges import seed_for
from bot.stores import Subscription
from tests.adapters.store.databases import pg_schema_url
from tests.app.delivery.fake_slack import slack_in_thread
from tests.app.delivery.test_processes import count, env_for, finish, start_pass
from tests.eventually import eventually

# A 3,000-nudge pass split between two clocks.
pytestmark = pytest.mark.slow

# 1,500 per workspace: more than one pass may claim ahead of its sends (2 x 500).
PEOPLE = 3_000
WORKSPACES = ("T0001", "T0002")
# Monday 2 June 2025, 09:00 in London: when every one of them is due.
CREATED = datetime(2025, 5, 1, tzinfo=UTC)


def subscribe_many(url: str) -> set[str]:
    """Subscribe ``PEOPLE`` across two workspaces in bulk; return their DM channels."""
    engine = make_engine(url)
    ensure_schema(engine)
    SqlSubscriptions(engine).add_many(
        (
            Subscription(
                target=Who(platform="slack", workspace_id=WORKSPACES[i % 2], user_id=user),
                weekday=0,
                at=time(9),
                timezone="Europe/London",
                seed=seed_for("slack", WORKSPACES[i % 2], user, ""),
            )
            for i, user in ((i, f"U{i:05d}") for i in range(PEOPLE))
        ),
        now=CREATED - timedelta(days=1),
    )
    engine.dispose()
    # The fake Slack opens DM "D<digits>" for user "U<digits>".
    return {f"D{i:05d}" for i in range(PEOPLE)}


def claimants(url: str) -> int:
    """How many passes hold or held a claim in the ledger."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tokens = select(func.count(distinct(nudge_deliveries.c.claim_token)))
            return conn.execute(tokens).scalar_one()
    finally:
        engine.dispose()


def test_two_clocks_split_a_3000_nudge_pass_on_postgresql_with_nothing_doubled() -> None:
    with ExitStack() as stack:
        url = stack.enter_context(pg_schema_url())  # skips, saying why, without PostgreSQL
        slack = stack.enter_context(slack_in_thread())
        expected = subscribe_many(url)
        # Pacing is per process and measured in bench/pacing.py; here it would only slow the
        # test down, so the workspace limit is off.
        env = env_for(url, slack.api_url, COACH_SLACK_WORKSPACE_RPS="off")

        slack.hold()
        clocks = [start_pass(env), start_pass(env)]
        for clock in clocks:
            stack.callback(clock.kill)  # a no-op once it has exited
        eventually(lambda: claimants(url) >= 2, timeout=30, what="both passes claiming")
        slack.release()
        reports = [finish(p) for p in clocks]

        per_channel = slack.per_channel()
        assert sum(r["sent"] for r in reports) == PEOPLE
        assert sum(r["claimed"] for r in reports) == PEOPLE
        assert all(r["sent"] > 0 for r in reports), f"one clock did all the work: {reports}"
        assert set(per_channel) == expected  # nothing lost
        assert max(per_channel.values()) == 1  # nothing doubled
        assert count(url, "sent") == PEOPLE
