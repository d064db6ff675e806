"""``forget me`` for a Teams user whose activities carry no tenant (issue 9, item 4).

Web Chat, and any channel that sends no tenant id, store rows with ``workspace_id=""``.
Forgetting such a person used to raise ``ValueError`` in the clean-up, answer 500 and leave
every row in place. Now every row goes and the person gets the usual confirmation.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from adapters.store.db import make_engine, metadata
from adapters.store.tables import import_table_modules
from app.wiring import build_coach
from tests.adapters.teams.harness import MEGAN, card_text, payload, serve
from tests.fakes.bot_connector import FakeBotConnector


def _without_tenant(body: dict[str, Any]) -> dict[str, Any]:
    body["conversation"].pop("tenantId", None)
    body.get("channelData", {}).pop("tenant", None)
    return body


def _rows_about(url: str, user_id: str) -> dict[str, int]:
    """How many rows each table holds that name ``user_id`` in a user column."""
    import_table_modules()
    engine = make_engine(url)
    counts: dict[str, int] = {}
    try:
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                column = table.c.get(table.info.get("user_column", "user_id"))
                if column is None:
                    continue
                found = conn.scalar(
                    select(func.count()).select_from(table).where(column == user_id)
                )
                if found:
                    counts[table.name] = int(found)
    finally:
        engine.dispose()
    return counts


def test_forget_me_without_a_tenant_deletes_every_row_and_confirms(tmp_path: Path) -> None:
    async def scenario() -> None:
        url = f"sqlite:///{tmp_path / 'coach.db'}"
        env = {"DATABASE_URL": url, "COACH_DATA_KEY": Fernet.generate_key().decode()}
        async with FakeBotConnector() as connector, serve(build_coach(env=env), env) as server:
            said = 0

            async def say(text: str = "", value: dict[str, str] | None = None) -> str:
                nonlocal said
                said += 1
                body = _without_tenant(
                    payload("personal_message", service_url=connector.url, text=text)
                )
                body["id"] = f"tenantless-{said}"
                if value is not None:
                    body["value"] = value
                before = len(connector.activities())
                status, answer = await server.post(body)
                assert status in (200, 202), (status, answer)
                return "\n".join(
                    str(a.get("text", "")) + card_text(a) for a in connector.activities()[before:]
                )

            assert "nudges are on" in (await say("nudges on")).lower()
            assert "saved" in (await say("journal add a calm week on the ward")).lower()
            before = _rows_about(url, MEGAN)
            assert {"nudge_subscriptions", "journal_entries"} <= before.keys(), before

            assert "forget me" in (await say("forget me")).lower()
            confirmed = await say(value={"action_id": "forget.confirm"})
            assert "I have deleted everything I held about you" in confirmed, confirmed

            # The answer to forget.confirm may have refreshed the person's conversation
            # reference; nothing else about them is left.
            after = _rows_about(url, MEGAN)
            assert not after.keys() - {"teams_conversation_references"}, after
            assert "journal is empty" in (await say("journal")).lower()

    asyncio.run(scenario())
