"""app_uninstalled and tokens_revoked delete the workspace's installation and everything stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from adapters.store import slack_tables
from adapters.store.db import make_engine, metadata
from app.wiring import build_coach
from tests.adapters.slack.harness import payload, slack_server


def _count_rows(database_url: str, *, team_id: str) -> dict[str, int]:
    """Rows that mention ``team_id`` in any table with a team or workspace column."""
    engine = make_engine(database_url)
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for column in ("team_id", "workspace_id"):
                if column in table.c:
                    n = conn.execute(
                        select(func.count()).select_from(table).where(table.c[column] == team_id)
                    ).scalar_one()
                    if n:
                        counts[table.name] = n
    engine.dispose()
    return counts


async def test_uninstall_deletes_everything_held_for_the_workspace(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as probe:
        env = dict(probe.env) | {"COACH_DATA_KEY": Fernet.generate_key().decode()}
    async with slack_server(tmp_path, the_coach=build_coach(env=env)) as server:
        # Leave traces in the Slack tables and in the nudges' tables.
        await server.event(payload("app_home_opened"))
        await server.fake.wait_for("/views.publish")
        await server.command("nudges on monday 09:00")
        await server.fake.wait_for("/response")
        before = _count_rows(env["DATABASE_URL"], team_id="T0001")
        assert "slack_home_visits" in before
        assert len(before) >= 3, before

        answer = await server.event(payload("app_uninstalled"))
        assert answer.status == 200
        await server.fake.settle(0.5)
        assert _count_rows(env["DATABASE_URL"], team_id="T0001") == {}


async def test_a_revoked_bot_token_forgets_the_workspace(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        engine = make_engine(server.env["DATABASE_URL"])
        slack_tables.record_home_visit(engine, team_id="T0001", user_id="U1", now=datetime.now(UTC))
        slack_tables.record_home_visit(engine, team_id="T0009", user_id="U1", now=datetime.now(UTC))
        await server.event(payload("tokens_revoked"))
        await server.fake.settle(0.5)
        assert _count_rows(server.env["DATABASE_URL"], team_id="T0001") == {}
        assert _count_rows(server.env["DATABASE_URL"], team_id="T0009") == {"slack_home_visits": 1}
        engine.dispose()
