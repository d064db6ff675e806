"""Rows of ``teams_conversation_references``: how a reference is stored, compared and upserted.

Split from :mod:`adapters.teams.references`, which decides when to write; this module only
says what a row holds and how one statement writes it on either database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microsoft_agents.activity import ConversationReference
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from adapters.store.teams_tables import teams_conversation_references as refs


@dataclass(frozen=True, slots=True)
class Saved:
    """A reference written in a transaction, to remember once it commits."""

    key: tuple[str, str]
    digest: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Seen:
    """What rule 3 reads of a person's row before this turn refreshes it."""

    last_seen: datetime | None
    unreachable: bool


# The columns that make a saved reference different (not updated_at, which always moves).
COMPARED = ("tenant_id", "conversation_type", "team_id", "service_url", "bot_id", "reference")


def row_of(
    *,
    tenant_id: str,
    conversation_type: str,
    team_id: str | None,
    reference: ConversationReference,
    now: datetime | None,
) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id,
        "conversation_type": conversation_type,
        "team_id": team_id,
        "service_url": reference.service_url or "",
        "bot_id": reference.agent.id if reference.agent and reference.agent.id else "",
        "reference": reference.model_dump_json(by_alias=True, exclude_none=True),
        "unreachable_at": None,
        "updated_at": now or datetime.now(UTC),
    }


def upsert(conn: Connection, *, conversation_id: str, user_id: str, row: dict[str, Any]) -> None:
    """One statement whether the row exists or not (and no IntegrityError to roll back)."""
    # The project runs on these two; both spell an upsert ON CONFLICT … DO UPDATE.
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(refs).values(conversation_id=conversation_id, user_id=user_id, **row)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[refs.c.conversation_id, refs.c.user_id],
            set_={name: statement.excluded[name] for name in row},
        )
    )


def utc(value: object) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # SQLite: naive UTC
